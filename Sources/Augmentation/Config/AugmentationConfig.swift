/// Every `ImageDataGenerator` constructor parameter, with Keras's units and defaults.
///
/// Codable with Keras's own snake_case keys, so a pipeline file can say
/// `rotation_range: 20`. Missing keys take Keras's defaults; bad values are an
/// ``AugmentationError`` naming the key (`validate()` runs when decoding).
///
/// ```swift
/// var config = AugmentationConfig()
/// config.rotationRange = 20
/// config.widthShiftRange = .fraction(0.2)
/// config.heightShiftRange = .fraction(0.2)
/// config.horizontalFlip = true
/// config.zoomRange = ZoomRange(0.2)
/// config.rescale = 1.0 / 255
/// try config.validate()
/// ```
///
/// Keras's implications between flags are applied by the `effective…` properties:
/// ZCA ⇒ feature-wise centring on and feature-wise std off; feature-wise std ⇒ feature-wise
/// centring; sample-wise std ⇒ sample-wise centring.
public struct AugmentationConfig: Sendable, Equatable {
    /// Subtract the fitted per-channel mean (Keras `featurewise_center`).
    public var featurewiseCenter = false
    /// Subtract each sample's own mean (Keras `samplewise_center`).
    public var samplewiseCenter = false
    /// Divide by the fitted per-channel std + 1e-6 (Keras `featurewise_std_normalization`).
    public var featurewiseStdNormalization = false
    /// Divide each sample by its own std + 1e-6 (Keras `samplewise_std_normalization`).
    public var samplewiseStdNormalization = false
    /// Multiply the flattened sample by the fitted ZCA matrix (Keras `zca_whitening`).
    public var zcaWhitening = false
    /// Added to the singular values before inverting them (Keras `zca_epsilon`).
    public var zcaEpsilon = 1e-6
    /// Degrees; θ is drawn from `uniform(-r, r)`.
    public var rotationRange = 0.0
    /// Keras `width_shift_range` (see ``ShiftRange`` for its type-dependent meaning).
    public var widthShiftRange = ShiftRange.fraction(0)
    /// Keras `height_shift_range` (see ``ShiftRange``).
    public var heightShiftRange = ShiftRange.fraction(0)
    /// Brightness factor range `[low, high]` (1 = unchanged), or `nil` for none.
    public var brightnessRange: BrightnessRange?
    /// Degrees (Keras's legacy generator uses degrees, not radians).
    public var shearRange = 0.0
    /// Keras `zoom_range`: `zx`, `zy` drawn independently from it.
    public var zoomRange = ZoomRange.none
    /// Intensity added to every channel, drawn from `uniform(-r, r)`, in pixel units (before rescale).
    public var channelShiftRange = 0.0
    /// How samples outside the source are filled (Keras `fill_mode`).
    public var fillMode = FillMode.nearest
    /// Fill value for ``FillMode/constant``, in pixel units (before rescale).
    public var cval = 0.0
    /// Flip columns with probability 1/2.
    public var horizontalFlip = false
    /// Flip rows with probability 1/2.
    public var verticalFlip = false
    /// Multiplies the pixel values after the other transforms (Keras `rescale`), `nil` = none.
    public var rescale: Double?
    /// Runs where Keras runs `preprocessing_function`: first thing in `standardize`, before rescale.
    /// Pipeline files name one of ``ImageNetPreprocessing``'s (`mobilenet_v2`, `caffe`...);
    /// encoded by its name.
    public var preprocessingFunction: PreprocessingFunction?
    /// Keras `data_format`; ``PixelLayout/init(_:)`` maps it to the render layout.
    public var dataFormat = DataFormat.channelsLast
    /// Fraction of the data held out for validation, in `[0, 1)`.
    public var validationSplit = 0.0
    /// Keras `interpolation_order`: 0 nearest, 1 bilinear.
    public var interpolationOrder = InterpolationOrder.bilinear

    /// Keras's defaults: no augmentation, `nearest` fill, bilinear.
    public init() {}

    /// Feature-wise centring after Keras's implications (ZCA and feature-wise std turn it on).
    public var effectiveFeaturewiseCenter: Bool {
        featurewiseCenter || zcaWhitening || featurewiseStdNormalization
    }
    /// Feature-wise std normalisation after Keras's implications (ZCA turns it off).
    public var effectiveFeaturewiseStdNormalization: Bool {
        featurewiseStdNormalization && !zcaWhitening
    }
    /// Sample-wise centring after Keras's implications (sample-wise std turns it on).
    public var effectiveSamplewiseCenter: Bool { samplewiseCenter || samplewiseStdNormalization }

    /// Whether any feature-wise statistic must be fitted before use.
    public var needsFit: Bool { effectiveFeaturewiseCenter || effectiveFeaturewiseStdNormalization || zcaWhitening }

    /// Checks every parameter; the error names the Keras key and the value.
    public func validate() throws(AugmentationError) {
        func require(_ ok: Bool, _ key: String, _ value: Any, _ reason: String) throws(AugmentationError) {
            if !ok { throw AugmentationError(parameter: key, value: "\(value)", reason: reason) }
        }
        try require(zcaEpsilon.isFinite && zcaEpsilon >= 0, "zca_epsilon", zcaEpsilon, "must be finite and >= 0")
        try require(rotationRange.isFinite && rotationRange >= 0, "rotation_range", rotationRange,
                    "must be finite and >= 0 (degrees)")
        try widthShiftRange.validate(name: "width_shift_range")
        try heightShiftRange.validate(name: "height_shift_range")
        if let brightness = brightnessRange {
            try require(brightness.lower.isFinite && brightness.upper.isFinite && brightness.lower >= 0,
                        "brightness_range", [brightness.lower, brightness.upper], "bounds must be finite and >= 0")
            try require(brightness.lower <= brightness.upper, "brightness_range",
                        [brightness.lower, brightness.upper], "low must not exceed high")
        }
        try require(shearRange.isFinite && shearRange >= 0, "shear_range", shearRange, "must be finite and >= 0 (degrees)")
        try require(zoomRange.lower.isFinite && zoomRange.upper.isFinite && zoomRange.lower > 0,
                    "zoom_range", [zoomRange.lower, zoomRange.upper], "zoom factors must be finite and > 0")
        try require(zoomRange.lower <= zoomRange.upper, "zoom_range", [zoomRange.lower, zoomRange.upper],
                    "low must not exceed high")
        try require(channelShiftRange.isFinite && channelShiftRange >= 0, "channel_shift_range", channelShiftRange,
                    "must be finite and >= 0")
        try require(cval.isFinite, "cval", cval, "must be finite")
        if let rescale { try require(rescale.isFinite, "rescale", rescale, "must be finite") }
        try require(validationSplit >= 0 && validationSplit < 1, "validation_split", validationSplit,
                    "must be in [0, 1)")
    }
}

/// Keras's `brightness_range`: the factor is drawn from `uniform(lower, upper)`.
public struct BrightnessRange: Sendable, Equatable {
    /// Smallest factor (>= 0).
    public var lower: Double
    /// Largest factor.
    public var upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }
}

/// A named user function run on each sample where Keras runs `preprocessing_function`.
///
/// It receives the sample's Floats (pixel units, before rescale), its height, width, channels
/// and layout, and must keep the shape. Two values are equal when their names are.
public struct PreprocessingFunction: Sendable, Equatable {
    public typealias Body = @Sendable (UnsafeMutableBufferPointer<Float>, _ height: Int, _ width: Int,
                                       _ channels: Int, PixelLayout) -> Void
    public let name: String
    public let body: Body

    public init(name: String, _ body: @escaping Body) {
        self.name = name
        self.body = body
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.name == rhs.name }
}
