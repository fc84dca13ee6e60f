import Imaging

/// libFuzzer entry point: the header probe, any format (sniffing included).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProbe(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    _ = try? ImageInfo.probe([UInt8](UnsafeBufferPointer(start: data, count: size)))
    return 0
}
