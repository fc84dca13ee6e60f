/// Pipeline-file form of the ops: a list whose items are an op name alone (its defaults) or a
/// mapping of one op name to its parameters, under torchvision's parameter names:
///
/// ```yaml
/// ops:
///   - random_resized_crop: {size: 224, scale: [0.08, 1.0], ratio: [0.75, 1.3333]}
///   - horizontal_flip: {p: 0.5}
///   - color_jitter: {brightness: 0.4, contrast: 0.4, saturation: 0.4}
///   - normalize: {mean: imagenet, std: imagenet}
/// ```
///
/// Unknown ops and keys, wrong types and bad values throw `DecodingError`s whose coding path ends
/// at the offending key (the pipeline loader turns them into `file:line: key: reason`).
extension AugmentationOp: Decodable {
    public init(from decoder: any Decoder) throws {
        let (name, parameters) = try Parameters.named(decoder, names: Self.names)
        self = try Self.make(name, parameters)
    }

    private static func make(_ name: String, _ p: Parameters) throws -> AugmentationOp {
        switch name {
        case "resize":
            try p.allow("size", "interpolation")
            return .resize(Resize(size: try p.size("size"), interpolation: try p.interpolation(.bilinear)))
        case "center_crop":
            try p.allow("size")
            return .centerCrop(CenterCrop(size: try p.size("size")))
        case "random_crop":
            try p.allow("size", "padding", "pad_if_needed", "fill", "padding_mode")
            var padding = [0, 0, 0, 0]
            if let values = try p.numbers("padding", counts: [2, 4], scalar: true) {
                let n = values.map { Int($0) }
                padding = n.count == 1 ? [n[0], n[0], n[0], n[0]] : n.count == 2 ? [n[0], n[1], n[0], n[1]] : n
            }
            return .randomCrop(RandomCrop(size: try p.size("size"), padding: padding,
                                          padIfNeeded: try p.flag("pad_if_needed") ?? false,
                                          fill: try p.number("fill") ?? 0, paddingMode: try p.paddingMode()))
        case "random_resized_crop":
            try p.allow("size", "scale", "ratio", "interpolation")
            return .randomResizedCrop(RandomResizedCrop(
                size: try p.size("size"), scale: try p.range("scale") ?? OpRange(0.08, 1),
                ratio: try p.range("ratio") ?? OpRange(3.0 / 4, 4.0 / 3), interpolation: try p.interpolation(.bilinear)))
        case "horizontal_flip", "vertical_flip":
            try p.allow("p")
            let flip = Flip(p: try p.number("p") ?? 0.5)
            return name == "horizontal_flip" ? .horizontalFlip(flip) : .verticalFlip(flip)
        case "random_rotation":
            try p.allow("degrees", "interpolation", "fill")
            guard let degrees = try p.range("degrees", symmetric: true) else { throw p.missing("degrees") }
            return .randomRotation(RandomRotation(degrees: degrees, interpolation: try p.interpolation(.nearest),
                                                  fill: try p.number("fill") ?? 0))
        case "random_affine":
            try p.allow("degrees", "translate", "scale", "shear", "interpolation", "fill")
            guard let degrees = try p.range("degrees", symmetric: true) else { throw p.missing("degrees") }
            let translate = try p.numbers("translate", counts: [2]).map { (x: $0[0], y: $0[1]) }
            let shear: (x: OpRange, y: OpRange?)? = try p.shear()
            return .randomAffine(RandomAffine(degrees: degrees, translate: translate, scale: try p.range("scale"),
                                              shear: shear, interpolation: try p.interpolation(.nearest),
                                              fill: try p.number("fill") ?? 0))
        case "color_jitter":
            try p.allow("brightness", "contrast", "saturation", "hue")
            return .colorJitter(ColorJitter(brightness: try p.factor("brightness"), contrast: try p.factor("contrast"),
                                            saturation: try p.factor("saturation"),
                                            hue: try p.range("hue", symmetric: true, zeroIsOff: true)))
        case "random_grayscale":
            try p.allow("p")
            return .randomGrayscale(RandomGrayscale(p: try p.number("p") ?? 0.1))
        case "normalize":
            try p.allow("mean", "std")
            guard let mean = try p.statistics("mean", imagenet: Normalization.imagenetMean) else { throw p.missing("mean") }
            guard let std = try p.statistics("std", imagenet: Normalization.imagenetStd) else { throw p.missing("std") }
            return .normalize(Normalize(mean: mean, std: std))
        case "random_erasing":
            try p.allow("p", "scale", "ratio", "value")
            return .randomErasing(RandomErasing(p: try p.number("p") ?? 0.5, scale: try p.range("scale") ?? OpRange(0.02, 0.33),
                                                ratio: try p.range("ratio") ?? OpRange(0.3, 3.3),
                                                value: try p.numbers("value", counts: nil, scalar: true) ?? [0]))
        default:
            if let op = try makePixelOp(name, p) { return op }
            throw DecodingError.dataCorrupted(.init(
                codingPath: p.path, debugDescription: "unknown op '\(name)' (expected one of: \(names.joined(separator: ", ")))"))
        }
    }
}

extension AugmentationOp {
    /// The pixel-stage ops and the policies, or `nil` for another name.
    fileprivate static func makePixelOp(_ name: String, _ p: Parameters) throws -> AugmentationOp? {
        switch name {
        case "gaussian_blur":
            try p.allow("kernel_size", "sigma")
            guard let k = try p.integers("kernel_size", counts: [2]) else { throw p.missing("kernel_size") }
            let sigma = try p.numbers("sigma", counts: [2], scalar: true).map { OpRange($0[0], $0[$0.count - 1]) }
            return .gaussianBlur(GaussianBlur(kernelWidth: k[0], kernelHeight: k[k.count - 1], sigma: sigma ?? OpRange(0.1, 2.0)))
        case "random_posterize":
            try p.allow("bits", "p")
            guard let bits = try p.integer("bits") else { throw p.missing("bits") }
            return .randomPosterize(RandomPosterize(bits: bits, p: try p.number("p") ?? 0.5))
        case "random_solarize":
            try p.allow("threshold", "p")
            guard let threshold = try p.number("threshold") else { throw p.missing("threshold") }
            return .randomSolarize(RandomSolarize(threshold: threshold, p: try p.number("p") ?? 0.5))
        case "random_adjust_sharpness":
            try p.allow("sharpness_factor", "p")
            guard let factor = try p.number("sharpness_factor") else { throw p.missing("sharpness_factor") }
            return .randomAdjustSharpness(RandomAdjustSharpness(sharpnessFactor: factor, p: try p.number("p") ?? 0.5))
        case "random_equalize", "random_autocontrast", "random_invert":
            try p.allow("p")
            let chance = RandomApplication(p: try p.number("p") ?? 0.5)
            return name == "random_equalize" ? .randomEqualize(chance)
                : name == "random_autocontrast" ? .randomAutocontrast(chance) : .randomInvert(chance)
        case "rand_augment":
            try p.allow("num_ops", "magnitude", "num_magnitude_bins", "interpolation", "fill")
            return .randAugment(RandAugment(numOps: try p.integer("num_ops") ?? 2, magnitude: try p.integer("magnitude") ?? 9,
                                            numMagnitudeBins: try p.integer("num_magnitude_bins") ?? 31,
                                            interpolation: try p.interpolation(.nearest), fill: try p.number("fill") ?? 0))
        case "trivial_augment_wide":
            try p.allow("num_magnitude_bins", "interpolation", "fill")
            return .trivialAugmentWide(TrivialAugmentWide(numMagnitudeBins: try p.integer("num_magnitude_bins") ?? 31,
                                                          interpolation: try p.interpolation(.nearest),
                                                          fill: try p.number("fill") ?? 0))
        case "auto_augment":
            try p.allow("policy", "interpolation", "fill")
            var policy = AutoAugment.Policy.imagenet
            if let word = try p.text("policy") {
                guard let known = AutoAugment.Policy(rawValue: word) else {
                    throw p.error("policy", "'\(word)' is not an offered policy (imagenet)")
                }
                policy = known
            }
            return .autoAugment(AutoAugment(policy: policy, interpolation: try p.interpolation(.nearest),
                                            fill: try p.number("fill") ?? 0))
        case "aug_mix":
            try p.allow("severity", "mixture_width", "chain_depth", "alpha", "all_ops", "interpolation", "fill")
            return .augMix(AugMix(severity: try p.integer("severity") ?? 3, mixtureWidth: try p.integer("mixture_width") ?? 3,
                                  chainDepth: try p.integer("chain_depth") ?? -1, alpha: try p.number("alpha") ?? 1,
                                  allOps: try p.flag("all_ops") ?? true, interpolation: try p.interpolation(.bilinear),
                                  fill: try p.number("fill") ?? 0))
        default:
            return nil
        }
    }
}

/// A coding key that accepts any string: for mappings whose keys are data (op names,
/// layer kinds), and to see every key a mapping holds. Pipeline-file decoding uses it too.
public struct AnyCodingKey: CodingKey, Hashable, Sendable {
    public var stringValue: String
    public var intValue: Int?
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// One op's parameter mapping (or none), read strictly.
struct Parameters {
    let decoder: any Decoder
    let container: KeyedDecodingContainer<AnyCodingKey>?
    let path: [any CodingKey]

    /// The op an item of an op list names (a name alone, or a mapping of one name to its
    /// parameters) and its parameters; `names` lists the valid names for the error.
    static func named(_ decoder: any Decoder, names: [String]) throws -> (String, Parameters) {
        if let single = try? decoder.singleValueContainer(), let name = try? single.decode(String.self) {
            return (name, Parameters(decoder: decoder, container: nil, path: decoder.codingPath))
        }
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "an op is one name, alone or with a mapping of its parameters (one of: \(names.joined(separator: ", ")))"))
        }
        let parameters = try container.decodeNil(forKey: key)
            ? Parameters(decoder: decoder, container: nil, path: decoder.codingPath + [key])
            : Parameters(decoder: decoder, container: try container.nestedContainer(keyedBy: AnyCodingKey.self, forKey: key),
                         path: decoder.codingPath + [key])
        return (key.stringValue, parameters)
    }

    func error(_ key: String, _ reason: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: path + [AnyCodingKey(stringValue: key)], debugDescription: reason))
    }

    func missing(_ key: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: path, debugDescription: "missing required parameter '\(key)'"))
    }

    func allow(_ keys: String...) throws {
        for key in container?.allKeys ?? [] where !keys.contains(key.stringValue) {
            throw error(key.stringValue, "unknown parameter '\(key.stringValue)' (expected one of: \(keys.joined(separator: ", ")))")
        }
    }

    private func has(_ key: String) -> Bool { container?.contains(AnyCodingKey(stringValue: key)) ?? false }

    func number(_ key: String) throws -> Double? {
        guard let container, has(key) else { return nil }
        return try container.decode(Double.self, forKey: AnyCodingKey(stringValue: key))
    }

    /// A list of numbers (of one of `counts` lengths when given), or one number when `scalar`.
    func numbers(_ key: String, counts: [Int]?, scalar: Bool = false) throws -> [Double]? {
        guard let container, has(key) else { return nil }
        let k = AnyCodingKey(stringValue: key)
        if scalar, let one = try? container.decode(Double.self, forKey: k) { return [one] }
        let list = try container.decode([Double].self, forKey: k)
        if let counts, !counts.contains(list.count) {
            throw error(key, "expected \(counts.map(String.init).joined(separator: " or ")) numbers, got \(list.count)")
        }
        return list
    }

    func integer(_ key: String) throws -> Int? {
        guard let container, has(key) else { return nil }
        return try container.decode(Int.self, forKey: AnyCodingKey(stringValue: key))
    }

    /// A list of whole numbers (of one of `counts` lengths), or one whole number.
    func integers(_ key: String, counts: [Int]) throws -> [Int]? {
        guard let container, has(key) else { return nil }
        let k = AnyCodingKey(stringValue: key)
        if let one = try? container.decode(Int.self, forKey: k) { return [one] }
        let list = try container.decode([Int].self, forKey: k)
        guard counts.contains(list.count) else {
            throw error(key, "expected one number or \(counts.map(String.init).joined(separator: " or ")) numbers, got \(list.count)")
        }
        return list
    }

    func text(_ key: String) throws -> String? {
        guard let container, has(key) else { return nil }
        return try container.decode(String.self, forKey: AnyCodingKey(stringValue: key))
    }

    func size(_ key: String) throws -> OpSize {
        guard let container, has(key) else { throw missing(key) }
        let k = AnyCodingKey(stringValue: key)
        if let side = try? container.decode(Int.self, forKey: k) { return .square(side) }
        let pair = try container.decode([Int].self, forKey: k)
        guard pair.count == 2 else { throw error(key, "expected one number or [height, width], got \(pair.count) numbers") }
        return .pair(height: pair[0], width: pair[1])
    }

    /// `[lower, upper]`, or one number `x` as `[-x, x]` when `symmetric` (`0` is no range when `zeroIsOff`).
    func range(_ key: String, symmetric: Bool = false, zeroIsOff: Bool = false) throws -> OpRange? {
        guard let container, has(key) else { return nil }
        let k = AnyCodingKey(stringValue: key)
        if symmetric, let x = try? container.decode(Double.self, forKey: k) {
            guard x >= 0 else { throw error(key, "a single number must be >= 0, got \(x)") }
            return zeroIsOff && x == 0 ? nil : OpRange(-x, x)
        }
        guard let pair = try numbers(key, counts: [2]) else { return nil }
        return OpRange(pair[0], pair[1])
    }

    /// A colour-jitter factor: `x` means `[max(0, 1 − x), 1 + x]` (0 = off), or `[lower, upper]`.
    func factor(_ key: String) throws -> OpRange? {
        guard let container, has(key) else { return nil }
        if let x = try? container.decode(Double.self, forKey: AnyCodingKey(stringValue: key)) {
            guard x >= 0 else { throw error(key, "must be >= 0, got \(x)") }
            return x == 0 ? nil : OpRange(max(0, 1 - x), 1 + x)
        }
        return try range(key)
    }

    func shear() throws -> (x: OpRange, y: OpRange?)? {
        guard let container, has("shear") else { return nil }
        if let x = try? container.decode(Double.self, forKey: AnyCodingKey(stringValue: "shear")) {
            return (OpRange(-x, x), nil)
        }
        guard let list = try numbers("shear", counts: [2, 4]) else { return nil }
        return (OpRange(list[0], list[1]), list.count == 4 ? OpRange(list[2], list[3]) : nil)
    }

    func flag(_ key: String) throws -> Bool? {
        guard let container, has(key) else { return nil }
        return try container.decode(Bool.self, forKey: AnyCodingKey(stringValue: key))
    }

    /// torchvision's `padding_mode`: constant, edge, reflect or symmetric.
    func paddingMode() throws -> FillMode {
        guard let container, has("padding_mode") else { return .constant }
        let word = try container.decode(String.self, forKey: AnyCodingKey(stringValue: "padding_mode"))
        guard let mode = FillMode(torchvisionPadding: word) else {
            throw error("padding_mode", "'\(word)' is not one of: constant, edge, reflect, symmetric")
        }
        return mode
    }

    func interpolation(_ fallback: InterpolationOrder) throws -> InterpolationOrder {
        guard let container, has("interpolation") else { return fallback }
        let word = try container.decode(String.self, forKey: AnyCodingKey(stringValue: "interpolation"))
        switch word {
        case "bilinear": return .bilinear
        case "nearest": return .nearest
        default: throw error("interpolation", "'\(word)' is not one of: bilinear, nearest")
        }
    }

    func statistics(_ key: String, imagenet: [Double]) throws -> [Double]? {
        guard let container, has(key) else { return nil }
        if let values = try? numbers(key, counts: nil, scalar: true) { return values }
        let word = try container.decode(String.self, forKey: AnyCodingKey(stringValue: key))
        guard word == "imagenet" else { throw error(key, "'\(word)' is not a known statistic (imagenet) or a list") }
        return imagenet
    }
}
