extension AugmentationConfig {
    /// The same random transforms with rescale, every standardisation step and the
    /// preprocessing function removed: pixels stay in 0…255 (previews, `Standardizer.fit`).
    public var withoutStandardization: AugmentationConfig {
        var plain = self
        plain.rescale = nil
        plain.featurewiseCenter = false
        plain.featurewiseStdNormalization = false
        plain.samplewiseCenter = false
        plain.samplewiseStdNormalization = false
        plain.zcaWhitening = false
        plain.preprocessingFunction = nil
        return plain
    }

    /// Rescale, standardisation and the preprocessing function with every random
    /// transform turned off: what validation and test images go through.
    public var withoutRandomTransforms: AugmentationConfig {
        var fixed = self
        fixed.rotationRange = 0
        fixed.widthShiftRange = .fraction(0)
        fixed.heightShiftRange = .fraction(0)
        fixed.brightnessRange = nil
        fixed.shearRange = 0
        fixed.zoomRange = .none
        fixed.channelShiftRange = 0
        fixed.horizontalFlip = false
        fixed.verticalFlip = false
        return fixed
    }
}
