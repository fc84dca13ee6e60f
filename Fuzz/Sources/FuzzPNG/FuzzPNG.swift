import FuzzSupport

/// libFuzzer entry point: PNG decoding, 8- and 16-bit.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FormatDecoding.run(UnsafeRawBufferPointer(start: data, count: size),
                       signatures: [[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]], deep: true)
    return 0
}
