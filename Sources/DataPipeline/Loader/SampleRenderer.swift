/// Turns sample `index` of a source into Floats: the per-sample work a
/// `DataLoader` runs on its workers (read, decode, augment, ...).
///
/// Implementations must be thread-safe (several workers call `render` at
/// once, on different slots) and deterministic: the Floats may depend only on
/// `(index, epoch)` and the renderer's own configuration (its seed), never on
/// which worker runs or when.
public protocol SampleRenderer: Sendable {
    /// Shape of one rendered sample, e.g. `[H, W, C]`.
    var sampleShape: [Int] { get }

    /// Writes sample `index` of `epoch` into `slot`, which holds exactly
    /// `sampleShape` elements; a successful call writes all of them.
    ///
    /// - Throws: whatever makes the sample unusable (e.g. `ImageError` with
    ///   the path); the loader's `BadFilePolicy` decides what happens next.
    func render(sample index: Int, epoch: Int, into slot: UnsafeMutableBufferPointer<Float>) throws
}

/// A renderer made of a closure, for custom pipelines and tests.
///
/// ```swift
/// let ones = ClosureRenderer(sampleShape: [2, 2, 1]) { _, _, slot in slot.update(repeating: 1) }
/// ```
public struct ClosureRenderer: SampleRenderer {
    public let sampleShape: [Int]
    private let body: @Sendable (Int, Int, UnsafeMutableBufferPointer<Float>) throws -> Void

    public init(sampleShape: [Int],
                body: @escaping @Sendable (_ index: Int, _ epoch: Int, _ slot: UnsafeMutableBufferPointer<Float>) throws -> Void) {
        self.sampleShape = sampleShape
        self.body = body
    }

    public func render(sample index: Int, epoch: Int, into slot: UnsafeMutableBufferPointer<Float>) throws {
        try body(index, epoch, slot)
    }
}
