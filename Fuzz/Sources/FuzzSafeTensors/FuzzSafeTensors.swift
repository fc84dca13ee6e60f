import Foundation
import Training

/// libFuzzer entry point: the safetensors weight reader.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    _ = try? SafeTensors.decode(Data(bytes: data, count: size), path: "fuzz.safetensors")
    return 0
}
