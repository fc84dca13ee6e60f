import CPUBudget
import Foundation
import KerasFiles
import Training

/// The model every input is loaded into (one Dense layer named `dense`, as the seeds have).
nonisolated(unsafe) let model = try! Sequential(inputShape: [4], layers: [Dense(units: 4)])
/// libhdf5 reads files, not bytes: each input goes through one file of this process.
let path = NSTemporaryDirectory() + "augment-fuzz-keras-\(getpid()).h5"
/// Below libFuzzer's 1 GiB malloc limit, so a dataset claiming more is refused, not attempted.
let limit = MemoryLimit(bytes: 256 << 20, origin: "the fuzz harness")

/// libFuzzer entry point: the Keras weight-file readers (legacy .h5 and Keras 3 .weights.h5) on libhdf5.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKerasWeights(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size)) else { return 0 }
    MemoryLimit.$current.withValue(limit) { _ = try? model.loadKerasWeights(from: path) }
    return 0
}
