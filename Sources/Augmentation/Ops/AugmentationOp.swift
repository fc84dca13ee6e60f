import Foundation
import Randomness

/// One op of an ``OpRecipe``: torchvision.transforms.v2's transform of the same name, with its
/// parameters and defaults. Each op draws from its own keyed stream (``OpRecipe``), from fixed
/// draw counters documented on its parameter type.
///
/// ```swift
/// let ops: [AugmentationOp] = [
///     .randomResizedCrop(.init(size: .square(224))), .horizontalFlip(.init()),
///     .colorJitter(.init(brightness: 0.4, contrast: 0.4, saturation: 0.4)), .normalize(.imagenet),
/// ]
/// ```
public enum AugmentationOp: Sendable, Equatable {
    case resize(Resize)
    case centerCrop(CenterCrop)
    case randomCrop(RandomCrop)
    case randomResizedCrop(RandomResizedCrop)
    case horizontalFlip(Flip)
    case verticalFlip(Flip)
    case randomRotation(RandomRotation)
    case randomAffine(RandomAffine)
    case colorJitter(ColorJitter)
    case randomGrayscale(RandomGrayscale)
    case normalize(Normalize)
    case randomErasing(RandomErasing)
    case gaussianBlur(GaussianBlur)
    case randomPosterize(RandomPosterize)
    case randomSolarize(RandomSolarize)
    case randomEqualize(RandomApplication)
    case randomAutocontrast(RandomApplication)
    case randomAdjustSharpness(RandomAdjustSharpness)
    case randomInvert(RandomApplication)
    case randAugment(RandAugment)
    case trivialAugmentWide(TrivialAugmentWide)
    case autoAugment(AutoAugment)
    case augMix(AugMix)

    /// The pipeline-file name (torchvision's class name in snake case).
    public var name: String {
        switch self {
        case .resize: "resize"
        case .centerCrop: "center_crop"
        case .randomCrop: "random_crop"
        case .randomResizedCrop: "random_resized_crop"
        case .horizontalFlip: "horizontal_flip"
        case .verticalFlip: "vertical_flip"
        case .randomRotation: "random_rotation"
        case .randomAffine: "random_affine"
        case .colorJitter: "color_jitter"
        case .randomGrayscale: "random_grayscale"
        case .normalize: "normalize"
        case .randomErasing: "random_erasing"
        case .gaussianBlur: "gaussian_blur"
        case .randomPosterize: "random_posterize"
        case .randomSolarize: "random_solarize"
        case .randomEqualize: "random_equalize"
        case .randomAutocontrast: "random_autocontrast"
        case .randomAdjustSharpness: "random_adjust_sharpness"
        case .randomInvert: "random_invert"
        case .randAugment: "rand_augment"
        case .trivialAugmentWide: "trivial_augment_wide"
        case .autoAugment: "auto_augment"
        case .augMix: "aug_mix"
        }
    }

    /// Every op name, in the order above.
    public static let names = ["resize", "center_crop", "random_crop", "random_resized_crop", "horizontal_flip", "vertical_flip",
                               "random_rotation", "random_affine", "color_jitter", "random_grayscale", "normalize",
                               "random_erasing", "gaussian_blur", "random_posterize", "random_solarize", "random_equalize",
                               "random_autocontrast", "random_adjust_sharpness", "random_invert", "rand_augment",
                               "trivial_augment_wide", "auto_augment", "aug_mix"]

    /// Where the op acts; a recipe runs its ops in this order of stages (``OpRecipe``). The
    /// pixel stage holds the non-linear ops and the policies (``RandAugment`` and friends), whose
    /// geometric sub-ops fold into the geometry (``PolicyOp``).
    public enum Stage: Int, Sendable, Comparable {
        case geometry, color, pixel, normalization, erasing
        public static func < (a: Stage, b: Stage) -> Bool { a.rawValue < b.rawValue }
    }

    public var stage: Stage {
        switch self {
        case .resize, .centerCrop, .randomCrop, .randomResizedCrop, .horizontalFlip, .verticalFlip, .randomRotation,
             .randomAffine:
            .geometry
        case .colorJitter, .randomGrayscale: .color
        case .normalize: .normalization
        case .randomErasing: .erasing
        case .gaussianBlur, .randomPosterize, .randomSolarize, .randomEqualize, .randomAutocontrast,
             .randomAdjustSharpness, .randomInvert, .randAugment, .trivialAugmentWide, .autoAugment, .augMix:
            .pixel
        }
    }

    /// Whether masks, boxes and keypoints can follow the op: every op but `aug_mix`, which
    /// blends chains of different geometry into one image.
    public var carriesTargets: Bool {
        if case .augMix = self { false } else { true }
    }

    /// Whether the op draws anything (validation and test images skip the ops that do).
    public var isRandom: Bool {
        switch self {
        case .resize, .centerCrop, .normalize: false
        default: true
        }
    }

    /// Draws the op's parameters from `random` and applies them to `t`.
    func draw(_ random: CounterRandom, into t: inout SampleTransform) {
        switch self {
        case .resize(let op): op.apply(to: &t)
        case .centerCrop(let op): t.centerCrop(height: op.size.height, width: op.size.width)
        case .randomCrop(let op): op.draw(random, into: &t)
        case .randomResizedCrop(let op): op.draw(random, into: &t)
        case .horizontalFlip(let op): if random.unit(0) < op.p { t.horizontalFlip() }
        case .verticalFlip(let op): if random.unit(0) < op.p { t.verticalFlip() }
        case .randomRotation(let op):
            t.rotate(angle: random.uniform(0, op.degrees.lower, op.degrees.upper), interpolation: op.interpolation,
                     fill: op.fill)
        case .randomAffine(let op): op.draw(random, into: &t)
        case .colorJitter(let op): op.draw(random, into: &t)
        case .randomGrayscale(let op): if random.unit(0) < op.p { t.grayscale() }
        case .normalize(let op): t.normalize(mean: op.mean, std: op.std)
        case .randomErasing(let op): op.draw(random, into: &t)
        case .gaussianBlur(let op): op.draw(random, into: &t)
        case .randomPosterize(let op): if random.unit(0) < op.p { t.posterize(bits: op.bits) }
        case .randomSolarize(let op): if random.unit(0) < op.p { t.solarize(threshold: op.threshold) }
        case .randomEqualize(let op): if random.unit(0) < op.p { t.equalize() }
        case .randomAutocontrast(let op): if random.unit(0) < op.p { t.autocontrast() }
        case .randomAdjustSharpness(let op): if random.unit(0) < op.p { t.adjustSharpness(op.sharpnessFactor) }
        case .randomInvert(let op): if random.unit(0) < op.p { t.invert() }
        case .randAugment(let op): op.draw(random, into: &t)
        case .trivialAugmentWide(let op): op.draw(random, into: &t)
        case .autoAugment(let op): op.draw(random, into: &t)
        case .augMix(let op): op.draw(random, into: &t)
        }
    }
}

/// A size: one number (a square for crops, the shorter side for ``Resize``) or `[height, width]`.
public enum OpSize: Sendable, Equatable {
    case square(Int)
    case pair(height: Int, width: Int)

    public var height: Int { if case .pair(let h, _) = self { h } else { side } }
    public var width: Int { if case .pair(_, let w) = self { w } else { side } }
    private var side: Int { if case .square(let s) = self { s } else { 0 } }
}

/// A closed range `[lower, upper]` of a parameter.
public struct OpRange: Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    public init(_ lower: Double, _ upper: Double) {
        self.lower = lower
        self.upper = upper
    }
}

/// `Resize(size, interpolation)`: one number resizes the shorter side to it (the longer side to
/// `int(size · long / short)`, as torchvision), `[h, w]` to exactly that.
public struct Resize: Sendable, Equatable {
    public var size: OpSize
    public var interpolation: InterpolationOrder
    public init(size: OpSize, interpolation: InterpolationOrder = .bilinear) {
        self.size = size
        self.interpolation = interpolation
    }

    func apply(to t: inout SampleTransform) {
        switch size {
        case .pair(let h, let w):
            t.resize(height: h, width: w, interpolation: interpolation)
        case .square(let short):
            let (h, w) = (t.height, t.width)
            if h <= w {
                t.resize(height: short, width: Int(Double(short) * Double(w) / Double(h)), interpolation: interpolation)
            } else {
                t.resize(height: Int(Double(short) * Double(h) / Double(w)), width: short, interpolation: interpolation)
            }
        }
    }
}

/// `CenterCrop(size)`.
public struct CenterCrop: Sendable, Equatable {
    public var size: OpSize
    public init(size: OpSize) { self.size = size }
}

/// `RandomCrop(size, padding=None, pad_if_needed=False, fill=0, padding_mode="constant")`:
/// padding `[left, top, right, bottom]` first (and, with `padIfNeeded`, as much again on both
/// sides as the crop lacks), then the crop at top from counter 0 and left from counter 1.
/// `paddingMode`: `.constant` (`fill`, pixel units), `.nearest` (torchvision's `edge`),
/// `.mirror` (its `reflect`: `d c b | a b c d | c b a`) or `.reflect` (its `symmetric`:
/// `c b a | a b c d | d c b`), read by the warp in its one pass (no padded copy).
public struct RandomCrop: Sendable, Equatable {
    public var size: OpSize
    public var padding: [Int]
    public var padIfNeeded: Bool
    public var fill: Double
    public var paddingMode: FillMode
    public init(size: OpSize, padding: [Int] = [0, 0, 0, 0], padIfNeeded: Bool = false, fill: Double = 0,
                paddingMode: FillMode = .constant) {
        self.size = size
        self.padding = padding
        self.padIfNeeded = padIfNeeded
        self.fill = fill
        self.paddingMode = paddingMode
    }

    func draw(_ random: CounterRandom, into t: inout SampleTransform) {
        var (left, top, right, bottom) = (padding[0], padding[1], padding[2], padding[3])
        if padIfNeeded {
            let h = t.height + top + bottom, w = t.width + left + right
            if h < size.height { top += size.height - h; bottom += size.height - h }
            if w < size.width { left += size.width - w; right += size.width - w }
        }
        if left != 0 || top != 0 || right != 0 || bottom != 0 {
            t.pad(left: left, top: top, right: right, bottom: bottom, fill: fill, mode: paddingMode)
        }
        let i = random.below(0, max(1, t.height - size.height + 1)), j = random.below(1, max(1, t.width - size.width + 1))
        t.crop(top: i, left: j, height: size.height, width: size.width)
    }
}

/// `RandomResizedCrop(size, scale=(0.08, 1), ratio=(3/4, 4/3), interpolation=bilinear)`.
///
/// Draws: attempt `k` (0…9) uses counters `4k` (area fraction), `4k + 1` (log aspect ratio),
/// `4k + 2` (top) and `4k + 3` (left); after ten misses, torchvision's central fallback.
public struct RandomResizedCrop: Sendable, Equatable {
    public var size: OpSize
    public var scale: OpRange
    public var ratio: OpRange
    public var interpolation: InterpolationOrder
    public init(size: OpSize, scale: OpRange = OpRange(0.08, 1), ratio: OpRange = OpRange(3.0 / 4, 4.0 / 3),
                interpolation: InterpolationOrder = .bilinear) {
        self.size = size
        self.scale = scale
        self.ratio = ratio
        self.interpolation = interpolation
    }

    /// torchvision's `RandomResizedCrop._get_params` on a `width × height` image: (top, left, height, width).
    func crop(_ random: CounterRandom, width: Int, height: Int) -> (top: Int, left: Int, height: Int, width: Int) {
        let area = Double(height * width)
        let logLower = log(ratio.lower), logUpper = log(ratio.upper)
        for attempt in 0..<10 {
            let k = UInt64(attempt) * 4
            let target = area * random.uniform(k, scale.lower, scale.upper)
            let aspect = exp(random.uniform(k + 1, logLower, logUpper))
            let w = Int((target * aspect).squareRoot().rounded(.toNearestOrEven))
            let h = Int((target / aspect).squareRoot().rounded(.toNearestOrEven))
            if w > 0, w <= width, h > 0, h <= height {
                return (random.below(k + 2, height - h + 1), random.below(k + 3, width - w + 1), h, w)
            }
        }
        let inRatio = Double(width) / Double(height)
        var (w, h) = (width, height)
        if inRatio < min(ratio.lower, ratio.upper) {
            h = Int((Double(w) / min(ratio.lower, ratio.upper)).rounded(.toNearestOrEven))
        } else if inRatio > max(ratio.lower, ratio.upper) {
            w = Int((Double(h) * max(ratio.lower, ratio.upper)).rounded(.toNearestOrEven))
        }
        return ((height - h) / 2, (width - w) / 2, h, w)
    }

    func draw(_ random: CounterRandom, into t: inout SampleTransform) {
        let c = crop(random, width: t.width, height: t.height)
        t.resizedCrop(top: c.top, left: c.left, height: c.height, width: c.width,
                      size: (size.height, size.width), interpolation: interpolation)
    }
}

/// `RandomHorizontalFlip(p=0.5)` / `RandomVerticalFlip(p=0.5)`: counter 0 below `p` flips.
public struct Flip: Sendable, Equatable {
    public var p: Double
    public init(p: Double = 0.5) { self.p = p }
}

/// `RandomRotation(degrees, interpolation=nearest, fill=0)`: the angle from counter 0,
/// counter-clockwise, uniform in `degrees` (one number `d` means `[-d, d]`); `fill` in pixel units.
public struct RandomRotation: Sendable, Equatable {
    public var degrees: OpRange
    public var interpolation: InterpolationOrder
    public var fill: Double
    public init(degrees: OpRange, interpolation: InterpolationOrder = .nearest, fill: Double = 0) {
        self.degrees = degrees
        self.interpolation = interpolation
        self.fill = fill
    }
}

/// `RandomAffine(degrees, translate=None, scale=None, shear=None, interpolation=nearest, fill=0)`.
///
/// Draws: angle counter 0; translations 1 (x) and 2 (y), each `round(uniform(-t·size, t·size))`;
/// scale 3; shear x 4 and y 5.
public struct RandomAffine: Sendable, Equatable {
    public var degrees: OpRange
    public var translate: (x: Double, y: Double)?
    public var scale: OpRange?
    /// x range, and y range when four numbers were given.
    public var shear: (x: OpRange, y: OpRange?)?
    public var interpolation: InterpolationOrder
    public var fill: Double
    public init(degrees: OpRange, translate: (x: Double, y: Double)? = nil, scale: OpRange? = nil,
                shear: (x: OpRange, y: OpRange?)? = nil, interpolation: InterpolationOrder = .nearest, fill: Double = 0) {
        self.degrees = degrees
        self.translate = translate
        self.scale = scale
        self.shear = shear
        self.interpolation = interpolation
        self.fill = fill
    }

    public static func == (a: RandomAffine, b: RandomAffine) -> Bool {
        a.degrees == b.degrees && a.translate?.x == b.translate?.x && a.translate?.y == b.translate?.y
            && a.scale == b.scale && a.shear?.x == b.shear?.x && a.shear?.y == b.shear?.y
            && a.interpolation == b.interpolation && a.fill == b.fill
    }

    func draw(_ random: CounterRandom, into t: inout SampleTransform) {
        let angle = random.uniform(0, degrees.lower, degrees.upper)
        var tx = 0.0, ty = 0.0
        if let translate {
            let dx = translate.x * Double(t.width), dy = translate.y * Double(t.height)
            tx = random.uniform(1, -dx, dx).rounded(.toNearestOrEven)
            ty = random.uniform(2, -dy, dy).rounded(.toNearestOrEven)
        }
        let s = scale.map { random.uniform(3, $0.lower, $0.upper) } ?? 1
        var sx = 0.0, sy = 0.0
        if let shear {
            sx = random.uniform(4, shear.x.lower, shear.x.upper)
            if let y = shear.y { sy = random.uniform(5, y.lower, y.upper) }
        }
        t.affine(angle: angle, translate: (tx, ty), scale: s, shear: (sx, sy), interpolation: interpolation, fill: fill)
    }
}

/// `ColorJitter(brightness, contrast, saturation, hue)`: factors uniform in `[max(0, 1 − b), 1 + b]`
/// (or a given range), hue in `[-h, h]`, applied in a random order.
///
/// Draws: the order is the permutation of four from counters 1–3 (`CounterRandom.permutation(count:)`);
/// brightness counter 10, contrast 11, saturation 12, hue 13.
public struct ColorJitter: Sendable, Equatable {
    public var brightness: OpRange?
    public var contrast: OpRange?
    public var saturation: OpRange?
    public var hue: OpRange?

    /// One number `x` per factor means `[max(0, 1 − x), 1 + x]` (`0`: off); `hue` `h` means `[-h, h]`.
    public init(brightness: Double = 0, contrast: Double = 0, saturation: Double = 0, hue: Double = 0) {
        func factor(_ x: Double) -> OpRange? { x == 0 ? nil : OpRange(max(0, 1 - x), 1 + x) }
        self.init(brightness: factor(brightness), contrast: factor(contrast), saturation: factor(saturation),
                  hue: hue == 0 ? nil : OpRange(-hue, hue))
    }

    public init(brightness: OpRange?, contrast: OpRange?, saturation: OpRange?, hue: OpRange?) {
        self.brightness = brightness
        self.contrast = contrast
        self.saturation = saturation
        self.hue = hue
    }

    func draw(_ random: CounterRandom, into t: inout SampleTransform) {
        let order = random.permutation(count: 4)
        let b = brightness.map { random.uniform(10, $0.lower, $0.upper) }
        let c = contrast.map { random.uniform(11, $0.lower, $0.upper) }
        let s = saturation.map { random.uniform(12, $0.lower, $0.upper) }
        let h = hue.map { random.uniform(13, $0.lower, $0.upper) }
        for step in order {
            switch step {
            case 0: if let b { t.adjustBrightness(b) }
            case 1: if let c { t.adjustContrast(c) }
            case 2: if let s { t.adjustSaturation(s) }
            default: if let h { t.adjustHue(h) }
            }
        }
    }
}

/// `RandomGrayscale(p=0.1)`: counter 0 below `p` turns the image gray (three channels).
public struct RandomGrayscale: Sendable, Equatable {
    public var p: Double
    public init(p: Double = 0.1) { self.p = p }
}

/// `Normalize(mean, std)` of the image scaled to 0…1; `imagenet` names ImageNet's statistics.
public struct Normalize: Sendable, Equatable {
    public var mean: [Double]
    public var std: [Double]
    public init(mean: [Double], std: [Double]) {
        self.mean = mean
        self.std = std
    }

    /// ImageNet's mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225).
    public static let imagenet = Normalize(mean: Normalization.imagenetMean, std: Normalization.imagenetStd)
}

/// `RandomErasing(p=0.5, scale=(0.02, 0.33), ratio=(0.3, 3.3), value=0)` on the output (after
/// normalisation, as in torchvision's recipes); `value` is one number or one per channel.
///
/// Draws: counter 0 below `p` erases; attempt `k` (0…9) uses counters `1 + 4k` (area),
/// `2 + 4k` (log ratio), `3 + 4k` (top), `4 + 4k` (left); ten misses erase nothing.
public struct RandomErasing: Sendable, Equatable {
    public var p: Double
    public var scale: OpRange
    public var ratio: OpRange
    public var value: [Double]
    public init(p: Double = 0.5, scale: OpRange = OpRange(0.02, 0.33), ratio: OpRange = OpRange(0.3, 3.3),
                value: [Double] = [0]) {
        self.p = p
        self.scale = scale
        self.ratio = ratio
        self.value = value
    }

    func draw(_ random: CounterRandom, into t: inout SampleTransform) {
        guard random.unit(0) < p else { return }
        let area = Double(t.height * t.width)
        let logLower = log(ratio.lower), logUpper = log(ratio.upper)
        for attempt in 0..<10 {
            let k = 1 + UInt64(attempt) * 4
            let erase = area * random.uniform(k, scale.lower, scale.upper)
            let aspect = exp(random.uniform(k + 1, logLower, logUpper))
            let h = Int((erase * aspect).squareRoot().rounded(.toNearestOrEven))
            let w = Int((erase / aspect).squareRoot().rounded(.toNearestOrEven))
            guard h < t.height, w < t.width else { continue }
            t.erase(i: random.below(k + 2, t.height - h + 1), j: random.below(k + 3, t.width - w + 1), h: h, w: w,
                    value: value)
            return
        }
    }
}

extension FillMode {
    /// torchvision's `padding_mode` name of a padding mode (`wrap` has none; it is refused).
    var torchvisionPadding: String {
        switch self {
        case .constant, .wrap: "constant"
        case .nearest: "edge"
        case .reflect: "symmetric"
        case .mirror: "reflect"
        }
    }

    /// The padding mode of torchvision's `padding_mode` name.
    init?(torchvisionPadding name: String) {
        switch name {
        case "constant": self = .constant
        case "edge": self = .nearest
        case "reflect": self = .mirror
        case "symmetric": self = .reflect
        default: return nil
        }
    }
}
