import Training

/// The applications of `keras.applications` that Augment builds, by the
/// names pipeline files and the command line use.
///
/// ```swift
/// let base = try Application(name: "mobilenet_v2")!.model(ApplicationOptions(includeTop: false, alpha: 0.35))
/// ```
public enum Application: String, Sendable, CaseIterable {
    case vgg16
    case resnet50
    case mobileNetV2 = "mobilenet_v2"
    case efficientNetB0 = "efficientnet_b0"

    /// The application called `name` (`vgg16`, `resnet50`, `mobilenet_v2`, `efficientnet_b0`).
    public init?(name: String) { self.init(rawValue: name) }

    /// The model with these options. `imagenetWeights` adds EfficientNetB0's
    /// `rescaling_1` layer (see ``EfficientNetB0(_:imagenetWeights:)``); the
    /// other applications do not depend on it.
    public func model(_ options: ApplicationOptions, imagenetWeights: Bool = false) throws -> Model {
        switch self {
        case .vgg16: try VGG16(options)
        case .resnet50: try ResNet50(options)
        case .mobileNetV2: try MobileNetV2(options)
        case .efficientNetB0: try EfficientNetB0(options, imagenetWeights: imagenetWeights)
        }
    }

    /// The name of its `preprocess_input` for `augmentation.preprocessing_function`
    /// (the application's own name; EfficientNetB0's is the identity).
    public var preprocessingName: String { rawValue }
}
