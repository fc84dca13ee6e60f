import Imaging

extension Standardizer {
    /// Keras's `fit` on `count` HWC images stored back to back in `samples` (pixel units, before
    /// rescale): rescale, per-channel mean over (N, H, W), std of the centred data, then the ZCA
    /// matrix from the SVD of the flattened, centred (and std-normalised) data.
    public mutating func fit(samples: [Float], count: Int, height: Int, width: Int, channels: Int) throws(AugmentationError) {
        let d = height * width * channels
        guard count > 0, d > 0, samples.count == count * d else {
            throw AugmentationError(parameter: "fit.samples", value: "\(samples.count) values",
                                    reason: "expected \(count) images of \(height)x\(width)x\(channels)")
        }
        var x = samples
        if let rescale {
            let r = Float(rescale)
            for i in x.indices { x[i] *= r }
        }
        let perChannel = Double(count * height * width)
        if featurewiseCenter {
            var sums = [Double](repeating: 0, count: channels)
            for i in x.indices { sums[i % channels] += Double(x[i]) }
            let fitted = sums.map { Float($0 / perChannel) }
            mean = fitted
            for i in x.indices { x[i] -= fitted[i % channels] }
        }
        if featurewiseStdNormalization {
            var sums = [Double](repeating: 0, count: channels), squares = sums
            for i in x.indices { sums[i % channels] += Double(x[i]) }
            for i in x.indices {
                let deviation = Double(x[i]) - sums[i % channels] / perChannel
                squares[i % channels] += deviation * deviation
            }
            let fitted = squares.map { Float(($0 / perChannel).squareRoot()) }
            std = fitted
            for i in x.indices { x[i] /= fitted[i % channels] + 1e-6 }
        }
        if zcaWhitening {
            zcaMatrix = try ZCA.matrix(x.map(Double.init), count: count, dimension: d, epsilon: zcaEpsilon)
        }
    }

    /// Keras's `fit` on decoded images (all of one size), optionally on `augmentationRounds`
    /// augmented copies (Keras `augment=True, rounds=`): copy `i` of round `r` uses the keras-mode
    /// transform of (seed, epoch r, index i), rendered at the images' own size.
    /// Unlike Keras, the augmentation runs before the rescale (on 0…255 data), which keeps the
    /// brightness step meaningful.
    public mutating func fit(images: [Image], config: AugmentationConfig, augmentationRounds: Int = 0,
                             seed: UInt64 = 0) throws(AugmentationError) {
        guard let first = images.first else {
            throw AugmentationError(parameter: "fit.images", value: "0 images", reason: "needs at least one image")
        }
        guard augmentationRounds >= 0 else {
            throw AugmentationError(parameter: "fit.augmentationRounds", value: "\(augmentationRounds)",
                                    reason: "must be >= 0")
        }
        let (h, w, c) = (first.height, first.width, first.channels)
        for (i, image) in images.enumerated() where image.height != h || image.width != w || image.channels != c {
            throw AugmentationError(
                parameter: "fit.images[\(i)]", value: "\(image.width)x\(image.height)x\(image.channels)",
                reason: "all fit images must be \(w)x\(h)x\(c)")
        }
        let d = h * w * c
        var samples: [Float]
        if augmentationRounds == 0 {
            samples = images.flatMap { $0.pixels.map(Float.init) }
        } else {
            let plain = config.withoutStandardization
            let augmenter = try Augmenter(config: plain, outputHeight: h, outputWidth: w, mode: .keras)
            let sampler = TransformSampler(config: config, seed: seed, mode: .keras)
            samples = [Float](repeating: 0, count: augmentationRounds * images.count * d)
            samples.withUnsafeMutableBufferPointer { buffer in
                for round in 0..<augmentationRounds {
                    for (i, image) in images.enumerated() {
                        let t = sampler.transform(epoch: round, index: i, height: h, width: w)
                        let slot = (round * images.count + i) * d
                        augmenter.render(image, transform: t,
                                         into: UnsafeMutableBufferPointer(rebasing: buffer[slot..<(slot + d)]))
                    }
                }
            }
        }
        try fit(samples: samples, count: samples.count / d, height: h, width: w, channels: c)
    }
}
