import Imaging

/// Decodes fuzzer input as one format. An input that does not start with one
/// of the format's signatures gets the first one written over its first
/// bytes, so every input reaches that codec instead of stopping at the format
/// sniffing. The pixel limit is lower than the default (4 Mpx) to keep each
/// run fast; the codecs must bound every buffer by it, so an allocation far
/// above it is a finding (libFuzzer's `-malloc_limit_mb`).
public enum FormatDecoding {
    public static let options = DecodeOptions(pixelLimit: 1 << 22)

    /// Decodes `data` to 8 bits and, when `deep`, to 16 bits; decoding errors are expected.
    /// `more` then gets the same bytes, for a format's other decoders.
    public static func run(_ data: UnsafeRawBufferPointer, signatures: [[UInt8]], deep: Bool,
                           more: ([UInt8]) -> Void = { _ in }) {
        var bytes = [UInt8](data)
        if !signatures.contains(where: { bytes.starts(with: $0) }) {
            let signature = signatures[0]
            bytes = signature + bytes.dropFirst(min(signature.count, bytes.count))
        }
        _ = try? Image.decode(bytes, options: options)
        if deep { _ = try? Image16.decode(bytes, options: options) }
        more(bytes)
    }
}
