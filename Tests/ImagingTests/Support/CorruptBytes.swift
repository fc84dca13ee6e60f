/// Builders for the corrupt-input corpus: header patches that claim huge
/// sizes in each format, and a CRC-32 to keep patched PNG chunks valid.
enum CorruptBytes {
    /// PNG with IHDR width/height replaced (CRC recomputed so only the size is wrong).
    static func png(_ bytes: [UInt8], width: UInt32, height: UInt32) -> [UInt8] {
        var out = bytes
        // Signature (8) + length (4) + "IHDR" (4): width at 16, height at 20, CRC at 29.
        put32(&out, 16, width, bigEndian: true)
        put32(&out, 20, height, bigEndian: true)
        put32(&out, 29, crc32(Array(out[12..<29])), bigEndian: true)
        return out
    }

    /// JPEG with the SOFn frame's height/width replaced.
    static func jpeg(_ bytes: [UInt8], width: UInt16, height: UInt16) -> [UInt8] {
        var out = bytes
        var at = 2
        while at + 9 < out.count, out[at] == 0xFF {
            let marker = out[at + 1]
            let length = Int(out[at + 2]) << 8 | Int(out[at + 3])
            if (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker) {
                out[at + 5] = UInt8(height >> 8); out[at + 6] = UInt8(height & 0xFF)
                out[at + 7] = UInt8(width >> 8); out[at + 8] = UInt8(width & 0xFF)
                return out
            }
            at += 2 + length
        }
        return out
    }

    /// TIFF with ImageWidth/ImageLength of the first IFD rewritten as LONG values.
    static func tiff(_ bytes: [UInt8], width: UInt32, height: UInt32) -> [UInt8] {
        var out = bytes
        let little = out[0] == 0x49
        let ifd = Int(get32(out, 4, bigEndian: !little))
        let count = Int(get16(out, ifd, bigEndian: !little))
        for i in 0..<count {
            let entry = ifd + 2 + i * 12
            let tag = get16(out, entry, bigEndian: !little)
            guard tag == 256 || tag == 257 else { continue }
            put16(&out, entry + 2, 4, bigEndian: !little)
            put32(&out, entry + 4, 1, bigEndian: !little)
            put32(&out, entry + 8, tag == 256 ? width : height, bigEndian: !little)
        }
        return out
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    private static func get16(_ b: [UInt8], _ at: Int, bigEndian: Bool) -> UInt16 {
        bigEndian ? UInt16(b[at]) << 8 | UInt16(b[at + 1]) : UInt16(b[at + 1]) << 8 | UInt16(b[at])
    }

    private static func get32(_ b: [UInt8], _ at: Int, bigEndian: Bool) -> UInt32 {
        bigEndian ? UInt32(get16(b, at, bigEndian: true)) << 16 | UInt32(get16(b, at + 2, bigEndian: true))
            : UInt32(get16(b, at + 2, bigEndian: false)) << 16 | UInt32(get16(b, at, bigEndian: false))
    }

    private static func put16(_ b: inout [UInt8], _ at: Int, _ v: UInt16, bigEndian: Bool) {
        let bytes = [UInt8(v >> 8), UInt8(v & 0xFF)]
        b[at] = bigEndian ? bytes[0] : bytes[1]
        b[at + 1] = bigEndian ? bytes[1] : bytes[0]
    }

    private static func put32(_ b: inout [UInt8], _ at: Int, _ v: UInt32, bigEndian: Bool) {
        let high = UInt16(v >> 16), low = UInt16(v & 0xFFFF)
        put16(&b, at, bigEndian ? high : low, bigEndian: bigEndian)
        put16(&b, at + 2, bigEndian ? low : high, bigEndian: bigEndian)
    }
}
