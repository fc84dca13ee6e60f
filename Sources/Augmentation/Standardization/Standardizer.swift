/// Keras's `standardize` with its fitted statistics: rescale, sample-wise centre and std,
/// feature-wise centre and std (per channel), ZCA whitening.
///
/// Build it from a config (flags after Keras's implications), then ``fit(samples:count:height:width:channels:)``
/// or ``fit(images:config:augmentationRounds:seed:)`` when a feature-wise statistic is on.
///
/// ```swift
/// var standardizer = Standardizer(config: config)
/// try standardizer.fit(images: trainingImages, config: config)
/// let augmenter = try Augmenter(config: config, outputHeight: 64, outputWidth: 64, standardizer: standardizer)
/// ```
public struct Standardizer: Codable, Sendable, Equatable {
    public var rescale: Double?
    public var samplewiseCenter: Bool
    public var samplewiseStdNormalization: Bool
    public var featurewiseCenter: Bool
    public var featurewiseStdNormalization: Bool
    public var zcaWhitening: Bool
    public var zcaEpsilon: Double
    /// Per-channel mean of the fit data (after rescale), when fitted.
    public var mean: [Float]?
    /// Per-channel std of the centred fit data, when fitted.
    public var std: [Float]?
    /// The D×D ZCA matrix (D = height·width·channels, HWC order), Float64 as Keras keeps it.
    public var zcaMatrix: [Double]?

    /// The flags of `config` after Keras's implications; no statistics yet.
    public init(config: AugmentationConfig) {
        rescale = config.rescale
        samplewiseCenter = config.effectiveSamplewiseCenter
        samplewiseStdNormalization = config.samplewiseStdNormalization
        featurewiseCenter = config.effectiveFeaturewiseCenter
        featurewiseStdNormalization = config.effectiveFeaturewiseStdNormalization
        zcaWhitening = config.zcaWhitening
        zcaEpsilon = config.zcaEpsilon
    }

    /// Whether every statistic the flags need is present.
    public var isReady: Bool {
        (!featurewiseCenter || mean != nil) && (!featurewiseStdNormalization || std != nil)
            && (!zcaWhitening || zcaMatrix != nil)
    }

    /// Whether `standardize` has anything to do beyond rescaling.
    var needsSecondPass: Bool { samplewiseCenter || samplewiseStdNormalization || zcaWhitening }

    /// Rescale and feature-wise centre/std folded into `v·scale[c] + bias[c]` (up to 4 channels).
    func channelAffine(channels: Int) -> (scale: SIMD4<Float>, bias: SIMD4<Float>) {
        var scale = SIMD4<Float>(repeating: Float(rescale ?? 1)), bias = SIMD4<Float>.zero
        for c in 0..<min(channels, 4) {
            if featurewiseCenter, let mean { bias[c] = -mean[c] }
            if featurewiseStdNormalization, let std {
                let d = std[c] + 1e-6
                scale[c] /= d
                bias[c] /= d
            }
        }
        return (scale, bias)
    }

    /// Keras's `standardize` in place on `samples` images of `height × width × channels` in `layout`,
    /// in Keras's order and Float32 arithmetic: preprocessing function, `x *= rescale`, sample-wise
    /// centre and std (over **everything passed**, as Keras does for a batch), feature-wise centre
    /// and std, ZCA (per image, HWC only, Float64 product).
    /// - Complexity: O(n) plus O(D²) per image for ZCA.
    public func standardize(_ x: UnsafeMutableBufferPointer<Float>, samples: Int = 1, height: Int, width: Int,
                            channels: Int, layout: PixelLayout = .hwc,
                            preprocessing: PreprocessingFunction? = nil) {
        let perSample = height * width * channels
        let count = perSample * samples
        if let preprocessing {
            for s in 0..<samples {
                preprocessing.body(UnsafeMutableBufferPointer(rebasing: x[(s * perSample)..<((s + 1) * perSample)]),
                                   height, width, channels, layout)
            }
        }
        if let rescale {
            let r = Float(rescale)
            for i in 0..<count { x[i] *= r }
        }
        if samplewiseCenter || samplewiseStdNormalization {
            var sum = 0.0
            for i in 0..<count { sum += Double(x[i]) }
            let mean = Float(sum / Double(count))
            if samplewiseCenter { for i in 0..<count { x[i] -= mean } }
            if samplewiseStdNormalization {
                var squares = 0.0, centred = 0.0
                for i in 0..<count { centred += Double(x[i]) }
                let m = centred / Double(count)
                for i in 0..<count { squares += (Double(x[i]) - m) * (Double(x[i]) - m) }
                let d = Float((squares / Double(count)).squareRoot()) + 1e-6
                for i in 0..<count { x[i] /= d }
            }
        }
        let plane = height * width
        @inline(__always) func channel(_ i: Int) -> Int {
            layout == .hwc ? i % channels : (i % perSample) / plane
        }
        if featurewiseCenter, let mean {
            for i in 0..<count { x[i] -= mean[channel(i)] }
        }
        if featurewiseStdNormalization, let std {
            for i in 0..<count { x[i] /= std[channel(i)] + 1e-6 }
        }
        if zcaWhitening, let zcaMatrix {
            for s in 0..<samples {
                ZCA.whiten(UnsafeMutableBufferPointer(rebasing: x[(s * perSample)..<((s + 1) * perSample)]),
                           matrix: zcaMatrix)
            }
        }
    }
}
