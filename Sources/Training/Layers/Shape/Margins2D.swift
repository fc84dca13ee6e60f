/// Rows and columns at each edge of an image, as ``ZeroPadding2D`` adds and
/// ``Cropping2D`` removes them; Keras's `((top, bottom), (left, right))`.
public struct Margins2D: Sendable, Equatable, CustomStringConvertible {
    public var top: Int
    public var bottom: Int
    public var left: Int
    public var right: Int

    /// `((top, bottom), (left, right))`.
    public init(_ margins: ((Int, Int), (Int, Int))) {
        (top, bottom, left, right) = (margins.0.0, margins.0.1, margins.1.0, margins.1.1)
    }

    /// `height` rows at the top and the bottom, `width` columns at the left and the right.
    public init(height: Int, width: Int) {
        self.init(((height, height), (width, width)))
    }

    public var description: String { "((\(top), \(bottom)), (\(left), \(right)))" }

    /// Throws unless every margin is ≥ 0 (`parameter` names the argument).
    func validate(_ parameter: String) throws {
        try require(min(top, bottom, left, right) >= 0, parameter, self, "margins must be ≥ 0")
    }
}

/// Copies between NHWC batches of different image sizes.
enum ImageWindow {
    /// Copies, for each of `batch` samples, the `window` (height, width) of
    /// `channels`-channel pixels at `sourceOrigin` (row, column) in images
    /// of `sourceSize` to `targetOrigin` in images of `targetSize`.
    /// - Complexity: O(batch · window area · channels).
    static func copy(batch: Int, channels: Int, window: (Int, Int),
                     from source: UnsafePointer<Float>, size sourceSize: (Int, Int), origin sourceOrigin: (Int, Int),
                     to target: UnsafeMutablePointer<Float>, size targetSize: (Int, Int), origin targetOrigin: (Int, Int)) {
        let rowLength = window.1 * channels
        for n in 0..<batch {
            for y in 0..<window.0 {
                let s = source + ((n * sourceSize.0 + sourceOrigin.0 + y) * sourceSize.1 + sourceOrigin.1) * channels
                let t = target + ((n * targetSize.0 + targetOrigin.0 + y) * targetSize.1 + targetOrigin.1) * channels
                t.update(from: s, count: rowLength)
            }
        }
    }
}
