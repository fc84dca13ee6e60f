import Augmentation
import Tensors

/// MixUp and CutMix on a loader's batches (``LoaderOptions/batchMixing``): the batch op recipe,
/// the number of classes of its soft targets, and the pixel order of the samples.
///
/// A batch is mixed once all its samples are rendered, by the worker that rendered its last one,
/// in place in the pooled buffer (no copy; nothing at all runs when no mixing is set). Its mix
/// is drawn from (seed, epoch, the epoch position of its first sample) alone
/// (`BatchOpRecipe`), so batches are the same bytes at any worker count and prefetch depth.
///
/// Targets become soft, N × `classCount` Floats: `.categorical` rows are mixed as they are,
/// `.sparse` class indices are one-hot encoded first (torchvision's `num_classes`), and `.none`
/// sources have only their images mixed. Other class modes are refused: a binary label, raw
/// values or the input itself have no class probabilities to mix.
///
/// ```swift
/// var options = LoaderOptions(batchSize: 64, seed: 42)
/// options.batchMixing = BatchMixing(recipe: try BatchOpRecipe(ops: [.cutmix(CutMix())], seed: 42),
///                                   classCount: folder.classNames.count)
/// let loader = try DataLoader(source: folder, renderer: renderer, options: options)
/// ```
public struct BatchMixing: Sendable, Equatable {
    /// The ops and the seed that keys their draws.
    public var recipe: BatchOpRecipe
    /// Classes of the soft targets (the width of a `.categorical` row).
    public var classCount: Int
    /// The element order of the renderer's samples.
    public var layout: PixelLayout

    /// Mixing by `recipe` into soft targets of `classCount` classes, for samples in `layout` order.
    public init(recipe: BatchOpRecipe, classCount: Int, layout: PixelLayout = .hwc) {
        self.recipe = recipe
        self.classCount = classCount
        self.layout = layout
    }

    /// The shape of a batch of `count` samples of `sampleShape`, after checking that `source`'s
    /// targets can be made soft.
    /// - Throws: `DataPipelineError.invalidArgument` naming the batch ops and what does not fit.
    func batchShape(sampleShape: [Int], source: any SampleSource) throws(DataPipelineError) -> BatchShape {
        let ops = recipe.ops.map(\.name).joined(separator: ", ")
        func refuse(_ reason: String) -> DataPipelineError {
            DataPipelineError(.invalidArgument, message: "batch ops (\(ops)): \(reason)")
        }
        guard sampleShape.count == 3 else { throw refuse("need image samples of rank 3, not \(sampleShape)") }
        guard classCount > 0 else { throw refuse("need at least one class, got \(classCount)") }
        let table = source.targets
        switch source.classMode {
        case .categorical:
            guard table.rowShape == [classCount] else {
                throw refuse("targets of shape \(table.rowShape) are not rows of the \(classCount) classes")
            }
        case .sparse:
            if let bad = table.values.first(where: { $0 != $0.rounded() || $0 < 0 || Int($0) >= classCount }) {
                throw refuse("sparse label \(bad) is not a class in 0..<\(classCount)")
            }
        case .none:
            break
        case .binary, .raw, .input:
            throw refuse("class_mode '\(source.classMode.rawValue)' has no class probabilities to mix (use categorical or sparse)")
        }
        let (height, width, channels) = layout == .hwc
            ? (sampleShape[0], sampleShape[1], sampleShape[2]) : (sampleShape[1], sampleShape[2], sampleShape[0])
        return BatchShape(count: 0, height: height, width: width, channels: channels, layout: layout)
    }

    /// The mix of the batch whose first sample sits at `epochPosition` of `epoch`'s order.
    func mix(epoch: Int, epochPosition: Int, shape: BatchShape) -> BatchMix {
        recipe.draw(epoch: epoch, batch: epochPosition, height: shape.height, width: shape.width)
    }

    /// The soft targets of `owners` (N × `classCount`) mixed by `mix`, from `source`'s table.
    func targets(of owners: [Int], source: any SampleSource, mix: BatchMix) -> Tensor {
        guard source.classMode != .none else { return Tensor(shape: [owners.count, 0]) }
        var values = [Float](repeating: 0, count: owners.count * classCount)
        let table = source.targets
        for (row, owner) in owners.enumerated() {
            if source.classMode == .sparse {
                values[row * classCount + Int(table.values[owner])] = 1
            } else {
                for k in 0..<classCount { values[row * classCount + k] = table.values[owner * classCount + k] }
            }
        }
        values.withUnsafeMutableBufferPointer { mix.mixTargets($0, count: owners.count, classes: classCount) }
        return Tensor(shape: [owners.count, classCount], scalars: values)
    }
}
