import CAugmentKernels
import Imaging

/// AugMix's blend in ``TransformKernel``: the image and each chain rendered (warp, colour, pixel
/// stage) without normalisation and rounded to uint8 values, as torchvision's uint8 chains are;
/// `original · image + Σ weight · chain` in Float32 (products, then sums, unfused, as PyTorch
/// does), truncated to whole numbers (its `.to(uint8)`), then normalised.
/// - Complexity: O(pixels · channels) per chain, plus one render each.
enum MixturePass {
    static func render(_ region: DecodedRegion, transform t: SampleTransform, mixture: Mixture, layout: PixelLayout,
                       into sample: UnsafeMutableBufferPointer<Float>) {
        let count = sample.count, channels = region.image.channels
        TransformKernel.renderImage(region, transform: t.unmixed, layout: layout, into: sample)
        aug_pixel_quantize(sample.baseAddress!, count)
        let original = Float(mixture.original)
        for i in 0..<count { sample[i] = original * sample[i] }
        var chain = [Float](repeating: 0, count: count)
        chain.withUnsafeMutableBufferPointer { scratch in
            for c in mixture.chains {
                TransformKernel.renderImage(region, transform: c.transform.unmixed, layout: layout, into: scratch)
                aug_pixel_quantize(scratch.baseAddress!, count)
                let weight = Float(c.weight)
                for i in 0..<count { sample[i] = sample[i] + weight * scratch[i] }
            }
        }
        for i in 0..<count { sample[i] = Float(Int32(min(max(sample[i], 0), 255))) }
        guard let normalization = t.normalization else { return }
        let (scale, bias) = normalization.channelAffine(channels: channels)
        let pixelStride = layout == .hwc ? channels : 1, channelStride = layout == .hwc ? 1 : t.width * t.height
        PixelPass.normalize(sample.baseAddress!, pixels: t.width * t.height, channels: channels, pixelStride: pixelStride,
                            channelStride: channelStride, scale: scale, bias: bias)
    }
}
