import FuzzSupport
import Imaging

/// libFuzzer entry point: WebP decoding, 8- and 16-bit. The signature is `RIFF`, a size,
/// `WEBP`: only the two tags are written over the input, so the RIFF size stays fuzzed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebP(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var bytes = [UInt8](UnsafeRawBufferPointer(start: data, count: size))
    if bytes.count < 12 { bytes += [UInt8](repeating: 0, count: 12 - bytes.count) }
    bytes.replaceSubrange(0..<4, with: Array("RIFF".utf8))
    bytes.replaceSubrange(8..<12, with: Array("WEBP".utf8))
    _ = try? Image.decode(bytes, options: FormatDecoding.options)
    _ = try? Image16.decode(bytes, options: FormatDecoding.options)
    return 0
}
