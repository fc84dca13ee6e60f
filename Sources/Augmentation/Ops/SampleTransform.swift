import Foundation

/// One sample's drawn augmentation, as one value: a geometry matrix from output pixels to the
/// pixels of the upright source it was drawn for (the canvas), the ordered colour steps, the
/// normalisation, the erasures, and a record of every op that ran with its parameters.
///
/// Its mutating methods are torchvision.transforms.v2.functional's, in its units (pixels of the
/// current image, factors, degrees): each maps the current image to the next, so a list of ops
/// builds the value one call at a time, and a test can build it from fixed parameters.
///
/// ```swift
/// var t = SampleTransform(canvasWidth: 500, canvasHeight: 375)
/// t.resizedCrop(top: 20, left: 40, height: 300, width: 320, size: (224, 224))
/// t.horizontalFlip()
/// t.adjustBrightness(1.2)
/// t.normalize(mean: Normalization.imagenetMean, std: Normalization.imagenetStd)
/// ```
///
/// Colour steps, normalisation and erasures apply after the geometry (``TransformKernel``), so
/// ``OpRecipe`` refuses geometry after a colour op and colour after erasing or normalisation.
public struct SampleTransform: Sendable, Equatable {
    /// Size of the upright source the geometry was drawn for.
    public let canvasWidth: Int, canvasHeight: Int
    /// Size of the current image (the output once every op has run).
    public private(set) var width: Int, height: Int
    /// Current pixel (column, row) → canvas pixel.
    var map: AffineMap = .identity
    /// Sampling of the one warp: bilinear unless every op that resampled asked for nearest.
    public private(set) var interpolation: InterpolationOrder?
    /// The value of pixels that come from outside the canvas, in pixel units (0…255).
    public private(set) var fill: Double = 0
    /// How pixels outside ``bounds`` are filled once there is no ``window``: `constant` (``fill``),
    /// or a padding's `nearest` (torchvision's `edge`), `reflect` (its `symmetric`) or `mirror` (its `reflect`).
    public private(set) var fillMode: FillMode = .constant
    /// The canvas region the crops kept (x, y, width, height, in canvas pixels), while every op
    /// so far kept the axes: resampling reads only inside it, replicating its edge pixels, as
    /// torchvision's crop-then-resize does. `nil` after a rotation, an affine map or a crop that
    /// pads: then ``bounds`` takes over.
    public private(set) var window: CanvasRect?
    /// The canvas region the crops kept, once ``window`` has ended (after a rotation, an affine
    /// map or a padding): samples outside it are outside the image, filled by ``fillMode`` as
    /// torchvision fills the corners of a cropped image it then rotates. `nil` while ``window``
    /// holds.
    public private(set) var bounds: CanvasRect?
    /// Colour steps in order, each clamped to 0…255 as torchvision clamps after each.
    public private(set) var colorSteps: [ColorStep] = []
    /// The non-linear steps after the colour steps, in order (``PixelOp``): run only when present,
    /// on the uint8-valued image; a colour step that comes after one of them joins them.
    public internal(set) var pixelOps: [PixelOp] = []
    /// AugMix's blend of the image so far with chains rendered from the same source (``Mixture``),
    /// after the pixel stage and before the normalisation; `nil` without `aug_mix`.
    public internal(set) var mixture: Mixture?
    /// Per-channel `out = value · scale + bias` after the colour steps and the pixel steps (normalisation).
    public private(set) var normalization: Normalization?
    /// Rectangles set to a value after normalisation, in order.
    public private(set) var erasures: [Erasure] = []
    /// Every op that ran, in order, with its parameters in torchvision's functional units.
    public internal(set) var applied: [AppliedOp] = []

    /// The identity on a `canvasWidth × canvasHeight` upright source.
    public init(canvasWidth: Int, canvasHeight: Int) {
        self.canvasWidth = canvasWidth
        self.canvasHeight = canvasHeight
        self.width = canvasWidth
        self.height = canvasHeight
        self.window = CanvasRect(x: 0, y: 0, width: canvasWidth, height: canvasHeight)
    }

    /// The six affine coefficients `[a, b, c, d, e, f]` of output (x = column, y = row) → canvas:
    /// `x' = a·x + b·y + c`, `y' = d·x + e·y + f`.
    public var geometry: [Double] { [map.a, map.b, map.c, map.d, map.e, map.f] }

    /// Whether a pixel pass beyond the warp is needed.
    public var hasColor: Bool { !colorSteps.isEmpty }

    /// Whether the pixel stage runs (``pixelOps``).
    public var hasPixelOps: Bool { !pixelOps.isEmpty }

    /// The canvas region rendering reads: ``window`` or ``bounds``, or with a ``mixture`` the
    /// smallest rectangle holding the image's and every chain's.
    public var readWindow: CanvasRect? {
        guard let mixture else { return sourceWindow }
        return mixture.chains.reduce(sourceWindow) { union, chain in
            guard let union, let other = chain.transform.sourceWindow else { return nil }
            let x = min(union.x, other.x), y = min(union.y, other.y)
            return CanvasRect(x: x, y: y, width: max(union.x + union.width, other.x + other.width) - x,
                              height: max(union.y + union.height, other.y + other.height) - y)
        }
    }

    /// The canvas region the image reads: ``window`` (edges replicated) or ``bounds`` (filled beyond).
    var sourceWindow: CanvasRect? { window ?? bounds }

    /// Ends ``window``: the region it kept becomes ``bounds``, beyond which samples are filled.
    private mutating func endWindow() {
        if let window { bounds = window }
        window = nil
    }

    /// The image before the mixture: no mixture, normalisation or erasures (what AugMix blends).
    var unmixed: SampleTransform {
        var t = self
        t.mixture = nil
        t.normalization = nil
        t.erasures = []
        return t
    }

    /// Blends the image so far (weight `original`) with `chains`, each a transform of the same
    /// canvas (AugMix): the result is `original · image + Σ weight · chain`, truncated to uint8.
    mutating func mix(original: Double, chains: [Mixture.Chain]) {
        mixture = Mixture(original: original, chains: chains)
        record("aug_mix", ["original": .number(original), "weights": .numbers(chains.map(\.weight))])
    }

    mutating func record(_ name: String, _ parameters: [String: AppliedOp.Value]) {
        applied.append(AppliedOp(name: name, parameters: parameters))
    }

    // MARK: geometry

    /// The image becomes `current ∘ step` of size `newWidth × newHeight`.
    private mutating func warp(_ step: AffineMap, width newWidth: Int, height newHeight: Int,
                               interpolation order: InterpolationOrder?) {
        map = map.after(step)
        width = newWidth
        height = newHeight
        if let order { interpolation = interpolation == .bilinear ? .bilinear : order }
    }

    /// Pixel-centre-aligned resampling of `w × h` onto `newWidth × newHeight`.
    private static func scaling(fromWidth w: Double, height h: Double, toWidth newWidth: Int,
                                height newHeight: Int) -> AffineMap {
        let sx = w / Double(newWidth), sy = h / Double(newHeight)
        return AffineMap(a: sx, b: 0, c: 0.5 * sx - 0.5, d: 0, e: sy, f: 0.5 * sy - 0.5)
    }

    /// Narrows ``window`` to the current image's rectangle `[left, left + w) × [top, top + h)`;
    /// a rectangle reaching outside the current image pads, which ends the window.
    private mutating func narrowWindow(left: Int, top: Int, width w: Int, height h: Int) {
        guard let current = window, map.b == 0, map.d == 0,
              left >= 0, top >= 0, left + w <= width, top + h <= height else {
            endWindow()
            return
        }
        // Pixel p of the current image covers canvas x in [a·(p − ½) + c + ½, a·(p + ½) + c + ½).
        let x0 = map.a * (Double(left) - 0.5) + map.c + 0.5, x1 = map.a * (Double(left + w) - 0.5) + map.c + 0.5
        let y0 = map.e * (Double(top) - 0.5) + map.f + 0.5, y1 = map.e * (Double(top + h) - 0.5) + map.f + 0.5
        let lowX = max(current.x, Int(min(x0, x1).rounded(.down))), highX = min(current.x + current.width, Int(max(x0, x1).rounded(.up)))
        let lowY = max(current.y, Int(min(y0, y1).rounded(.down))), highY = min(current.y + current.height, Int(max(y0, y1).rounded(.up)))
        window = CanvasRect(x: lowX, y: lowY, width: max(1, highX - lowX), height: max(1, highY - lowY))
    }

    /// `F.crop(top, left, height, width)`: regions outside the image read ``fill``.
    public mutating func crop(top: Int, left: Int, height h: Int, width w: Int) {
        narrowWindow(left: left, top: top, width: w, height: h)
        warp(.translation(Double(left), Double(top)), width: w, height: h, interpolation: nil)
        record("crop", ["top": .int(top), "left": .int(left), "height": .int(h), "width": .int(w)])
    }

    /// `F.resize(size=[height, width])` (pixel centres aligned; strong downscales are box-prefiltered
    /// by the kernel where torchvision's antialias uses a triangle filter).
    public mutating func resize(height h: Int, width w: Int, interpolation order: InterpolationOrder = .bilinear) {
        warp(Self.scaling(fromWidth: Double(width), height: Double(height), toWidth: w, height: h),
             width: w, height: h, interpolation: order)
        record("resize", ["size": .ints([h, w]), "interpolation": .text(order.name)])
    }

    /// `F.resized_crop(top, left, height, width, size)`: crop, then resize to `size` (height, width).
    public mutating func resizedCrop(top: Int, left: Int, height h: Int, width w: Int, size: (height: Int, width: Int),
                                     interpolation order: InterpolationOrder = .bilinear) {
        narrowWindow(left: left, top: top, width: w, height: h)
        let step = AffineMap.translation(Double(left), Double(top))
            .after(Self.scaling(fromWidth: Double(w), height: Double(h), toWidth: size.width, height: size.height))
        warp(step, width: size.width, height: size.height, interpolation: order)
        record("resized_crop", ["top": .int(top), "left": .int(left), "height": .int(h), "width": .int(w),
                                "size": .ints([size.height, size.width]), "interpolation": .text(order.name)])
    }

    /// `F.center_crop(size)`: torchvision's offsets `round((size − crop) / 2)` (half to even), and
    /// its zero padding when the crop is larger than the image.
    public mutating func centerCrop(height h: Int, width w: Int) {
        func offset(_ size: Int, _ crop: Int) -> Int {
            crop > size ? -((crop - size) / 2) : Int((Double(size - crop) / 2).rounded(.toNearestOrEven))
        }
        let top = offset(height, h), left = offset(width, w)
        narrowWindow(left: left, top: top, width: w, height: h)
        warp(.translation(Double(left), Double(top)), width: w, height: h, interpolation: nil)
        record("center_crop", ["output_size": .ints([h, w]), "top": .int(top), "left": .int(left)])
    }

    /// `F.pad(padding=[left, top, right, bottom], fill, padding_mode)`: `.constant` reads `fill`
    /// (pixel units), `.nearest` is torchvision's `edge`, `.reflect` its `symmetric`, `.mirror` its `reflect`.
    public mutating func pad(left: Int, top: Int, right: Int, bottom: Int, fill: Double = 0, mode: FillMode = .constant) {
        if left > 0 || top > 0 || right > 0 || bottom > 0 { endWindow() }
        self.fill = fill
        fillMode = mode
        warp(.translation(Double(-left), Double(-top)), width: width + left + right, height: height + top + bottom,
             interpolation: nil)
        record("pad", ["padding": .ints([left, top, right, bottom]), "fill": .number(fill),
                       "padding_mode": .text(mode.torchvisionPadding)])
    }

    /// `F.horizontal_flip`.
    public mutating func horizontalFlip() {
        warp(AffineMap(a: -1, b: 0, c: Double(width - 1), d: 0, e: 1, f: 0), width: width, height: height,
             interpolation: nil)
        record("horizontal_flip", [:])
    }

    /// `F.vertical_flip`.
    public mutating func verticalFlip() {
        warp(AffineMap(a: 1, b: 0, c: 0, d: 0, e: -1, f: Double(height - 1)), width: width, height: height,
             interpolation: nil)
        record("vertical_flip", [:])
    }

    /// `F.affine(angle, translate, scale, shear, center=None)`: torchvision's inverse matrix
    /// (`_get_inverse_affine_matrix`) about the image centre; `angle` and shears in degrees,
    /// `angle` clockwise on screen, translate in pixels. Outside pixels read `fill` (pixel units).
    /// `center`: torchvision's, from the image's upper left corner (`[0, 0]` is that corner, as
    /// the policies' shears use); `nil` is the image centre.
    public mutating func affine(angle: Double, translate: (x: Double, y: Double) = (0, 0), scale: Double = 1,
                                shear: (x: Double, y: Double) = (0, 0), interpolation order: InterpolationOrder = .nearest,
                                fill: Double = 0, center: (x: Double, y: Double)? = nil) {
        applyInverseAffine(angle: angle, translate: translate, scale: scale, shear: shear, order: order, fill: fill,
                           center: center)
        var parameters: [String: AppliedOp.Value] = [
            "angle": .number(angle), "translate": .numbers([translate.x, translate.y]), "scale": .number(scale),
            "shear": .numbers([shear.x, shear.y]), "interpolation": .text(order.name), "fill": .number(fill)]
        if let center { parameters["center"] = .numbers([center.x, center.y]) }
        record("affine", parameters)
    }

    /// `F.rotate(angle, expand=False, center=None)`: counter-clockwise on screen, in degrees.
    public mutating func rotate(angle: Double, interpolation order: InterpolationOrder = .nearest, fill: Double = 0) {
        applyInverseAffine(angle: -angle, translate: (0, 0), scale: 1, shear: (0, 0), order: order, fill: fill)
        record("rotate", ["angle": .number(angle), "interpolation": .text(order.name), "fill": .number(fill)])
    }

    private mutating func applyInverseAffine(angle: Double, translate: (x: Double, y: Double), scale: Double,
                                             shear: (x: Double, y: Double), order: InterpolationOrder, fill: Double,
                                             center: (x: Double, y: Double)? = nil) {
        let rot = angle * .pi / 180, sx = shear.x * .pi / 180, sy = shear.y * .pi / 180
        let a = cos(rot - sy) / cos(sy)
        let b = -cos(rot - sy) * tan(sx) / cos(sy) - sin(rot)
        let c = sin(rot - sy) / cos(sy)
        let d = -sin(rot - sy) * tan(sx) / cos(sy) + cos(rot)
        // torchvision's inverse: RSS⁻¹ · T⁻¹ about the centre, in coordinates relative to the centre.
        var m = [d, -b, 0, -c, a, 0].map { $0 / scale }
        m[2] += m[0] * -translate.x + m[1] * -translate.y
        m[5] += m[3] * -translate.x + m[4] * -translate.y
        // The centre in pixel-index coordinates: torchvision's center (pixel edges from the upper
        // left corner) less half a pixel; the image centre by default.
        let cx = center.map { $0.x - 0.5 } ?? Double(width - 1) / 2, cy = center.map { $0.y - 0.5 } ?? Double(height - 1) / 2
        let inverse = AffineMap(a: m[0], b: m[1], c: m[2], d: m[3], e: m[4], f: m[5])
        let step = AffineMap.translation(cx, cy).after(inverse).after(.translation(-cx, -cy))
        self.fill = fill
        endWindow()
        warp(step, width: width, height: height, interpolation: order)
    }

    // MARK: colour

    /// `F.adjust_brightness(factor)`.
    public mutating func adjustBrightness(_ factor: Double) {
        addColor(.brightness(Float(factor)), factor: factor)
        record("adjust_brightness", ["brightness_factor": .number(factor)])
    }

    /// `F.adjust_contrast(factor)`: blends with the mean of the grayscale image.
    public mutating func adjustContrast(_ factor: Double) {
        addColor(.contrast(Float(factor)), factor: factor)
        record("adjust_contrast", ["contrast_factor": .number(factor)])
    }

    /// `F.adjust_saturation(factor)`: blends with the grayscale image.
    public mutating func adjustSaturation(_ factor: Double) {
        addColor(.saturation(Float(factor)), factor: factor)
        record("adjust_saturation", ["saturation_factor": .number(factor)])
    }

    /// `F.adjust_hue(factor)`, `factor` in [-0.5, 0.5] turns of the HSV hue.
    public mutating func adjustHue(_ factor: Double) {
        addColor(.hue(Float(factor)), factor: factor)
        record("adjust_hue", ["hue_factor": .number(factor)])
    }

    /// `F.rgb_to_grayscale(num_output_channels=3)` (a 1-channel image stays as it is).
    public mutating func grayscale() {
        addColor(.grayscale, factor: 0)
        record("rgb_to_grayscale", ["num_output_channels": .int(3)])
    }

    /// Appends a colour step to the fused colour pass, or to the pixel stage once it has begun
    /// (colour after a non-linear op does not commute with it).
    private mutating func addColor(_ step: ColorStep, factor: Double) {
        if pixelOps.isEmpty { colorSteps.append(step) } else { pixelOps.append(.color(step, factor: factor)) }
    }

    /// `F.normalize(mean, std)` of the image scaled to 0…1 (`ToDtype(float32, scale=True)`).
    public mutating func normalize(mean: [Double], std: [Double]) {
        normalization = Normalization(mean: mean, std: std)
        record("normalize", ["mean": .numbers(mean), "std": .numbers(std)])
    }

    /// `F.erase(i, j, h, w, v)` with one value per channel (or one for all).
    public mutating func erase(i: Int, j: Int, h: Int, w: Int, value: [Double]) {
        erasures.append(Erasure(top: i, left: j, height: h, width: w, value: value))
        record("erase", ["i": .int(i), "j": .int(j), "h": .int(h), "w": .int(w), "v": .numbers(value)])
    }

    /// Resizes to `outputHeight × outputWidth` unless the ops already made that size (the implicit
    /// last step of a recipe whose ops leave a variable size).
    mutating func fit(height h: Int, width w: Int) {
        if h != height || w != width { resize(height: h, width: w) }
    }
}

/// AugMix's blend (``SampleTransform/mixture``): each chain renders from the source through its
/// own transform (the image's ops so far, then the chain's sub-ops), its pixels rounded to uint8
/// values as torchvision's uint8 chains are; the blend is truncated to whole numbers.
public struct Mixture: Sendable, Equatable {
    /// One augmented copy and its weight.
    public struct Chain: Sendable, Equatable {
        public var weight: Double
        public var transform: SampleTransform
    }

    /// The weight of the image itself.
    public var original: Double
    public var chains: [Chain]
}

/// A rectangle of canvas pixels.
public struct CanvasRect: Sendable, Equatable {
    public var x: Int, y: Int, width: Int, height: Int
}

/// `F.normalize`'s mean and std, for pixels scaled to 0…1.
public struct Normalization: Sendable, Equatable {
    public var mean: [Double]
    public var std: [Double]

    public static let imagenetMean = [0.485, 0.456, 0.406]
    public static let imagenetStd = [0.229, 0.224, 0.225]

    /// Per-channel `(scale, bias)` taking 0…255 pixel values to `(v / 255 − mean) / std`.
    func channelAffine(channels: Int) -> (scale: SIMD4<Float>, bias: SIMD4<Float>) {
        var scale = SIMD4<Float>(repeating: 1), bias = SIMD4<Float>(repeating: 0)
        for c in 0..<min(channels, 4) {
            let m = mean.count == 1 ? mean[0] : mean[c], s = std.count == 1 ? std[0] : std[c]
            scale[c] = Float(1 / (255 * s))
            bias[c] = Float(-m / s)
        }
        return (scale, bias)
    }
}

/// One `F.erase` rectangle in output pixels.
public struct Erasure: Sendable, Equatable {
    public var top: Int, left: Int, height: Int, width: Int
    /// One value per channel, or one for every channel, in the output's units.
    public var value: [Double]
}

/// An op that ran and its parameters, for logs (`transforms.jsonl`).
public struct AppliedOp: Sendable, Equatable, Encodable {
    /// A parameter value.
    public enum Value: Sendable, Equatable, Encodable {
        case int(Int), number(Double), ints([Int]), numbers([Double]), text(String), flag(Bool)

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .int(let v): try c.encode(v)
            case .number(let v): try c.encode(v)
            case .ints(let v): try c.encode(v)
            case .numbers(let v): try c.encode(v)
            case .text(let v): try c.encode(v)
            case .flag(let v): try c.encode(v)
            }
        }
    }

    /// torchvision.transforms.v2.functional's name of the function.
    public var name: String
    public var parameters: [String: Value]
}

extension InterpolationOrder {
    /// torchvision's name: `bilinear` or `nearest`.
    var name: String { self == .bilinear ? "bilinear" : "nearest" }
}
