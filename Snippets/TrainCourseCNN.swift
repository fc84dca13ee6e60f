// The course's Keras CNN, compiled and fitted with callbacks, in Swift.
// snippet.hide
import Augmentation
import DataPipeline
import Training

/// Digits in samples/: 80% augmented for training, 20% as they are for validation.
func loader(_ subset: Subset) throws -> DataLoader {
    var config = AugmentationConfig()
    config.rescale = 1.0 / 255
    if subset == .training { config.rotationRange = 10 }
    let folder = try ImageFolder(directory: "samples/digits/train", validationSplit: 0.2, subset: subset)
    let renderer = try ImageFileRenderer(source: folder, config: config, height: 28, width: 28,
                                         colorMode: .grayscale, seed: 1)
    return try DataLoader(source: folder, renderer: renderer,
                          options: LoaderOptions(batchSize: 32, shuffle: subset == .training, seed: 1))
}
let trainLoader = try loader(.training)
let validationLoader = try loader(.validation)

// snippet.show
let model = try Sequential(inputShape: [28, 28, 1], seed: 1, layers: [
    Conv2D(filters: 32, kernelSize: (3, 3), activation: .relu), MaxPooling2D(),
    Conv2D(filters: 64, kernelSize: (3, 3), activation: .relu), MaxPooling2D(),
    Conv2D(filters: 64, kernelSize: (3, 3), activation: .relu), Flatten(),
    Dense(units: 64, activation: .relu), Dropout(rate: 0.5), Dense(units: 10, activation: .softmax),
])
model.compile(optimizer: try Adam(learningRate: 1e-3), loss: CategoricalCrossentropy(), metrics: [.automatic])
print(model.summary())                                   // Keras's table: 93,322 parameters
let history = try model.fit(trainLoader, epochs: 3, validationData: validationLoader, callbacks: [
    try EarlyStopping(monitor: "val_loss", patience: 6, restoreBestWeights: true),
    try ReduceLROnPlateau(monitor: "val_loss", factor: 0.5, patience: 3),
])
print(history)
try model.saveWeights(to: "/tmp/best.safetensors")      // readable by Python's safetensors
