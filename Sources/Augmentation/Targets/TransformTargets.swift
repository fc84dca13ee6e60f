/// The target warps of the two recipes' drawn transforms: the one value that moves the
/// image also moves its mask, boxes and keypoints.
///
/// - Op recipes (``SampleTransform``): the forward map is the inverse of the transform's
///   output → canvas matrix, from the upright source (the canvas) to the output. A
///   horizontal flip mirrors; two cancel. `random_erasing` leaves boxes and keypoints as
///   they are (the object is occluded, not moved, as torchvision v2) and sets the erased
///   mask pixels to the ignore index. When the crops came before a rotation, an affine map
///   or a padding (``SampleTransform/bounds``), the targets are cropped first, as torchvision
///   crops them: nothing outside the crop comes back into view.
/// - Keras configs in `exact` geometry (``Augmenter``): the inverse of `AffineMap.exact`
///   for the decoded image, after the decoder's reduction and `keep_aspect_ratio`'s crop.
///   `geometry: keras` reproduces `ImageDataGenerator`, which moves no targets: refused.
///
/// ```swift
/// let t = recipe.transform(epoch: 0, index: 3, sourceWidth: 640, sourceHeight: 480)
/// let moved = try TransformTargets.apply(t, to: targets, options: TargetOptions())
/// ```
public enum TransformTargets {
    /// `targets` of a `t.canvasWidth × t.canvasHeight` source moved by the op recipe's draw `t`.
    /// - Throws: ``AugmentationError`` for a singular transform or a bad flip pair.
    public static func apply(_ t: SampleTransform, to targets: SampleTargets,
                             options: TargetOptions) throws(AugmentationError) -> SampleTargets {
        try apply(t, to: targets, options: options, movedMask: nil)
    }

    /// ``apply(_:to:options:)`` with a class map already moved by ``warp(of:)`` with
    /// `options.ignoreIndex` outside (`movedMask`, sampled as it was decoded; never with a
    /// ``targetCrop(of:)``), which then replaces the moved `targets.mask` and is erased as it would be.
    package static func apply(_ t: SampleTransform, to targets: SampleTargets, options: TargetOptions,
                              movedMask: SegmentationMask?) throws(AugmentationError) -> SampleTargets {
        var targets = targets
        if let crop = targetCrop(of: t) {
            // The crops came before a rotation, an affine map or a padding: torchvision crops the
            // targets first (boxes clipped and kept, so the user's filter judges them once, at the end).
            let warp = TargetWarp(matrix: TargetAffine(a: 1, b: 0, c: -Double(crop.x), d: 0, e: 1, f: -Double(crop.y)),
                                  sourceWidth: t.canvasWidth, sourceHeight: t.canvasHeight,
                                  outputWidth: crop.width, outputHeight: crop.height)
            targets = targets.warped(by: warp, filter: BoxFilter(policy: .keep), fill: options.ignoreIndex)
        }
        var moved = try options.apply(warp(of: t), to: targets)
        if let movedMask { moved.mask = movedMask }
        moved.mask = moved.mask?.erasing(t.erasures, fill: options.ignoreIndex)
        return moved
    }

    /// The rectangle of the canvas the targets are cropped to before they move, when the draw's
    /// crops came before a rotation, an affine map or a padding (``SampleTransform/bounds`` short
    /// of the whole canvas); `nil` otherwise.
    public static func targetCrop(of t: SampleTransform) -> (x: Int, y: Int, width: Int, height: Int)? {
        guard let b = t.bounds, (b.x, b.y, b.width, b.height) != (0, 0, t.canvasWidth, t.canvasHeight) else { return nil }
        return (b.x, b.y, b.width, b.height)
    }

    /// The warp that moves the targets by the op recipe's draw `t` (what ``apply(_:to:options:)``
    /// applies): from the `t.canvasWidth × t.canvasHeight` source, or from the
    /// ``targetCrop(of:)`` rectangle when there is one.
    /// - Throws: ``AugmentationError`` for a singular transform.
    public static func warp(of t: SampleTransform) throws(AugmentationError) -> TargetWarp {
        var back = t.map
        var (width, height) = (t.canvasWidth, t.canvasHeight)
        if let crop = targetCrop(of: t) {
            back = AffineMap.translation(-Double(crop.x), -Double(crop.y)).after(back)
            (width, height) = (crop.width, crop.height)
        }
        guard let forward = TargetAffine(outputToSource: TargetAffine(a: back.a, b: back.b, c: back.c,
                                                                       d: back.d, e: back.e, f: back.f)) else {
            throw AugmentationError(parameter: "transform", value: "\(t.geometry)", reason: "is singular: targets cannot follow it")
        }
        let flips = t.applied.filter { $0.name == "horizontal_flip" }.count
        return TargetWarp(matrix: forward, sourceWidth: width, sourceHeight: height,
                          outputWidth: t.width, outputHeight: t.height, mirrorsHorizontally: flips % 2 == 1)
    }

    /// `targets` of a `sourceWidth × sourceHeight` image moved by the Keras draw `t` as
    /// `augmenter` renders it from the decoded `decodedWidth × decodedHeight` image (the
    /// decoder may have reduced it), of which it kept `crop` (`keep_aspect_ratio`).
    /// - Throws: ``AugmentationError`` in `geometry: keras`, for a singular transform or a bad flip pair.
    public static func apply(_ t: Transform, augmenter: Augmenter, sourceWidth: Int, sourceHeight: Int,
                             decodedWidth: Int, decodedHeight: Int, crop: (x: Int, y: Int, width: Int, height: Int)?, to targets: SampleTargets,
                             options: TargetOptions) throws(AugmentationError) -> SampleTargets {
        try options.apply(warp(of: t, augmenter: augmenter, sourceWidth: sourceWidth, sourceHeight: sourceHeight,
                               decodedWidth: decodedWidth, decodedHeight: decodedHeight, crop: crop), to: targets)
    }

    /// The warp that moves the targets of a `sourceWidth × sourceHeight` image by the Keras draw
    /// `t` as `augmenter` renders it (what ``apply(_:augmenter:sourceWidth:sourceHeight:decodedWidth:decodedHeight:crop:to:options:)`` applies).
    /// - Throws: ``AugmentationError`` in `geometry: keras` and for a singular transform.
    public static func warp(of t: Transform, augmenter: Augmenter, sourceWidth: Int, sourceHeight: Int,
                            decodedWidth: Int, decodedHeight: Int,
                            crop: (x: Int, y: Int, width: Int, height: Int)?) throws(AugmentationError) -> TargetWarp {
        guard augmenter.mode == .exact else {
            throw AugmentationError(parameter: "geometry", value: "keras",
                                    reason: "reproduces ImageDataGenerator, which moves no masks, boxes or keypoints: use geometry: exact with targets")
        }
        let region = crop ?? (0, 0, decodedWidth, decodedHeight)
        let sx = Double(decodedWidth) / Double(sourceWidth), sy = Double(decodedHeight) / Double(sourceHeight)
        // Output → cropped decoded image → decoded image → source (pixel centres aligned).
        let back = AffineMap(a: 1 / sx, b: 0, c: 0.5 / sx - 0.5, d: 0, e: 1 / sy, f: 0.5 / sy - 0.5)
            .after(.translation(Double(region.x), Double(region.y)))
            .after(AffineMap.exact(t, width: augmenter.outputWidth, height: augmenter.outputHeight,
                                   sourceWidth: region.width, sourceHeight: region.height))
        guard let forward = TargetAffine(outputToSource: TargetAffine(a: back.a, b: back.b, c: back.c,
                                                                       d: back.d, e: back.e, f: back.f)) else {
            throw AugmentationError(parameter: "transform", value: "\(t)", reason: "is singular: targets cannot follow it")
        }
        return TargetWarp(matrix: forward, sourceWidth: sourceWidth, sourceHeight: sourceHeight,
                          outputWidth: augmenter.outputWidth, outputHeight: augmenter.outputHeight,
                          mirrorsHorizontally: t.flipHorizontal)
    }
}
