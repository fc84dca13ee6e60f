import Imaging
import Testing
@testable import Augmentation

/// Every `affine` fixture (162) through ``KerasAffine`` (the sampling code of the keras-mode
/// kernel), and every HWC one with plain UInt8 input through the public ``Augmenter`` too.
@Suite struct KerasAffineParityTests {
    static let ids = KerasFixtures.ids(kind: "affine")

    struct Loaded {
        let fixtureCase: [String: Any]
        let shape: [Int]
        let axes: ImageAxes
        let transform: Transform
        let fill: FillMode
        let cval: Double
        let order: InterpolationOrder
        let expected: [Float]
        let mask: [UInt8]?
        let atol: Double
    }

    static func load(_ id: String) throws -> Loaded {
        let fixtures = KerasFixtures.shared
        let c = fixtures.fixtureCase(id)
        let p = c["params"] as! [String: Any]
        let transform = try KerasFixtures.decode(Transform.self, from: p.filter {
            ["theta", "tx", "ty", "shear", "zx", "zy"].contains($0.key) })
        let outputFile = c["output_file"] as! String
        let expected = (c["output_dtype"] as! String) == "uint8"
            ? fixtures.bytes(outputFile).map(Float.init) : fixtures.floats(outputFile)
        return Loaded(
            fixtureCase: c, shape: c["input_shape"] as! [Int],
            axes: ImageAxes(row: p["row_axis"] as! Int, column: p["col_axis"] as! Int, channel: p["channel_axis"] as! Int),
            transform: transform, fill: FillMode(rawValue: p["fill_mode"] as! String)!,
            cval: p["cval"] as! Double, order: InterpolationOrder(rawValue: p["order"] as! Int)!,
            expected: expected, mask: (c["fragile_mask_file"] as? String).map(fixtures.bytes),
            atol: (c["tolerance"] as! [String: Any])["atol"] as! Double)
    }

    @Test("derived scipy matrix", arguments: ids)
    func derivedMatrix(id: String) throws {
        let l = try Self.load(id)
        let scipy = l.fixtureCase["derived_scipy"] as! [String: Any]
        let m = scipy["matrix"] as! [[Double]], offset = scipy["offset"] as! [Double]
        let g = KerasGeometry(l.transform, rows: l.shape[l.axes.row], columns: l.shape[l.axes.column])
        // scipy works in the array's own axis order: (row, col) when col_axis > row_axis.
        let rowFirst = l.axes.column > l.axes.row
        let ours = rowFirst
            ? [[g.rowPerRow, g.rowPerColumn], [g.columnPerRow, g.columnPerColumn]]
            : [[g.columnPerColumn, g.columnPerRow], [g.rowPerColumn, g.rowPerRow]]
        let ourOffset = rowFirst ? [g.rowOffset, g.columnOffset] : [g.columnOffset, g.rowOffset]
        for i in 0..<2 {
            #expect(abs(ourOffset[i] - offset[i]) < 1e-9, "\(id) offset")
            for j in 0..<2 { #expect(abs(ours[i][j] - m[i][j]) < 1e-12, "\(id) matrix") }
        }
    }

    @Test("apply_affine_transform", arguments: ids)
    func affine(id: String) throws {
        let l = try Self.load(id)
        let c = l.fixtureCase
        let fixtures = KerasFixtures.shared
        let got: [Float]
        if c["output_dtype"] as! String == "uint8" {
            let input = fixtures.bytes(c["input_file"] as! String)
            got = KerasAffine.apply(input, shape: l.shape, axes: l.axes, transform: l.transform,
                                    fill: l.fill, cval: l.cval, order: l.order).map(Float.init)
        } else {
            let input = fixtures.input(file: c["input_file"] as! String, dtype: c["input_dtype"] as! String,
                                       prep: c["input_prep"])
            got = KerasAffine.apply(input, shape: l.shape, axes: l.axes, transform: l.transform,
                                    fill: l.fill, cval: l.cval, order: l.order)
        }
        let failure = compare(got, l.expected, atol: l.atol, mask: l.mask)
        #expect(failure == nil, "\(id): \(failure ?? "")")
    }

    static let augmenterIDs = ids.filter { id in
        let c = KerasFixtures.shared.fixtureCase(id)
        let prep = c["input_prep"] as? [String: Any]
        return c["input_layout"] as! String == "HWC" && c["output_dtype"] as! String == "float32"
            && prep?["scale"] as? Double == 1 && prep?["offset"] as? Double == 0
    }

    @Test("through the public Augmenter in keras mode", arguments: augmenterIDs)
    func augmenter(id: String) throws {
        let l = try Self.load(id)
        let pixels = KerasFixtures.shared.bytes(l.fixtureCase["input_file"] as! String)
        let image = try Image(width: l.shape[1], height: l.shape[0], channels: l.shape[2], pixels: pixels)
        var config = AugmentationConfig()
        config.fillMode = l.fill
        config.cval = l.cval
        config.interpolationOrder = l.order
        let augmenter = try Augmenter(config: config, outputHeight: l.shape[0], outputWidth: l.shape[1], mode: .keras)
        let failure = compare(augmenter.render(image, transform: l.transform), l.expected, atol: l.atol, mask: l.mask)
        #expect(failure == nil, "\(id): \(failure ?? "")")
    }
}

/// `FillMode.mirror` in the Keras-path sampler (not a Keras `fill_mode`, reachable from the
/// library API): scipy.ndimage's `mirror` (`map_coordinates(arange*10+10, ..., order=1,
/// mode='mirror')` on six values gives these).
@Suite struct KerasMirrorSamplingTests {
    @Test func mirrorMatchesScipy() {
        let sampling = KerasSampling(fill: .mirror, order: .bilinear, cval: 0)
        let coordinates = [-2, 7, -2.5, 11, 12, -9.25], scipy = [30.0, 40, 35, 20, 30, 17.5]
        // On the ramp 10, 20, …, 60 a bilinear sample at mapped coordinate m is 10 (m + 1).
        #expect(coordinates.map { 10 * (sampling.mapped($0, 6) + 1) } == scipy)
    }
}
