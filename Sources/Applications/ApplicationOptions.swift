import Training

/// Keras's `pooling` argument of the applications: what follows the last
/// convolutional block when the classifier (`include_top`) is left out.
public enum GlobalPooling: String, Sendable, CaseIterable {
    /// The 4-D feature map itself.
    case none
    /// `GlobalAveragePooling2D`: one value per channel.
    case avg
    /// `GlobalMaxPooling2D`: one value per channel.
    case max
}

/// The arguments every application takes, with Keras's defaults
/// (`include_top=True`, 224×224×3, `pooling=None`, 1000 classes, softmax).
///
/// Weights are never downloaded: a model starts from seeded random values
/// (``seed``, through `GraphBuilder`) and loads a weight file the user has.
///
/// ```swift
/// let options = ApplicationOptions(includeTop: false, inputShape: [160, 160, 3], pooling: .avg)
/// let base = try Application.mobileNetV2.model(options)
/// ```
public struct ApplicationOptions: Sendable {
    /// Whether the model ends with Keras's classifier (`include_top`).
    public var includeTop: Bool
    /// Per-sample input `(height, width, channels)`; nil: 224×224×3.
    public var inputShape: [Int]?
    /// Pooling after the last block when ``includeTop`` is false (ignored otherwise, as in Keras).
    public var pooling: GlobalPooling
    /// Units of the classifier.
    public var classes: Int
    /// Activation of the classifier (`classifier_activation`; `.linear` for logits).
    public var classifierActivation: ActivationFunction
    /// MobileNetV2's width multiplier; the other applications refuse anything but 1.
    public var alpha: Float
    /// Seed of the random initial weights.
    public var seed: UInt64

    public init(includeTop: Bool = true, inputShape: [Int]? = nil, pooling: GlobalPooling = .none,
                classes: Int = 1000, classifierActivation: ActivationFunction = .softmax,
                alpha: Float = 1, seed: UInt64 = 0) {
        self.includeTop = includeTop
        self.inputShape = inputShape
        self.pooling = pooling
        self.classes = classes
        self.classifierActivation = classifierActivation
        self.alpha = alpha
        self.seed = seed
    }

    /// Keras's smallest input side for all four applications.
    static let minimumSide = 32

    /// The input shape, checked as Keras's `obtain_input_shape` checks it:
    /// height and width at least 32, at least one channel.
    func validatedInputShape() throws -> [Int] {
        let shape = inputShape ?? [224, 224, 3]
        guard shape.count == 3, shape[2] > 0 else {
            throw TrainingError.invalidArgument(parameter: "inputShape", value: "\(shape)",
                                                reason: "an application takes (height, width, channels)")
        }
        guard shape[0] >= Self.minimumSide, shape[1] >= Self.minimumSide else {
            throw TrainingError.invalidArgument(parameter: "inputShape", value: "\(shape)",
                                                reason: "height and width must be at least \(Self.minimumSide), as in Keras")
        }
        guard classes > 0 else {
            throw TrainingError.invalidArgument(parameter: "classes", value: "\(classes)", reason: "must be positive")
        }
        return shape
    }
}

/// Pieces shared by the four builders.
enum ApplicationParts {
    /// Keras's `imagenet_utils.correct_pad`: the `((top, bottom), (left, right))`
    /// zero padding before a strided `valid` convolution, one row or column
    /// less at the top/left when that side of the input is even.
    static func correctPad(_ shape: [Int], kernel: Int) -> ((Int, Int), (Int, Int)) {
        let correct = kernel / 2
        let adjust = (1 - shape[0] % 2, 1 - shape[1] % 2)
        return ((correct - adjust.0, correct), (correct - adjust.1, correct))
    }

    /// The `pooling` layer of a model without its top, or the tensor itself.
    static func pool(_ x: SymbolicTensor, _ pooling: GlobalPooling, averageName: String = "",
                     maxName: String = "") throws -> SymbolicTensor {
        switch pooling {
        case .none: return x
        case .avg: return try GlobalAveragePooling2D(name: averageName)(x)
        case .max: return try GlobalMaxPooling2D(name: maxName)(x)
        }
    }

    /// Throws unless `alpha` is 1 (only MobileNetV2 has a width multiplier).
    static func requireUnitAlpha(_ options: ApplicationOptions, _ application: String) throws {
        guard options.alpha == 1 else {
            throw TrainingError.invalidArgument(parameter: "alpha", value: "\(options.alpha)",
                                                reason: "\(application) has no width multiplier (only mobilenet_v2 takes alpha)")
        }
    }
}
