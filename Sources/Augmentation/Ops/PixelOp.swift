import Foundation

/// A step of the pixel stage: torchvision.transforms.v2.functional's uint8 kernel of the same
/// name, on the sample the fused warp + colour pass rendered (``TransformKernel``).
///
/// **Units and rounding.** The stage works on the uint8-valued image, as torchvision's
/// `RandAugment` and friends expect: on entry every value is clamped to 0…255 and rounded
/// (half to even, as torchvision rounds its warps), and each step then follows torchvision's
/// uint8 arithmetic exactly, truncating where it truncates (`autocontrast`, `adjust_sharpness`,
/// the colour blends) and rounding where it rounds (`gaussian_blur`). Normalisation runs after
/// the last step. Where torchvision would have rounded *between* earlier ops (its warps and
/// colour ops on uint8), the fused pass keeps Floats until the stage begins: within one pixel
/// unit of torchvision's values at the stage's entry.
public enum PixelOp: Sendable, Equatable {
    /// `F.posterize(bits)`: keeps the top `bits` (0…8) bits of each value.
    case posterize(bits: Int)
    /// `F.solarize(threshold)`: values `>= threshold` (pixel units) become `255 − v`.
    case solarize(threshold: Double)
    /// `F.equalize`: PIL's histogram equalisation, per channel.
    case equalize
    /// `F.autocontrast`: each channel's [min, max] stretched to [0, 255].
    case autocontrast
    /// `F.adjust_sharpness(sharpness_factor)`: blends with a 3×3 smoothing (the border stays).
    case sharpness(Double)
    /// `F.invert`: `255 − v`.
    case invert
    /// `F.gaussian_blur(kernel_size=[width, height], sigma=[x, y])`, reflect padding.
    case gaussianBlur(kernelWidth: Int, kernelHeight: Int, sigmaX: Double, sigmaY: Double)
    /// A colour step that comes after a pixel op (a policy's `Brightness` after its `Equalize`):
    /// torchvision's uint8 colour function, truncated to whole numbers. `factor` is the step's
    /// factor as given (torchvision derives its blend weight `1 − factor` from it in Double).
    case color(ColorStep, factor: Double)

    /// torchvision.transforms.v2.functional's name.
    public var name: String {
        switch self {
        case .posterize: "posterize"
        case .solarize: "solarize"
        case .equalize: "equalize"
        case .autocontrast: "autocontrast"
        case .sharpness: "adjust_sharpness"
        case .invert: "invert"
        case .gaussianBlur: "gaussian_blur"
        case .color(let step, _): step.functionName
        }
    }

    /// torchvision's Gaussian kernel of `size` taps (`_get_gaussian_kernel1d`): `exp(−x² / 2σ²)` at
    /// the integer offsets, normalised.
    static func gaussianKernel(size: Int, sigma: Double) -> [Float] {
        let half = Double(size - 1) / 2
        let weights = (0..<size).map { exp(-pow((Double($0) - half) / sigma, 2) / 2) }
        let total = weights.reduce(0, +)
        return weights.map { Float($0 / total) }
    }
}

extension ColorStep {
    /// torchvision.transforms.v2.functional's name of the step.
    var functionName: String {
        switch self {
        case .brightness: "adjust_brightness"
        case .contrast: "adjust_contrast"
        case .saturation: "adjust_saturation"
        case .hue: "adjust_hue"
        case .grayscale: "rgb_to_grayscale"
        }
    }
}
