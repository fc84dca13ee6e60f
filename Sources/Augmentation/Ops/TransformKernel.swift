import CAugmentKernels
import Imaging

/// Renders a decoded image under a ``SampleTransform`` into `width · height · channels` Floats.
///
/// 1. One warp (`ExactWarp`, AVX2 spans where available) maps every output pixel back through
///    the transform's matrix, prefixed by the canvas → decoded-image scaling when the decoder
///    reduced the source (JPEG DCT scaling), box-prefiltering strong downscales (`MipLevel`).
///    The warp reads only the crops' window of the decoded pixels, in place (rows a stride
///    apart): while the transform keeps the axes its edges replicate (torchvision's crop, then
///    resize); after a rotation, an affine map or a padding, samples beyond it read the
///    transform's `fill` or padding mode (torchvision's crop, then rotate). Without colour steps the normalisation is fused into this pass's store.
///    Maps without rotation or shear whose edges replicate (crops, resizes, flips: the ImageNet
///    recipe) take `RowWarp` instead, which runs the colour steps before the first contrast (or
///    hue) step in the same pass, writing a per-thread planar scratch when steps remain (or the
///    sample, normalised, when none do); the same bytes as the warp then the colour pass.
/// 2. Colour steps, when there are any, run as `ColorPass` over the rendered sample, clamping to
///    0…255 after each step as torchvision does, then the normalisation (from the planar scratch
///    into the sample after `RowWarp`).
/// 3. Pixel ops (``PixelOp``: posterize, solarize, equalize, autocontrast, sharpness, invert,
///    blur, and colour steps that follow one of them), only when the transform has any, as
///    `PixelPass` on the uint8-valued sample; the normalisation then moves after them (the
///    warp and colour passes write pixel units).
/// 4. With AugMix's ``Mixture``, steps 1–3 run for the image and for each chain into a scratch
///    buffer, and the blend (`MixturePass`) replaces the image, normalised last.
/// 5. Erasures overwrite their rectangles.
///
/// ```swift
/// let t = recipe.transform(epoch: 0, index: 7, sourceWidth: image.width, sourceHeight: image.height)
/// TransformKernel.render(image, transform: t, into: slot)
/// ```
public enum TransformKernel {
    /// Writes `t.width · t.height · image.channels` Floats into `output` (at least that many).
    /// - Complexity: O(output pixels · channels) per pass.
    public static func render(_ image: Image, transform t: SampleTransform, layout: PixelLayout = .hwc,
                              into output: UnsafeMutableBufferPointer<Float>) {
        render(DecodedRegion(image: image, x: 0, y: 0, fullWidth: image.width, fullHeight: image.height),
               transform: t, layout: layout, into: output)
    }

    /// ``render(_:transform:layout:into:)`` of a decoded window (`DecodeOptions.crop`): the
    /// pixels at (`region.x`, `region.y`) of the whole image at the decoded scale.
    public static func render(_ region: DecodedRegion, transform t: SampleTransform, layout: PixelLayout = .hwc,
                              into output: UnsafeMutableBufferPointer<Float>) {
        let channels = region.image.channels
        let count = t.width * t.height * channels
        precondition(output.count >= count, "output slot holds \(output.count) Floats, needs \(count)")
        let sample = UnsafeMutableBufferPointer(rebasing: output[0..<count])
        if let mixture = t.mixture {
            MixturePass.render(region, transform: t, mixture: mixture, layout: layout, into: sample)
        } else {
            renderImage(region, transform: t, layout: layout, into: sample)
        }
        let pixelStride = layout == .hwc ? channels : 1, channelStride = layout == .hwc ? 1 : t.width * t.height
        for e in t.erasures {
            for row in max(0, e.top)..<min(t.height, e.top + e.height) {
                for column in max(0, e.left)..<min(t.width, e.left + e.width) {
                    let p = row * t.width + column
                    for c in 0..<channels {
                        sample[p * pixelStride + c * channelStride] = Float(e.value.count == 1 ? e.value[0] : e.value[c])
                    }
                }
            }
        }
    }

    /// Steps 1–3 of `t` (warp, colour pass, pixel stage, normalisation) into `sample`.
    /// `rowWarp`: the widest ``RowWarp`` path allowed (3: AVX-512 VBMI, 2: AVX-512, 1: AVX2,
    /// 0: portable C), nil for none (tests compare them all with ``ExactWarp`` and ``ColorPass``).
    static func renderImage(_ region: DecodedRegion, transform t: SampleTransform, layout: PixelLayout,
                            into sample: UnsafeMutableBufferPointer<Float>, rowWarp widest: Int32? = 3) {
        let image = region.image
        let channels = image.channels
        // Canvas → whole decoded image (the decoder may have reduced the source).
        let sx = Double(region.fullWidth) / Double(t.canvasWidth), sy = Double(region.fullHeight) / Double(t.canvasHeight)
        var map = region.fullWidth == t.canvasWidth && region.fullHeight == t.canvasHeight ? t.map
            : AffineMap(a: sx, b: 0, c: 0.5 * sx - 0.5, d: 0, e: sy, f: 0.5 * sy - 0.5).after(t.map)
        // Read only the crops' window of the decoded pixels, in place (a decoder that honoured the
        // crop delivered exactly it): its edges replicate while ``SampleTransform/window`` holds
        // (torchvision's crop, then resize); after a rotation, an affine map or a padding,
        // samples beyond it take the fill (torchvision's crop, then rotate).
        let view = t.sourceWindow.flatMap { region.view(of: $0, canvasWidth: t.canvasWidth, canvasHeight: t.canvasHeight) }
            ?? (0, 0, image.width, image.height)
        let origin = (x: region.x + view.x, y: region.y + view.y)
        if origin != (0, 0) { map = AffineMap.translation(Double(-origin.x), Double(-origin.y)).after(map) }
        let (scale, bias) = t.normalization?.channelAffine(channels: channels)
            ?? (SIMD4<Float>(repeating: 1), SIMD4<Float>(repeating: 0))
        var finish = PixelFinish()
        if !t.hasColor && !t.hasPixelOps { (finish.scale, finish.bias) = (scale, bias) }
        let fill = t.window == nil ? t.fillMode : .nearest, order = t.interpolation ?? .bilinear
        let pixelStride = layout == .hwc ? channels : 1, channelStride = layout == .hwc ? 1 : t.width * t.height
        // Maps without rotation or shear take the row-affine path with the first colour steps fused.
        let rowWarp = widest != nil && channels == 3 && fill == .nearest && order == .bilinear && !t.hasPixelOps
        var fused: (count: Int, mean: Float, planes: ColorPass.Planes?)?
        image.pixels.withUnsafeBufferPointer { pixels in
            let rowStride = image.width * channels, start = view.y * rowStride + view.x * channels
            ExactWarp.withLevel(UnsafeBufferPointer(rebasing: pixels[start...]), width: view.width, height: view.height,
                                channels: channels, rowStride: rowStride, map: map) { level, w, h, stride, map in
                let row = RowWarp(source: level, sourceWidth: w, sourceHeight: h, rowStride: stride, map: map,
                                  widest: widest ?? 0)
                if rowWarp && row.applies(outputWidth: t.width, outputHeight: t.height) {
                    let count = ColorPass.leadingSegment(t.colorSteps), last = count == t.colorSteps.count
                    // Steps left: the first pass goes to this thread's planar scratch (cache-warm,
                    // no interleaving) and the colour pass writes the slot once.
                    let planes = last ? nil : aug_thread_scratch(3 * t.width * t.height).map {
                        ColorPass.Planes(base: $0, pixelStride: 1, channelStride: t.width * t.height)
                    }
                    let steps = t.colorSteps[..<count].flatMap { ColorPass.affine($0, three: true, mean: 0) }
                    let sum = row.render(steps: steps, count: count, scale: last ? [scale[0], scale[1], scale[2]] : nil,
                                         bias: last ? [bias[0], bias[1], bias[2]] : nil,
                                         into: planes ?? ColorPass.Planes(base: sample.baseAddress!, pixelStride: pixelStride,
                                                                          channelStride: channelStride),
                                         width: t.width, height: t.height)
                    fused = (count, Float(sum / Double(t.width * t.height)), planes)
                } else {
                    ExactWarp(source: level, sourceWidth: w, sourceHeight: h, channels: channels, rowStride: stride,
                              map: map, fill: fill, cval: Float(t.fill), order: order, finish: finish,
                              output: sample, width: t.width, height: t.height,
                              columnStride: pixelStride, channelStride: channelStride).run()
                }
            }
        }
        if t.hasColor && fused.map({ $0.count < t.colorSteps.count }) ?? true {
            let (colorScale, colorBias) = t.hasPixelOps ? (SIMD4<Float>(repeating: 1), SIMD4<Float>(repeating: 0)) : (scale, bias)
            ColorPass.apply(t.colorSteps, from: fused?.count ?? 0, mean: fused?.mean, source: fused?.planes, to: sample,
                            pixels: t.width * t.height, channels: channels, pixelStride: pixelStride,
                            channelStride: channelStride, scale: colorScale, bias: colorBias)
        }
        if t.hasPixelOps {
            PixelPass.apply(t.pixelOps, to: sample, width: t.width, height: t.height, channels: channels,
                            pixelStride: pixelStride, channelStride: channelStride, scale: scale, bias: bias)
        }
    }

    /// The smallest upright source size worth decoding for `t`: a decoder that reduces cheaply
    /// (JPEG DCT scaling) may stop there. The warp box-reduces anything sampled at more than 1.5
    /// source pixels per output pixel, which leaves at least 0.75; a source decoded down to 0.75
    /// canvas-relative pixels per output pixel is no coarser than that (per axis). With a
    /// mixture, the largest size any of its chains needs.
    public static func minimumSourceSize(for t: SampleTransform) -> (width: Int, height: Int) {
        guard let mixture = t.mixture else { return minimumSize(forMap: t) }
        return mixture.chains.reduce(minimumSize(forMap: t)) { size, chain in
            let other = minimumSize(forMap: chain.transform)
            return (max(size.width, other.width), max(size.height, other.height))
        }
    }

    private static func minimumSize(forMap t: SampleTransform) -> (width: Int, height: Int) {
        var (x, y) = MipLevel.spacings(t.map)
        guard x.isFinite, y.isFinite, x > 0, y > 0 else { return (t.canvasWidth, t.canvasHeight) }
        (x, y) = (max(x, 1e-9), max(y, 1e-9))
        func size(_ canvas: Int, spacing: Double) -> Int {
            min(canvas, Int((MipLevel.leastFootprint * Double(canvas) / spacing).rounded(.up)))
        }
        return (size(t.canvasWidth, spacing: x), size(t.canvasHeight, spacing: y))
    }
}

extension DecodedRegion {
    /// The decoded pixels of canvas rectangle `r` (x, y, width, height relative to ``image``),
    /// rounded outward at the decoded scale as the decoder rounds a crop; `nil` when they are not
    /// all in ``image`` (a decoder that ignored the crop delivered something else).
    func view(of r: CanvasRect, canvasWidth: Int, canvasHeight: Int) -> (x: Int, y: Int, width: Int, height: Int)? {
        let sx = Double(fullWidth) / Double(canvasWidth), sy = Double(fullHeight) / Double(canvasHeight)
        let left = min(fullWidth - 1, Int((Double(r.x) * sx).rounded(.down)))
        let top = min(fullHeight - 1, Int((Double(r.y) * sy).rounded(.down)))
        let right = min(fullWidth, max(left + 1, Int((Double(r.x + r.width) * sx).rounded(.up))))
        let bottom = min(fullHeight, max(top + 1, Int((Double(r.y + r.height) * sy).rounded(.up))))
        guard left >= x, top >= y, right <= x + image.width, bottom <= y + image.height else { return nil }
        return (left - x, top - y, right - left, bottom - top)
    }
}
