import Randomness

/// `GaussianBlur(kernel_size, sigma=(0.1, 2.0))`: `kernelSize` `[width, height]` (odd, as
/// torchvision's `[x, y]`), one sigma uniform in `sigma` for both axes (counter 0). Runs in the
/// pixel stage (``PixelOp``).
public struct GaussianBlur: Sendable, Equatable {
    public var kernelWidth: Int
    public var kernelHeight: Int
    public var sigma: OpRange
    public init(kernelWidth: Int, kernelHeight: Int, sigma: OpRange = OpRange(0.1, 2.0)) {
        self.kernelWidth = kernelWidth
        self.kernelHeight = kernelHeight
        self.sigma = sigma
    }

    func draw(_ random: CounterRandom, into t: inout SampleTransform) {
        let s = random.uniform(0, sigma.lower, sigma.upper)
        t.gaussianBlur(kernelSize: (kernelWidth, kernelHeight), sigma: (s, s))
    }
}

/// `RandomPosterize(bits, p=0.5)`: counter 0 below `p` posterizes to `bits` (0…8).
public struct RandomPosterize: Sendable, Equatable {
    public var bits: Int
    public var p: Double
    public init(bits: Int, p: Double = 0.5) {
        self.bits = bits
        self.p = p
    }
}

/// `RandomSolarize(threshold, p=0.5)`: counter 0 below `p` solarizes at `threshold` (0…255).
public struct RandomSolarize: Sendable, Equatable {
    public var threshold: Double
    public var p: Double
    public init(threshold: Double, p: Double = 0.5) {
        self.threshold = threshold
        self.p = p
    }
}

/// `RandomAdjustSharpness(sharpness_factor, p=0.5)`: counter 0 below `p` adjusts the sharpness.
public struct RandomAdjustSharpness: Sendable, Equatable {
    public var sharpnessFactor: Double
    public var p: Double
    public init(sharpnessFactor: Double, p: Double = 0.5) {
        self.sharpnessFactor = sharpnessFactor
        self.p = p
    }
}

/// The probability of `RandomEqualize(p=0.5)`, `RandomAutocontrast(p=0.5)` and `RandomInvert(p=0.5)`:
/// counter 0 below `p` applies the op.
public struct RandomApplication: Sendable, Equatable {
    public var p: Double
    public init(p: Double = 0.5) { self.p = p }
}
