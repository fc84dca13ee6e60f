import FuzzSupport

/// libFuzzer entry point: JPEG decoding (libjpeg-turbo, EXIF orientation).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJPEG(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FormatDecoding.run(UnsafeRawBufferPointer(start: data, count: size), signatures: [[0xFF, 0xD8, 0xFF]], deep: false)
    return 0
}
