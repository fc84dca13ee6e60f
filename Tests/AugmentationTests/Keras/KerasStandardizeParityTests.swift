import Foundation
import Testing
@testable import Augmentation

/// `standardize` fixtures (8): our fit against Keras's fitted statistics (`fit.*_tolerance`), and
/// `standardize` with Keras's stored statistics on one image and on a batch of 3.
@Suite struct KerasStandardizeParityTests {
    static func config(_ c: [String: Any]) throws -> AugmentationConfig {
        var kwargs = c["generator_kwargs"] as! [String: Any]
        kwargs = kwargs.filter { !($0.value is NSNull) }
        return try KerasFixtures.decode(AugmentationConfig.self, from: kwargs)
    }

    @Test("effective flags", arguments: KerasFixtures.ids(kind: "standardize"))
    func flags(id: String) throws {
        let c = KerasFixtures.shared.fixtureCase(id)
        let s = Standardizer(config: try Self.config(c))
        let f = c["effective_flags"] as! [String: Any]
        #expect(s.featurewiseCenter == f["featurewise_center"] as! Bool)
        #expect(s.featurewiseStdNormalization == f["featurewise_std_normalization"] as! Bool)
        #expect(s.samplewiseCenter == f["samplewise_center"] as! Bool)
        #expect(s.samplewiseStdNormalization == f["samplewise_std_normalization"] as! Bool)
        #expect(s.zcaWhitening == f["zca_whitening"] as! Bool)
    }

    @Test("fit matches Keras's mean, std and ZCA matrix", arguments: KerasFixtures.ids(kind: "standardize").filter {
        KerasFixtures.shared.fixtureCase($0)["fit"] is [String: Any]
    })
    func fit(id: String) throws {
        let fixtures = KerasFixtures.shared
        let c = fixtures.fixtureCase(id)
        let fit = c["fit"] as! [String: Any]
        let shape = fit["input_shape"] as! [Int]
        var s = Standardizer(config: try Self.config(c))
        try s.fit(samples: fixtures.input(file: fit["input_file"] as! String, dtype: "uint8", prep: fit["input_prep"]),
                  count: shape[0], height: shape[1], width: shape[2], channels: shape[3])
        func tolerance(_ key: String) -> Double { (fit[key] as! [String: Any])["atol"] as! Double }
        if let file = fit["mean_file"] as? String {
            let failure = compare(s.mean ?? [], fixtures.floats(file), atol: tolerance("mean_tolerance"))
            #expect(failure == nil, "\(id) mean: \(failure ?? "")")
        }
        if let file = fit["std_file"] as? String {
            let failure = compare(s.std ?? [], fixtures.floats(file), atol: tolerance("std_tolerance"))
            #expect(failure == nil, "\(id) std: \(failure ?? "")")
        }
        if let file = fit["zca_whitening_matrix_file"] as? String {
            let failure = compare((s.zcaMatrix ?? []).map(Float.init), fixtures.floats(file),
                                  atol: tolerance("zca_whitening_matrix_tolerance"))
            #expect(failure == nil, "\(id) zca: \(failure ?? "")")
        }
    }

    @Test("standardize single image and batch", arguments: KerasFixtures.ids(kind: "standardize"))
    func standardize(id: String) throws {
        let fixtures = KerasFixtures.shared
        let c = fixtures.fixtureCase(id)
        var s = Standardizer(config: try Self.config(c))
        if let fit = c["fit"] as? [String: Any] {
            s.mean = (fit["mean_file"] as? String).map(fixtures.floats)
            s.std = (fit["std_file"] as? String).map(fixtures.floats)
            s.zcaMatrix = (fit["zca_whitening_matrix_file"] as? String).map { fixtures.floats($0).map(Double.init) }
        }
        for (name, run) in c["runs"] as! [String: [String: Any]] {
            let shape = run["input_shape"] as! [Int]
            let samples = shape.count == 4 ? shape[0] : 1
            let (h, w, ch) = (shape[shape.count - 3], shape[shape.count - 2], shape[shape.count - 1])
            var x = fixtures.input(file: run["input_file"] as! String, dtype: run["input_dtype"] as! String,
                                   prep: run["input_prep"])
            x.withUnsafeMutableBufferPointer { s.standardize($0, samples: samples, height: h, width: w, channels: ch) }
            let t = run["tolerance"] as! [String: Any]
            let failure = compare(x, fixtures.floats(run["output_file"] as! String),
                                  atol: t["atol"] as! Double, rtol: t["rtol"] as? Double ?? 0)
            #expect(failure == nil, "\(id) run \(name): \(failure ?? "")")
        }
    }
}
