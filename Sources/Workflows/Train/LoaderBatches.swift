import DataPipeline
import Tensors

/// A `DataLoader` seen as `fit`'s per-epoch batch source.
struct LoaderBatches: BatchSource {
    let loader: DataLoader
    var batchesPerEpoch: Int? { loader.batchesPerEpoch }
    func batches(epoch: Int) -> EpochRun { loader.epoch(epoch) }
}
