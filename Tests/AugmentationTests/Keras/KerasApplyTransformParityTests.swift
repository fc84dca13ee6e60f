import Imaging
import Testing
@testable import Augmentation

/// `apply_transform` fixtures (10): each stage, and the HWC plain-UInt8 ones through the public
/// ``Augmenter`` in keras mode.
@Suite struct KerasApplyTransformParityTests {
    static let ids = KerasFixtures.ids(kind: "apply_transform")

    struct Case {
        let c: [String: Any]
        let input: [Float]
        let shape: [Int]
        let axes: ImageAxes
        let transform: Transform
        let fill: FillMode
        let cval: Double
        let order: InterpolationOrder
        let tolerance: [String: Any]

        init(_ id: String) throws {
            let fixtures = KerasFixtures.shared
            c = fixtures.fixtureCase(id)
            input = fixtures.input(file: c["input_file"] as! String, dtype: c["input_dtype"] as! String,
                                   prep: c["input_prep"])
            shape = c["input_shape"] as! [Int]
            let a = c["image_axes"] as! [String: Int]
            axes = ImageAxes(row: a["row_axis"]!, column: a["col_axis"]!, channel: a["channel_axis"]!)
            transform = try KerasFixtures.decode(Transform.self, from: c["params"]!)
            let g = c["generator_kwargs"] as! [String: Any]
            fill = FillMode(rawValue: g["fill_mode"] as! String)!
            cval = g["cval"] as! Double
            order = InterpolationOrder(rawValue: g["interpolation_order"] as! Int)!
            tolerance = c["tolerance"] as! [String: Any]
        }

        func mask(_ file: Any?) -> [UInt8]? { (file as? String).map(KerasFixtures.shared.bytes) }
    }

    @Test("stages affine, pre_brightness and output", arguments: ids)
    func stages(id: String) throws {
        let k = try Case(id)
        let fixtures = KerasFixtures.shared
        let stages = KerasTransform.apply(k.input, shape: k.shape, axes: k.axes, transform: k.transform,
                                          fill: k.fill, cval: k.cval, order: k.order)
        let files = k.c["stages"] as! [String: String], masks = k.c["stage_masks"] as! [String: Any]
        let stageAtol = k.tolerance["stage_atol"] as! [String: Double]
        for (name, got) in [("affine", stages.affine), ("pre_brightness", stages.preBrightness)] {
            let failure = compare(got, fixtures.floats(files[name]!), atol: stageAtol[name]!, mask: k.mask(masks[name]))
            #expect(failure == nil, "\(id) stage \(name): \(failure ?? "")")
        }
        let expected = fixtures.floats(k.c["output_file"] as! String)
        let mask = k.mask(k.c["fragile_mask_file"])
        let failure = compare(stages.output, expected, atol: k.tolerance["atol"] as! Double, mask: mask)
        #expect(failure == nil, "\(id) output: \(failure ?? "")")
        // The brightness step alone, fed Keras's own pre-brightness stage: exact.
        if let b = k.transform.brightness {
            var x = fixtures.floats(files["pre_brightness"]!)
            x.withUnsafeMutableBufferPointer {
                KerasColor.brightness($0, channels: k.shape[k.axes.channel], factor: b,
                                      layout: k.axes.channel == 0 ? .chw : .hwc)
            }
            let exact = compare(x, expected, atol: k.tolerance["atol"] as! Double)
            #expect(exact == nil, "\(id) brightness from stored stage: \(exact ?? "")")
        }
    }

    static let augmenterIDs = ids.filter { id in
        let c = KerasFixtures.shared.fixtureCase(id)
        let prep = c["input_prep"] as? [String: Any]
        return prep?["scale"] as? Double == 1 && prep?["offset"] as? Double == 0
    }

    @Test("through the public Augmenter in keras mode", arguments: augmenterIDs)
    func augmenter(id: String) throws {
        let k = try Case(id)
        let chw = k.axes.channel == 0
        let (h, w, ch) = chw ? (k.shape[1], k.shape[2], k.shape[0]) : (k.shape[0], k.shape[1], k.shape[2])
        // The Image is HWC; CHW fixtures store the same pixels channel-first.
        var pixels = [UInt8](repeating: 0, count: h * w * ch)
        for i in 0..<h { for j in 0..<w { for c in 0..<ch {
            pixels[(i * w + j) * ch + c] = UInt8(k.input[chw ? (c * h + i) * w + j : (i * w + j) * ch + c])
        } } }
        let image = try Image(width: w, height: h, channels: ch, pixels: pixels)
        var config = AugmentationConfig()
        config.fillMode = k.fill
        config.cval = k.cval
        config.interpolationOrder = k.order
        let augmenter = try Augmenter(config: config, outputHeight: h, outputWidth: w,
                                      layout: chw ? .chw : .hwc, mode: .keras)
        let failure = compare(augmenter.render(image, transform: k.transform),
                              KerasFixtures.shared.floats(k.c["output_file"] as! String),
                              atol: k.tolerance["atol"] as! Double, mask: k.mask(k.c["fragile_mask_file"]))
        #expect(failure == nil, "\(id): \(failure ?? "")")
    }
}
