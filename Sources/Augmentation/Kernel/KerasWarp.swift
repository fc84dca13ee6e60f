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

    /// PIL's `resize(..., NEAREST)` source index for destination index `i`:
    /// `floor((i + 0.5) · source / destination)`, clamped to the last index.
    static func nearestIndex(_ i: Int, source: Int, destination: Int) -> Int {
        min(Int((Double(i) + 0.5) * Double(source) / Double(destination)), source - 1)
    }

    static func render(_ image: UnsafeBufferPointer<UInt8>, width sourceWidth: Int, height sourceHeight: Int,
                       channels: Int, transform t: Transform, sampling: KerasSampling,
                       into output: UnsafeMutableBufferPointer<Float>, width: Int, height: Int,
                       layout: PixelLayout) {
        let columnStride = layout == .hwc ? channels : 1
        let channelStride = layout == .hwc ? 1 : width * height
        let rowStride = width * columnStride
        withUnsafeTemporaryAllocation(of: Int.self, capacity: height + width) { maps in
            for i in 0..<height { maps[i] = nearestIndex(i, source: sourceHeight, destination: height) }
            for j in 0..<width { maps[height + j] = nearestIndex(j, source: sourceWidth, destination: width) }
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
