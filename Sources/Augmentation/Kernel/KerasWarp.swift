/// The keras-mode render: Keras's `load_img` resize (PIL `nearest`) folded into index tables,
/// then ``KerasGeometry`` + ``KerasSampling`` at the output size, flips folded into the store,
/// then the whole-image colour steps (``KerasColor``) in Keras's order.
struct KerasWarp {
    /// An `Image` read through PIL-nearest index tables: resized row `i` is source row `rowMap[i]`.
    struct ResizedSource: KerasPixelSource {
        let pixels: UnsafeBufferPointer<UInt8>
        let sourceWidth: Int
        let channels: Int
        let rowMap: UnsafeBufferPointer<Int>
        let columnMap: UnsafeBufferPointer<Int>
        var rows: Int { rowMap.count }
        var columns: Int { columnMap.count }

        @inline(__always)
        func value(row: Int, column: Int, channel: Int) -> Double {
            Double(pixels[(rowMap[row] * sourceWidth + columnMap[column]) * channels + channel])
        }
    }

    /// Fills `map` with PIL's `resize(..., NEAREST)` source indices (Pillow's `ImagingScaleAffine`):
    /// `x = 0.5·s`, then `x += s` per destination index with `s = source / destination` in Float64,
    /// index `Int(x)`. The accumulation matters: `(i + 0.5)·s` differs at exact halves (64 → 100).
    static func nearestIndices(_ map: UnsafeMutableBufferPointer<Int>, source: Int) {
        let step = Double(source) / Double(map.count)
        var x = 0.5 * step
        for i in map.indices {
            map[i] = min(Int(x), source - 1)
            x += step
        }
    }

    static func render(_ image: UnsafeBufferPointer<UInt8>, width sourceWidth: Int, height sourceHeight: Int,
                       channels: Int, transform t: Transform, sampling: KerasSampling,
                       into output: UnsafeMutableBufferPointer<Float>, width: Int, height: Int,
                       layout: PixelLayout) {
        let columnStride = layout == .hwc ? channels : 1
        let channelStride = layout == .hwc ? 1 : width * height
        let rowStride = width * columnStride
        withUnsafeTemporaryAllocation(of: Int.self, capacity: height + width) { maps in
            nearestIndices(UnsafeMutableBufferPointer(rebasing: maps[0..<height]), source: sourceHeight)
            nearestIndices(UnsafeMutableBufferPointer(rebasing: maps[height...]), source: sourceWidth)
            let source = ResizedSource(
                pixels: image, sourceWidth: sourceWidth, channels: channels,
                rowMap: UnsafeBufferPointer(rebasing: maps[0..<height]),
                columnMap: UnsafeBufferPointer(rebasing: maps[height...]))
            let geometry = KerasGeometry(t, rows: height, columns: width)
            for r in 0..<height {
                let outRow = t.flipVertical ? height - 1 - r : r
                for c in 0..<width {
                    let outColumn = t.flipHorizontal ? width - 1 - c : c
                    let base = outRow * rowStride + outColumn * columnStride
                    if geometry.isIdentity {
                        for ch in 0..<channels {
                            output[base + ch * channelStride] = Float(source.value(row: r, column: c, channel: ch))
                        }
                        continue
                    }
                    let (sr, sc) = geometry.source(row: r, column: c)
                    sampling.sample(source, row: sr, column: sc) { ch, v in
                        output[base + ch * channelStride] = Float(v)
                    }
                }
            }
        }
        let sample = UnsafeMutableBufferPointer(rebasing: output[0..<(width * height * channels)])
        if let intensity = t.channelShiftIntensity {
            KerasColor.channelShift(sample, intensity: intensity)
        }
        if let b = t.brightness {
            KerasColor.brightness(sample, channels: channels, factor: b, layout: layout)
        }
    }
}
