import Imaging
import Testing
@testable import Augmentation

/// The `pipeline` fixture: Keras's first `flow` batch equals `standardize(apply_transform(x_i, p_i))`;
/// the stored params go through the public ``Augmenter`` in keras mode (rescale included).
@Suite struct KerasPipelineParityTests {
    @Test("flow batch through the Augmenter", arguments: KerasFixtures.ids(kind: "pipeline"))
    func pipeline(id: String) throws {
        let fixtures = KerasFixtures.shared
        let c = fixtures.fixtureCase(id)
        let config = try KerasFixtures.decode(AugmentationConfig.self, from: c["generator_kwargs"]!)
        let shape = c["input_shape"] as! [Int]
        let (n, h, w, ch) = (shape[0], shape[1], shape[2], shape[3])
        let pixels = fixtures.bytes(c["input_file"] as! String)
        let expected = fixtures.floats(c["output_file"] as! String)
        let params = c["params"] as! [Any]
        let augmenter = try Augmenter(config: config, outputHeight: h, outputWidth: w, mode: .keras)
        let atol = (c["tolerance"] as! [String: Any])["atol"] as! Double
        let d = h * w * ch
        for i in 0..<n {
            let image = try Image(width: w, height: h, channels: ch, pixels: Array(pixels[(i * d)..<((i + 1) * d)]))
            let t = try KerasFixtures.decode(Transform.self, from: params[i])
            let failure = compare(augmenter.render(image, transform: t), Array(expected[(i * d)..<((i + 1) * d)]), atol: atol)
            #expect(failure == nil, "\(id) image \(i): \(failure ?? "")")
        }
    }
}
