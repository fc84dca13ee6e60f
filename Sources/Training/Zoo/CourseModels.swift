/// The two CNNs of the course material this project grew from, and a small
/// ResNet, for 28×28×1 digit images and 10 classes (used by tests and
/// `augment bench train`).
public enum CourseModels {
    /// Conv2D(32, 3×3, same, relu) → MaxPool 2 → Conv2D(64, 3×3, same, relu) →
    /// MaxPool 2 → Flatten (3,136) → Dense(128, relu) → Dense(10, softmax):
    /// 421,642 parameters.
    public static func large(inputShape: [Int] = [28, 28, 1], classes: Int = 10, seed: UInt64 = 0) throws -> Sequential {
        try Sequential(inputShape: inputShape, seed: seed, layers: [
            Conv2D(filters: 32, kernelSize: (3, 3), padding: .same, activation: .relu),
            MaxPooling2D(poolSize: (2, 2)),
            Conv2D(filters: 64, kernelSize: (3, 3), padding: .same, activation: .relu),
            MaxPooling2D(poolSize: (2, 2)),
            Flatten(),
            Dense(units: 128, activation: .relu),
            Dense(units: classes, activation: .softmax),
        ])
    }

    /// Conv2D(32, 3×3, relu) → MaxPool 2 → Conv2D(64, 3×3, relu) → MaxPool 2 →
    /// Conv2D(64, 3×3, relu) → Flatten → Dense(64, relu) → Dropout(0.5) →
    /// Dense(10, softmax): 93,322 parameters.
    public static func small(inputShape: [Int] = [28, 28, 1], classes: Int = 10, seed: UInt64 = 0) throws -> Sequential {
        try Sequential(inputShape: inputShape, seed: seed, layers: [
            Conv2D(filters: 32, kernelSize: (3, 3), activation: .relu),
            MaxPooling2D(poolSize: (2, 2)),
            Conv2D(filters: 64, kernelSize: (3, 3), activation: .relu),
            MaxPooling2D(poolSize: (2, 2)),
            Conv2D(filters: 64, kernelSize: (3, 3), activation: .relu),
            Flatten(),
            Dense(units: 64, activation: .relu),
            Dropout(rate: 0.5),
            Dense(units: classes, activation: .softmax),
        ])
    }

    /// A small ResNet: a 16-filter stem, two stages of two basic blocks (3×3
    /// convolutions, identity shortcuts; the second stage halves the size with
    /// stride 2 and a 1×1 projection shortcut), global average pooling and
    /// Dense(10, softmax): 42,698 parameters. The same graph as
    /// `pipelines/digits-resnet.yaml` and scripts/baseline_train.py's Keras and PyTorch models.
    public static func residual(inputShape: [Int] = [28, 28, 1], classes: Int = 10, seed: UInt64 = 0) throws -> Model {
        let input = try Input(shape: inputShape, seed: seed)
        var x = try Conv2D(filters: 16, kernelSize: (3, 3), padding: .same, activation: .relu, name: "stem")(input)
        for (stage, filters) in [(1, 16), (2, 32)] {
            for block in ["a", "b"] {
                let stride = stage == 2 && block == "a" ? 2 : 1
                let h = try Conv2D(filters: filters, kernelSize: (3, 3), strides: (stride, stride), padding: .same,
                                   activation: .relu)(x)
                let y = try Conv2D(filters: filters, kernelSize: (3, 3), padding: .same, name: "block\(stage)\(block)")(h)
                let shortcut = stride == 1 ? x
                    : try Conv2D(filters: filters, kernelSize: (1, 1), strides: (2, 2), name: "shortcut\(stage)\(block)")(x)
                x = try Activation(.relu, name: "out\(stage)\(block)")(try Add(name: "add\(stage)\(block)")([shortcut, y]))
            }
        }
        let pooled = try GlobalAveragePooling2D()(x)
        return try Model(inputs: input, outputs: try Dense(units: classes, activation: .softmax)(pooled), name: "resnet")
    }
}
