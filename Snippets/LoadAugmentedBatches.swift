// Keras's `ImageDataGenerator(...).flow_from_directory(...)` in Swift: a folder of
// class folders becomes augmented, shuffled, fixed-size batches.
// snippet.hide
import Augmentation
import DataPipeline

// snippet.show
let folder = try ImageFolder(directory: "samples/photos", validationSplit: 0.2, subset: .training)
var config = AugmentationConfig()                        // ImageDataGenerator's arguments
config.rotationRange = 20
config.horizontalFlip = true
config.rescale = 1.0 / 255
let renderer = try ImageFileRenderer(source: folder, config: config, height: 224, width: 224, seed: 42)
let loader = try DataLoader(source: folder, renderer: renderer,
                            options: LoaderOptions(batchSize: 32, seed: 42, badFilePolicy: .skip))
for epoch in 0..<2 {
    let run = loader.epoch(epoch)
    for batch in run {
        // batch.inputs: 32×224×224×3 Floats, batch.targets: 32×K one-hot rows
        print("epoch \(epoch): \(batch.count) samples")
    }
    print("skipped:", try run.finish().skipped)  // or: for try await batch in loader.epoch(epoch)
}
