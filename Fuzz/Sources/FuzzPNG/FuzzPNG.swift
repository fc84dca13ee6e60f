import FuzzSupport
import Imaging

/// libFuzzer entry point: PNG decoding, 8- and 16-bit, and the mask decoders (`SampleWindow`'s
/// window and grid paths, whose libdeflate reader parses the chunks itself).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FormatDecoding.run(UnsafeRawBufferPointer(start: data, count: size),
                       signatures: [[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]], deep: true) { bytes in
        _ = try? SampleWindow.decode(bytes, window: (1, 2, 9, 7), options: FormatDecoding.options)
        _ = SampleWindow.grid(bytes, columns: [-1, 0, 3, 3, 2, 40], rows: [5, 0, -1, 1, 1], fill: 255,
                              options: FormatDecoding.options)
    }
    return 0
}
