extension Image {
    /// The colour mode matching `channels`.
    public var colorMode: ColorMode { ColorMode(channels: channels)! }

    /// The image in another colour mode (a copy; `self` when already there).
    ///
    /// Gray is Pillow's "L": `(R * 19595 + G * 38470 + B * 7471 + 0x8000) >> 16`,
    /// ignoring alpha. Dropping alpha does not composite; adding it gives 255.
    /// ```swift
    /// let gray = try Image.decode(contentsOf: "cat.png").converted(to: .grayscale)
    /// ```
    /// - Complexity: O(width × height).
    public func converted(to mode: ColorMode) -> Image {
        if mode.channels == channels { return self }
        let pixelCount = width * height
        let from = channels, to = mode.channels
        let hasAlpha = from == 2 || from == 4
        let out = [UInt8](unsafeUninitializedCapacity: pixelCount * to) { output, count in
            pixels.withUnsafeBufferPointer { input in
                for i in 0..<pixelCount {
                    let source = input.baseAddress! + i * from
                    let alpha = hasAlpha ? source[from - 1] : 255
                    let target = output.baseAddress! + i * to
                    if to <= 2 {
                        target[0] = from <= 2 ? source[0] : Image.luma(source[0], source[1], source[2])
                        if to == 2 { target[1] = alpha }
                    } else {
                        if from <= 2 {
                            target[0] = source[0]; target[1] = source[0]; target[2] = source[0]
                        } else {
                            target[0] = source[0]; target[1] = source[1]; target[2] = source[2]
                        }
                        if to == 4 { target[3] = alpha }
                    }
                }
            }
            count = pixelCount * to
        }
        return Image(unchecked: width, height, to, out)
    }

    /// ITU-R 601-2 luma in Pillow's fixed point.
    @inline(__always)
    static func luma(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        let red: UInt32 = UInt32(r) &* 19595
        let green: UInt32 = UInt32(g) &* 38470
        let blue: UInt32 = UInt32(b) &* 7471
        return UInt8(truncatingIfNeeded: (red &+ green &+ blue &+ 0x8000) >> 16)
    }
}
