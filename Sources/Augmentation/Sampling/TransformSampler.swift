import Randomness

/// Draws a ``Transform`` from (seed, epoch, sample index) alone, with Keras's distributions.
///
/// The draws come from the stream `CounterRandom([seed, epoch, index])`. Each parameter owns a
/// fixed draw counter of it, so enabling one parameter never
/// changes another's draws: θ 0, tx 1–2, ty 3–4, shear 5, zx 6, zy 7, horizontal flip 8,
/// vertical flip 9, channel shift 10, brightness 11.
///
/// In ``GeometryMode/exact`` mode `tx` (columns) comes from `width_shift_range × width` and `ty`
/// (rows) from `height_shift_range × height`. In ``GeometryMode/keras`` mode the draws are
/// Keras's: `tx` from `height_shift_range × height`, `ty` from `width_shift_range × width`
/// (keras-team/keras#17398), so the height range shifts horizontally.
///
/// ```swift
/// let sampler = TransformSampler(config: config, seed: 42)
/// let t = sampler.transform(epoch: 0, index: 17, height: 64, width: 64)  // always the same value
/// ```
public struct TransformSampler: Sendable {
    public let config: AugmentationConfig
    public let seed: UInt64
    public let mode: GeometryMode

    public init(config: AugmentationConfig, seed: UInt64) {
        self.init(config: config, seed: seed, mode: .exact)
    }

    public init(config: AugmentationConfig, seed: UInt64, mode: GeometryMode) {
        self.config = config
        self.seed = seed
        self.mode = mode
    }

    /// The transform of sample `index` in `epoch`, for an image of `height` × `width` pixels
    /// (the size the transform is applied at: the output size).
    /// - Complexity: O(1), about a dozen 64-bit hashes; no shared state.
    public func transform(epoch: Int, index: Int, height: Int, width: Int) -> Transform {
        let random = CounterRandom([seed, UInt64(truncatingIfNeeded: epoch), UInt64(truncatingIfNeeded: index)])
        var t = Transform()
        if config.rotationRange != 0 {
            t.theta = random.uniform(0, -config.rotationRange, config.rotationRange)
        }
        let (columnRange, columnSize, rowRange, rowSize) = mode == .keras
            ? (config.heightShiftRange, height, config.widthShiftRange, width)
            : (config.widthShiftRange, width, config.heightShiftRange, height)
        t.tx = Self.shift(columnRange, size: columnSize, random: random, slot: 1)
        t.ty = Self.shift(rowRange, size: rowSize, random: random, slot: 3)
        if config.shearRange != 0 {
            t.shear = random.uniform(5, -config.shearRange, config.shearRange)
        }
        if config.zoomRange.isEnabled {
            t.zx = random.uniform(6, config.zoomRange.lower, config.zoomRange.upper)
            t.zy = random.uniform(7, config.zoomRange.lower, config.zoomRange.upper)
        }
        t.flipHorizontal = config.horizontalFlip && random.unit(8) < 0.5
        t.flipVertical = config.verticalFlip && random.unit(9) < 0.5
        if config.channelShiftRange != 0 {
            t.channelShiftIntensity = random.uniform(10, -config.channelShiftRange, config.channelShiftRange)
        }
        if let b = config.brightnessRange {
            t.brightness = random.uniform(11, b.lower, b.upper)
        }
        return t
    }

    /// Keras's shift draw for one axis, using slots `slot` (value) and `slot + 1` (sign).
    static func shift(_ range: ShiftRange, size: Int, random: CounterRandom, slot: UInt64) -> Double {
        guard range.isEnabled else { return 0 }
        let sign: Double = random.unit(slot + 1) < 0.5 ? -1 : 1
        switch range {
        case .fraction(let v):
            return random.uniform(slot, -v, v) * Double(size)
        case .pixels(let v):
            return random.uniform(slot, -v, v)
        case .integerPixels(let n):
            return Double(random.below(slot, n)) * sign
        case .choices(let list):
            let value = list[random.below(slot, list.count)] * sign
            return list.max()! < 1 ? value * Double(size) : value
        }
    }
}
