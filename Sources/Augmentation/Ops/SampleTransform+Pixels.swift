/// The pixel stage's functions (``PixelOp``), in torchvision.transforms.v2.functional's units on
/// the uint8 image: thresholds in 0…255, bits, factors, kernel sizes in pixels.
extension SampleTransform {
    /// `F.posterize(bits)`, `bits` in 0…8.
    public mutating func posterize(bits: Int) {
        pixelOps.append(.posterize(bits: bits))
        record("posterize", ["bits": .int(bits)])
    }

    /// `F.solarize(threshold)`: values at or above `threshold` (0…255) are inverted.
    public mutating func solarize(threshold: Double) {
        pixelOps.append(.solarize(threshold: threshold))
        record("solarize", ["threshold": .number(threshold)])
    }

    /// `F.equalize`.
    public mutating func equalize() {
        pixelOps.append(.equalize)
        record("equalize", [:])
    }

    /// `F.autocontrast`.
    public mutating func autocontrast() {
        pixelOps.append(.autocontrast)
        record("autocontrast", [:])
    }

    /// `F.adjust_sharpness(sharpness_factor)`: 0 smooths, 1 is the image, 2 sharpens twice as much.
    public mutating func adjustSharpness(_ factor: Double) {
        pixelOps.append(.sharpness(factor))
        record("adjust_sharpness", ["sharpness_factor": .number(factor)])
    }

    /// `F.invert`.
    public mutating func invert() {
        pixelOps.append(.invert)
        record("invert", [:])
    }

    /// `F.gaussian_blur(kernel_size=[width, height], sigma=[x, y])`: odd kernel sizes, positive sigmas.
    public mutating func gaussianBlur(kernelSize: (width: Int, height: Int), sigma: (x: Double, y: Double)) {
        pixelOps.append(.gaussianBlur(kernelWidth: kernelSize.width, kernelHeight: kernelSize.height,
                                      sigmaX: sigma.x, sigmaY: sigma.y))
        record("gaussian_blur", ["kernel_size": .ints([kernelSize.width, kernelSize.height]),
                                 "sigma": .numbers([sigma.x, sigma.y])])
    }

    /// Adds `parameters` to the record of the last op that ran (a policy's sub-op name and magnitude).
    mutating func annotateLast(_ parameters: [String: AppliedOp.Value]) {
        guard var last = applied.popLast() else { return }
        last.parameters.merge(parameters) { _, new in new }
        record(last.name, last.parameters)
    }
}
