import CAugmentKernels

/// The fast path of ``TransformKernel`` for maps without rotation or shear (`random_resized_crop`,
/// `resize`, crops and flips): source x depends on the output column only and source y on the
/// output row only, so each output row blends two source rows, each interpolated along x once
/// (`aug_row_warp`, C: AVX-512 byte permutes or gathers, AVX2 gathers or portable loops, chosen
/// at run time). The colour steps up to the first
/// contrast (or hue) step run in the same pass, as does the normalisation when no step is left,
/// or else the grayscale sum the contrast step needs.
///
/// It gives ``ExactWarp``'s bits followed by ``ColorPass``'s: the same 32.32 coordinates clamped
/// as the `nearest` fill clamps, the same float operations in the same order, the grayscale sum
/// in the same blocks (tested against that path, and every CPU path against the others).
struct RowWarp {
    let source: UnsafeBufferPointer<UInt8>
    let sourceWidth: Int, sourceHeight: Int
    /// Bytes from one source row to the next.
    let rowStride: Int
    let map: AffineMap
    /// The widest kernels allowed where the CPU has them: 3 AVX-512 with VBMI byte permutes,
    /// 2 AVX-512 with gathers, 1 AVX2, 0 portable C.
    var widest: Int32 = 3

    /// Whether the path renders `map` on this source: three channels (checked by the caller),
    /// finite, no rotation or shear, at least two pixels on each axis, coordinates well inside
    /// the 32.32 range (as ExactWarp's clamped rows require).
    func applies(outputWidth: Int, outputHeight: Int) -> Bool {
        let bound = Double(1 << 30)
        let corners = [map.c, map.c + map.a * Double(outputWidth), map.f, map.e * Double(outputHeight - 1) + map.f]
        return [map.a, map.b, map.c, map.d, map.e, map.f].allSatisfy(\.isFinite) && map.b == 0 && map.d == 0
            && sourceWidth > 1 && sourceHeight > 1 && corners.allSatisfy { abs($0) < bound }
    }

    /// Renders into `output` (`width · height` pixels of three channels) with the first `count`
    /// of the 10-Float affine `steps` fused in. With `scale` and `bias` (3 each) the result is
    /// normalised and 0 returned; without, the grayscale sum of the stored pixels.
    func render(steps: [Float], count: Int, scale: [Float]?, bias: [Float]?, into output: ColorPass.Planes,
                width: Int, height: Int) -> Double {
        // ExactWarp's coordinates of column 0 of each row, `fixed(0)` there.
        let x = Int64(((map.b * 0 + map.c + map.a * 0) * ExactWarp.one).rounded())
        let stepX = Int64((map.a * ExactWarp.one).rounded())
        let rowY = (0..<height).map { r in Int64(((map.e * Double(r) + map.f + map.d * 0) * ExactWarp.one).rounded()) }
        let weights = [ColorStep.weights[0], ColorStep.weights[1], ColorStep.weights[2]]
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: 10 * width) { scratch in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: 4 * width) { offsets in
                rowY.withUnsafeBufferPointer { rowY in
                    steps.withUnsafeBufferPointer { steps in
                        weights.withUnsafeBufferPointer { weights in
                            withOptional(scale) { scale in
                                withOptional(bias) { bias in
                                    var args = aug_row_warp_args(
                                        source: source.baseAddress!, row_stride: rowStride,
                                        last_x: Int32(sourceWidth - 1), last_y: Int32(sourceHeight - 1),
                                        x: x, step_x: stepX, row_y: rowY.baseAddress!,
                                        width: Int32(width), height: Int32(height),
                                        steps: steps.baseAddress, count: Int32(count), scale: scale, bias: bias,
                                        weights: weights.baseAddress!, out: output.base,
                                        pixel_stride: output.pixelStride, channel_stride: output.channelStride,
                                        widest: widest)
                                    return aug_row_warp(&args, scratch.baseAddress!, offsets.baseAddress!)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `body` with a pointer to `values`' elements, or nil.
private func withOptional<R>(_ values: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let values else { return body(nil) }
    return values.withUnsafeBufferPointer { body($0.baseAddress) }
}
