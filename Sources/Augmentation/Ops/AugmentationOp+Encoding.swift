/// The pipeline-file form back: `{name: {parameter: value, ...}}` with every parameter spelled
/// out, so a run's recorded pipeline reads back as the same ops.
extension AugmentationOp: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        var p = container.nestedContainer(keyedBy: AnyCodingKey.self, forKey: AnyCodingKey(stringValue: name))
        func put<T: Encodable>(_ key: String, _ value: T?) throws {
            if let value { try p.encode(value, forKey: AnyCodingKey(stringValue: key)) }
        }
        // One number stays one number (`[n]` would not read back: a size is n or [height, width]).
        func size(_ s: OpSize) -> [Int]? { if case .pair(let h, let w) = s { [h, w] } else { nil } }
        func put(size s: OpSize) throws {
            if let pair = size(s) { try put("size", pair) } else { try put("size", s.height) }
        }
        func range(_ r: OpRange?) -> [Double]? { r.map { [$0.lower, $0.upper] } }
        switch self {
        case .resize(let r):
            try put(size: r.size)
            try put("interpolation", r.interpolation.name)
        case .centerCrop(let c):
            try put(size: c.size)
        case .randomCrop(let c):
            try put(size: c.size)
            try put("padding", c.padding)
            try put("pad_if_needed", c.padIfNeeded)
            try put("fill", c.fill)
            try put("padding_mode", c.paddingMode.torchvisionPadding)
        case .randomResizedCrop(let c):
            try put(size: c.size)
            try put("scale", range(c.scale))
            try put("ratio", range(c.ratio))
            try put("interpolation", c.interpolation.name)
        case .horizontalFlip(let f), .verticalFlip(let f):
            try put("p", f.p)
        case .randomRotation(let r):
            try put("degrees", range(r.degrees))
            try put("interpolation", r.interpolation.name)
            try put("fill", r.fill)
        case .randomAffine(let a):
            try put("degrees", range(a.degrees))
            try put("translate", a.translate.map { [$0.x, $0.y] })
            try put("scale", range(a.scale))
            try put("shear", a.shear.map { [$0.x.lower, $0.x.upper] + (range($0.y) ?? []) })
            try put("interpolation", a.interpolation.name)
            try put("fill", a.fill)
        case .colorJitter(let j):
            try put("brightness", range(j.brightness))
            try put("contrast", range(j.contrast))
            try put("saturation", range(j.saturation))
            try put("hue", range(j.hue))
        case .randomGrayscale(let g):
            try put("p", g.p)
        case .normalize(let n):
            try put("mean", n.mean)
            try put("std", n.std)
        case .randomErasing(let e):
            try put("p", e.p)
            try put("scale", range(e.scale))
            try put("ratio", range(e.ratio))
            try put("value", e.value)
        case .gaussianBlur(let b):
            try put("kernel_size", [b.kernelWidth, b.kernelHeight])
            try put("sigma", range(b.sigma))
        case .randomPosterize(let r):
            try put("bits", r.bits)
            try put("p", r.p)
        case .randomSolarize(let r):
            try put("threshold", r.threshold)
            try put("p", r.p)
        case .randomAdjustSharpness(let r):
            try put("sharpness_factor", r.sharpnessFactor)
            try put("p", r.p)
        case .randomEqualize(let r), .randomAutocontrast(let r), .randomInvert(let r):
            try put("p", r.p)
        case .randAugment(let r):
            try put("num_ops", r.numOps)
            try put("magnitude", r.magnitude)
            try put("num_magnitude_bins", r.numMagnitudeBins)
            try put("interpolation", r.interpolation.name)
            try put("fill", r.fill)
        case .trivialAugmentWide(let t):
            try put("num_magnitude_bins", t.numMagnitudeBins)
            try put("interpolation", t.interpolation.name)
            try put("fill", t.fill)
        case .augMix(let a):
            try put("severity", a.severity)
            try put("mixture_width", a.mixtureWidth)
            try put("chain_depth", a.chainDepth)
            try put("alpha", a.alpha)
            try put("all_ops", a.allOps)
            try put("interpolation", a.interpolation.name)
            try put("fill", a.fill)
        case .autoAugment(let a):
            try put("policy", a.policy.rawValue)
            try put("interpolation", a.interpolation.name)
            try put("fill", a.fill)
        }
    }
}
