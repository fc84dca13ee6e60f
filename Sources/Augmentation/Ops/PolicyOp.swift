import Foundation

/// A sub-op of torchvision's automatic augmentation policies (``RandAugment``,
/// ``TrivialAugmentWide``, ``AutoAugment``), named as in its `_apply_image_or_video_transform`,
/// with its meaning there for a magnitude `m`:
///
/// | Sub-op | Function |
/// |---|---|
/// | `ShearX` / `ShearY` | `F.affine(shear=[degrees(atan(m)), 0])` / `[0, …]` about the upper left corner |
/// | `TranslateX` / `TranslateY` | `F.affine(translate=[int(m), 0])` / `[0, int(m)]` |
/// | `Rotate` | `F.rotate(angle=m)` |
/// | `Brightness`, `Color`, `Contrast`, `Sharpness` | `F.adjust_brightness`, `adjust_saturation`, `adjust_contrast`, `adjust_sharpness` with `1 + m` |
/// | `Posterize` | `F.posterize(bits=int(m))` |
/// | `Solarize` | `F.solarize(threshold=255 · m)` |
/// | `AutoContrast`, `Equalize`, `Invert`, `Identity` | `F.autocontrast`, `F.equalize`, `F.invert`, nothing |
///
/// Geometric sub-ops fold into the transform's one geometry matrix; colour and pixel sub-ops
/// join the colour pass or the pixel stage (``PixelOp``). torchvision applies each at its
/// position in the sequence: a colour or pixel sub-op drawn before a geometric one runs after
/// it here. Pointwise ones (brightness, saturation, posterize, solarize, invert) commute with a
/// nearest-neighbour warp except on the fill pixels the warp brings in (torchvision leaves those
/// at `fill`; here they go through the op); equalize, autocontrast, contrast and sharpness also
/// see those fill pixels in their histogram, extremes, mean or neighbourhood.
public enum PolicyOp: String, Sendable, CaseIterable {
    case identity = "Identity", shearX = "ShearX", shearY = "ShearY", translateX = "TranslateX"
    case translateY = "TranslateY", rotate = "Rotate", brightness = "Brightness", color = "Color"
    case contrast = "Contrast", sharpness = "Sharpness", posterize = "Posterize", solarize = "Solarize"
    case autoContrast = "AutoContrast", equalize = "Equalize", invert = "Invert"

    /// Whether the magnitude takes a random sign (torchvision's `signed`).
    var isSigned: Bool {
        switch self {
        case .shearX, .shearY, .translateX, .translateY, .rotate, .brightness, .color, .contrast, .sharpness: true
        default: false
        }
    }

    /// Applies the sub-op with magnitude `m` and records it with `policy`, its name and `m`.
    func apply(_ m: Double, to t: inout SampleTransform, policy: String, interpolation: InterpolationOrder, fill: Double) {
        switch self {
        case .identity: t.record("identity", [:])
        case .shearX:
            t.affine(angle: 0, shear: (atan(m) * 180 / .pi, 0), interpolation: interpolation, fill: fill, center: (0, 0))
        case .shearY:
            t.affine(angle: 0, shear: (0, atan(m) * 180 / .pi), interpolation: interpolation, fill: fill, center: (0, 0))
        case .translateX: t.affine(angle: 0, translate: (Double(Int(m)), 0), interpolation: interpolation, fill: fill)
        case .translateY: t.affine(angle: 0, translate: (0, Double(Int(m))), interpolation: interpolation, fill: fill)
        case .rotate: t.rotate(angle: m, interpolation: interpolation, fill: fill)
        case .brightness: t.adjustBrightness(1 + m)
        case .color: t.adjustSaturation(1 + m)
        case .contrast: t.adjustContrast(1 + m)
        case .sharpness: t.adjustSharpness(1 + m)
        case .posterize: t.posterize(bits: Int(m))
        case .solarize: t.solarize(threshold: Double(Float(255 * m)))
        case .autoContrast: t.autocontrast()
        case .equalize: t.equalize()
        case .invert: t.invert()
        }
        t.annotateLast(["policy": .text(policy), "op": .text(rawValue), "magnitude": .number(m)])
    }
}

/// The magnitude bins of a policy's sub-ops (torchvision's `_AUGMENTATION_SPACE` tables), as
/// Float32 values exactly as `torch.linspace` computes them (fused multiply-adds from either end).
enum PolicySpace: Sendable {
    /// `RandAugment` and `AutoAugment`: shear 0.3, translate 150/331 of the side, rotate 30°,
    /// colour and sharpness 0.9, posterize 8…4 bits.
    case standard
    /// `TrivialAugmentWide`: shear 0.99, translate 32 px, rotate 135°, colour and sharpness 0.99,
    /// posterize 8…2 bits.
    case wide
    /// `AugMix`: shear 0.3, translate a third of the side, rotate 30°, colour and sharpness 0.9,
    /// posterize 4…0 bits.
    case augMix

    /// The sub-ops a random choice picks from, in torchvision's order.
    static let choices: [PolicyOp] = [.identity, .shearX, .shearY, .translateX, .translateY, .rotate, .brightness,
                                      .color, .contrast, .sharpness, .posterize, .solarize, .autoContrast, .equalize]

    /// `AugMix`'s sub-ops, in torchvision's order: the partial space, then (with `all_ops`) the
    /// colour and sharpness ones.
    static func augMixChoices(allOps: Bool) -> [PolicyOp] {
        [.shearX, .shearY, .translateX, .translateY, .rotate, .posterize, .solarize, .autoContrast, .equalize]
            + (allOps ? [.brightness, .color, .contrast, .sharpness] : [])
    }

    /// The `bins` magnitudes of `op` on a `width × height` image, or `nil` for sub-ops without one.
    func magnitudes(_ op: PolicyOp, bins: Int, width: Int, height: Int) -> [Double]? {
        let wide = self == .wide
        func translate(_ side: Int) -> Double {
            self == .augMix ? Double(side) / 3 : wide ? 32 : 150.0 / 331.0 * Double(side)
        }
        switch op {
        case .shearX, .shearY: return Self.linspace(0, wide ? 0.99 : 0.3, bins)
        case .translateX: return Self.linspace(0, translate(width), bins)
        case .translateY: return Self.linspace(0, translate(height), bins)
        case .rotate: return Self.linspace(0, wide ? 135 : 30, bins)
        case .brightness, .color, .contrast, .sharpness: return Self.linspace(0, wide ? 0.99 : 0.9, bins)
        case .posterize:
            let top: Float = self == .augMix ? 4 : 8
            let divisor = Float(bins - 1) / (wide ? 6 : 4)
            return (0..<bins).map { Double((top - Float($0) / divisor).rounded(.toNearestOrEven)) }
        case .solarize: return Self.linspace(1, 0, bins)
        case .identity, .autoContrast, .equalize, .invert: return nil
        }
    }

    /// `torch.linspace(start, end, steps)` in Float32.
    static func linspace(_ start: Double, _ end: Double, _ steps: Int) -> [Double] {
        let s = Float(start), e = Float(end)
        guard steps > 1 else { return [Double(s)] }
        let step = (e - s) / Float(steps - 1)
        return (0..<steps).map { i in
            Double(i < steps / 2 ? s.addingProduct(step, Float(i)) : e.addingProduct(-step, Float(steps - 1 - i)))
        }
    }
}
