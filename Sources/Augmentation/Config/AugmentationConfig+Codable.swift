extension AugmentationConfig: Codable {
    /// Every key a pipeline file's `augmentation` section may use (Keras's names).
    public static var parameterNames: [String] { CodingKeys.allCases.map(\.rawValue) }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case featurewiseCenter = "featurewise_center"
        case samplewiseCenter = "samplewise_center"
        case featurewiseStdNormalization = "featurewise_std_normalization"
        case samplewiseStdNormalization = "samplewise_std_normalization"
        case zcaWhitening = "zca_whitening"
        case zcaEpsilon = "zca_epsilon"
        case rotationRange = "rotation_range"
        case widthShiftRange = "width_shift_range"
        case heightShiftRange = "height_shift_range"
        case brightnessRange = "brightness_range"
        case shearRange = "shear_range"
        case zoomRange = "zoom_range"
        case channelShiftRange = "channel_shift_range"
        case fillMode = "fill_mode"
        case cval
        case horizontalFlip = "horizontal_flip"
        case verticalFlip = "vertical_flip"
        case rescale
        case preprocessingFunction = "preprocessing_function"
        case dataFormat = "data_format"
        case validationSplit = "validation_split"
        case interpolationOrder = "interpolation_order"
    }

    /// Decodes Keras's keys (all optional), then runs ``validate()``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try c.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        featurewiseCenter = try value(.featurewiseCenter, featurewiseCenter)
        samplewiseCenter = try value(.samplewiseCenter, samplewiseCenter)
        featurewiseStdNormalization = try value(.featurewiseStdNormalization, featurewiseStdNormalization)
        samplewiseStdNormalization = try value(.samplewiseStdNormalization, samplewiseStdNormalization)
        zcaWhitening = try value(.zcaWhitening, zcaWhitening)
        zcaEpsilon = try value(.zcaEpsilon, zcaEpsilon)
        rotationRange = try value(.rotationRange, rotationRange)
        widthShiftRange = try value(.widthShiftRange, widthShiftRange)
        heightShiftRange = try value(.heightShiftRange, heightShiftRange)
        if let pair = try c.decodeIfPresent([Double].self, forKey: .brightnessRange) {
            guard pair.count == 2 else {
                throw AugmentationError(parameter: "brightness_range", value: "\(pair)",
                                        reason: "must be a list of two numbers")
            }
            brightnessRange = BrightnessRange(lower: pair[0], upper: pair[1])
        }
        shearRange = try value(.shearRange, shearRange)
        zoomRange = try value(.zoomRange, zoomRange)
        channelShiftRange = try value(.channelShiftRange, channelShiftRange)
        if let name = try c.decodeIfPresent(String.self, forKey: .fillMode) {
            guard let mode = FillMode(rawValue: name), mode != .mirror else {
                throw AugmentationError(parameter: "fill_mode", value: name,
                                        reason: "must be one of constant, nearest, reflect, wrap")
            }
            fillMode = mode
        }
        cval = try value(.cval, cval)
        horizontalFlip = try value(.horizontalFlip, horizontalFlip)
        verticalFlip = try value(.verticalFlip, verticalFlip)
        rescale = try c.decodeIfPresent(Double.self, forKey: .rescale)
        if let name = try c.decodeIfPresent(String.self, forKey: .preprocessingFunction) {
            preprocessingFunction = try ImageNetPreprocessing.function(named: name)
        }
        if let name = try c.decodeIfPresent(String.self, forKey: .dataFormat) {
            guard let format = DataFormat(rawValue: name) else {
                throw AugmentationError(parameter: "data_format", value: name,
                                        reason: "must be channels_last or channels_first")
            }
            dataFormat = format
        }
        validationSplit = try value(.validationSplit, validationSplit)
        if let order = try c.decodeIfPresent(Int.self, forKey: .interpolationOrder) {
            guard let parsed = InterpolationOrder(rawValue: order) else {
                throw AugmentationError(parameter: "interpolation_order", value: "\(order)",
                                        reason: "must be 0 (nearest) or 1 (bilinear)")
            }
            interpolationOrder = parsed
        }
        try validate()
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(featurewiseCenter, forKey: .featurewiseCenter)
        try c.encode(samplewiseCenter, forKey: .samplewiseCenter)
        try c.encode(featurewiseStdNormalization, forKey: .featurewiseStdNormalization)
        try c.encode(samplewiseStdNormalization, forKey: .samplewiseStdNormalization)
        try c.encode(zcaWhitening, forKey: .zcaWhitening)
        try c.encode(zcaEpsilon, forKey: .zcaEpsilon)
        try c.encode(rotationRange, forKey: .rotationRange)
        try c.encode(widthShiftRange, forKey: .widthShiftRange)
        try c.encode(heightShiftRange, forKey: .heightShiftRange)
        if let b = brightnessRange { try c.encode([b.lower, b.upper], forKey: .brightnessRange) }
        try c.encode(shearRange, forKey: .shearRange)
        try c.encode(zoomRange, forKey: .zoomRange)
        try c.encode(channelShiftRange, forKey: .channelShiftRange)
        try c.encode(fillMode, forKey: .fillMode)
        try c.encode(cval, forKey: .cval)
        try c.encode(horizontalFlip, forKey: .horizontalFlip)
        try c.encode(verticalFlip, forKey: .verticalFlip)
        try c.encodeIfPresent(rescale, forKey: .rescale)
        try c.encodeIfPresent(preprocessingFunction?.name, forKey: .preprocessingFunction)
        try c.encode(dataFormat, forKey: .dataFormat)
        try c.encode(validationSplit, forKey: .validationSplit)
        try c.encode(interpolationOrder.rawValue, forKey: .interpolationOrder)
    }
}
