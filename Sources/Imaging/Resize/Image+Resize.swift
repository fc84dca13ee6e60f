extension Image {
    /// The image resized to `width` × `height`, with Pillow's algorithms
    /// (`PIL.Image.resize`), so results match Keras's `load_img(target_size:)`.
    ///
    /// Convolution filters run horizontally then vertically in 22-bit fixed
    /// point, widened on downscale (antialiasing). `.nearest` picks the source
    /// pixel `floor((x + 0.5) * inWidth / outWidth)`. Images with alpha are
    /// filtered premultiplied (Pillow's "RGBa"/"La" round trip), so fully
    /// transparent pixels do not bleed their colour into their neighbours.
    ///
    /// ```swift
    /// let thumb = try image.resized(width: 224, height: 224, interpolation: .bilinear)
    /// ```
    /// - Throws: `ImageError.Kind.invalidArgument` when a size is not positive.
    /// - Complexity: O((width × inHeight + width × height) × taps × channels).
    public func resized(width newWidth: Int, height newHeight: Int,
                        interpolation: Interpolation = .bilinear) throws(ImageError) -> Image {
        guard newWidth > 0, newHeight > 0 else {
            throw ImageError(.invalidArgument, message: "resize target \(newWidth)x\(newHeight) must be positive")
        }
        if newWidth == width && newHeight == height { return self }
        if interpolation == .nearest { return nearest(width: newWidth, height: newHeight) }
        let hasAlpha = channels == 2 || channels == 4
        var image = hasAlpha ? premultiplied() : self
        if newWidth != width {
            let coefficients = ResampleCoefficients(inputSize: width, outputSize: newWidth, filter: interpolation)
            image = image.resampled(coefficients, outWidth: newWidth, outHeight: height, horizontal: true)
        }
        if newHeight != height {
            let coefficients = ResampleCoefficients(inputSize: height, outputSize: newHeight, filter: interpolation)
            image = image.resampled(coefficients, outWidth: newWidth, outHeight: newHeight, horizontal: false)
        }
        return hasAlpha ? image.unpremultiplied() : image
    }

    private func nearest(width newWidth: Int, height newHeight: Int) -> Image {
        let xScale = Double(width) / Double(newWidth), yScale = Double(height) / Double(newHeight)
        let sourceX = (0..<newWidth).map { min(Int((Double($0) + 0.5) * xScale), width - 1) }
        let c = channels
        let out = [UInt8](unsafeUninitializedCapacity: newWidth * newHeight * c) { output, count in
            pixels.withUnsafeBufferPointer { input in
                var index = 0
                for y in 0..<newHeight {
                    let row = min(Int((Double(y) + 0.5) * yScale), height - 1) * width
                    for x in sourceX {
                        let from = (row + x) * c
                        for k in 0..<c { output[index + k] = input[from + k] }
                        index += c
                    }
                }
            }
            count = newWidth * newHeight * c
        }
        return Image(unchecked: newWidth, newHeight, c, out)
    }

    /// One separable pass along x (`horizontal`) or y.
    private func resampled(_ coefficients: ResampleCoefficients, outWidth: Int, outHeight: Int,
                           horizontal: Bool) -> Image {
        let c = channels, inWidth = width
        let shift = ResampleCoefficients.precisionBits
        let half = 1 << (shift - 1)
        let taps = coefficients.taps
        let out = [UInt8](unsafeUninitializedCapacity: outWidth * outHeight * c) { output, count in
            pixels.withUnsafeBufferPointer { input in
                coefficients.weights.withUnsafeBufferPointer { weights in
                    for y in 0..<outHeight {
                        for x in 0..<outWidth {
                            let o = horizontal ? x : y
                            let low = coefficients.first[o], used = coefficients.count[o]
                            let kernel = weights.baseAddress! + o * taps
                            // Step between successive taps and the first tap's sample index.
                            let step = horizontal ? c : inWidth * c
                            let base = horizontal ? (y * inWidth + low) * c : (low * inWidth + x) * c
                            for k in 0..<c {
                                var sum = half
                                var at = base + k
                                for tap in 0..<used {
                                    sum += Int(input[at]) * Int(kernel[tap])
                                    at += step
                                }
                                output[(y * outWidth + x) * c + k] = UInt8(clamping: sum >> shift)
                            }
                        }
                    }
                }
            }
            count = outWidth * outHeight * c
        }
        return Image(unchecked: outWidth, outHeight, c, out)
    }
}
