extension Image {
    /// Colour samples multiplied by alpha, as Pillow's "RGBa"/"La" conversion:
    /// `(c * a + 128 + ((c * a + 128) >> 8)) >> 8`. Only for 2 or 4 channels.
    func premultiplied() -> Image {
        var out = pixels
        let c = channels
        out.withUnsafeMutableBufferPointer { samples in
            for start in stride(from: 0, to: samples.count, by: c) {
                let alpha = Int(samples[start + c - 1])
                for k in 0..<(c - 1) {
                    let product = Int(samples[start + k]) * alpha + 128
                    samples[start + k] = UInt8(((product >> 8) + product) >> 8)
                }
            }
        }
        return Image(unchecked: width, height, c, out)
    }

    /// Inverse of `premultiplied()`, as Pillow's "RGBa" -> "RGBA":
    /// `min(255, c * 255 / a)`, samples kept where alpha is 0 or 255.
    func unpremultiplied() -> Image {
        var out = pixels
        let c = channels
        out.withUnsafeMutableBufferPointer { samples in
            for start in stride(from: 0, to: samples.count, by: c) {
                let alpha = Int(samples[start + c - 1])
                guard alpha != 0 && alpha != 255 else { continue }
                for k in 0..<(c - 1) {
                    samples[start + k] = UInt8(min(255, Int(samples[start + k]) * 255 / alpha))
                }
            }
        }
        return Image(unchecked: width, height, c, out)
    }
}
