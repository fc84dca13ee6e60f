import Augmentation
import Tensors

/// Makes a `Batch` of a rendered buffer: the input tensor on the buffer's storage (no copy),
/// the targets of the samples that filled it (their rows of the source's target table, or
/// MixUp/CutMix soft targets when mixing), their sample weights, and their moved annotations
/// stacked by the renderer's collator.
struct BatchAssembler: Sendable {
    let plan: EpochPlan
    let source: any SampleSource
    let sampleShape: [Int]
    let mixing: BatchMixing?
    /// The batch's image shape when mixing (`count` set per batch).
    let mixShape: BatchShape?
    /// Stacks the moved targets (annotating renderers only).
    let collator: AnnotationCollator?

    /// - Parameter mixShape: the checked shape of a mixed batch (`DataLoader.init` has checked it).
    init(plan: EpochPlan, source: any SampleSource, renderer: any SampleRenderer, mixing: BatchMixing?,
         mixShape: BatchShape?) {
        self.plan = plan
        self.source = source
        self.sampleShape = renderer.sampleShape
        self.mixing = mixing
        self.mixShape = mixShape
        self.collator = (renderer as? any AnnotatingRenderer)?.annotationCollator
    }

    /// Whether workers must keep each slot's moved targets.
    var keepsTargets: Bool { collator != nil }

    /// The output's height and width (a class map's size in the batch).
    var planeSize: (height: Int, width: Int) { sampleShape.count >= 2 ? (sampleShape[0], sampleShape[1]) : (0, 0) }

    /// Whether `mask` goes into the batch as is, from the loader's mask buffer.
    func stages(_ mask: SegmentationMask) -> Bool {
        collator?.stages(mask, height: planeSize.height, width: planeSize.width) ?? false
    }

    /// Mixes the images of `batch` in place, once all its `count` samples are rendered.
    func mixImages(_ samples: UnsafeMutableBufferPointer<Float>, batch: Int, count: Int) {
        guard let mixing, var shape = mixShape else { return }
        shape.count = count
        mixing.mix(epoch: plan.epoch, epochPosition: plan.epochPositions[batch], shape: shape)
            .mixImages(samples, shape: shape)
    }

    /// The batch `batch` of `inputs` (its samples' storage), filled by `owners`, with their
    /// moved `targets` (empty unless annotating) and the class maps its workers `staged`.
    /// - Throws: the collator's error when the targets cannot be stacked.
    func batch(_ batch: Int, inputs storage: TensorStorage, owners: [Int], targets: [SampleTargets?],
               staged: StagedMasks?) throws -> Batch {
        let inputs = Tensor(shape: [owners.count] + sampleShape, storage: storage)
        let weights = source.sampleWeights.map { weights in
            Tensor(shape: [owners.count], scalars: owners.map { weights[$0] })
        }
        var result = Batch(inputs: inputs, targets: self.targets(of: owners, batch: batch, inputs: inputs),
                           sampleWeights: weights)
        result.epochPosition = plan.epochPositions[batch]
        if let collator { result.annotations = try collator.collate(targets.map { $0 ?? SampleTargets() }, staged: staged) }
        return result
    }

    private func targets(of owners: [Int], batch: Int, inputs: Tensor) -> Tensor {
        if let mixing, let mixShape {
            let mix = mixing.mix(epoch: plan.epoch, epochPosition: plan.epochPositions[batch], shape: mixShape)
            return mixing.targets(of: owners, source: source, mix: mix)
        }
        switch source.classMode {
        case .input:
            return inputs
        case .none:
            return Tensor(shape: [owners.count, 0])
        case .categorical, .binary, .sparse, .raw:
            let table = source.targets
            let width = table.rowCount
            var values: [Float] = []
            values.reserveCapacity(owners.count * width)
            for owner in owners { values += table.values[owner * width ..< (owner + 1) * width] }
            return Tensor(shape: [owners.count] + table.rowShape, scalars: values)
        }
    }
}
