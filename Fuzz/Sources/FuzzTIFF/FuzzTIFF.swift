import FuzzSupport

/// libFuzzer entry point: TIFF decoding (classic and BigTIFF, both byte orders), 8- and 16-bit.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTIFF(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FormatDecoding.run(UnsafeRawBufferPointer(start: data, count: size),
                       signatures: [[0x49, 0x49, 0x2A, 0x00], [0x4D, 0x4D, 0x00, 0x2A],
                                    [0x49, 0x49, 0x2B, 0x00], [0x4D, 0x4D, 0x00, 0x2B]],
                       deep: true)
    return 0
}
