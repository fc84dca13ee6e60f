/// The two CNNs of the course material this project grew from, for
/// 28×28×1 digit images and 10 classes (used by tests and `augment bench train`).
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
}
