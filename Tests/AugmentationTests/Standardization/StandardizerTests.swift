import Imaging
import Testing
@testable import Augmentation

/// `Standardizer.fit(images:...)`: plain and augmented rounds, bad input, and ZCA's defining
/// property (whitened fit data has a projector as covariance).
@Suite struct StandardizerTests {
    static func images(_ count: Int) throws -> [Image] {
        try (0..<count).map { k in
            try Image(width: 4, height: 3, channels: 3, pixels: (0..<36).map { UInt8(($0 * 31 + k * 57) % 256) })
        }
    }

    @Test func rounds_of_identity_augmentation_leave_the_statistics_unchanged() throws {
        var config = AugmentationConfig()
        config.featurewiseStdNormalization = true
        var plain = Standardizer(config: config), augmented = plain
        try plain.fit(images: try Self.images(5), config: config)
        try augmented.fit(images: try Self.images(5), config: config, augmentationRounds: 3, seed: 1)
        for c in 0..<3 {
            #expect(abs(plain.mean![c] - augmented.mean![c]) < 1e-3)
            #expect(abs(plain.std![c] - augmented.std![c]) < 1e-3)
        }
    }

    @Test func mismatched_images_are_refused_by_name() throws {
        var s = Standardizer(config: AugmentationConfig())
        let odd = try Image(width: 5, height: 3, channels: 3)
        #expect(throws: AugmentationError.self) { try s.fit(images: try Self.images(2) + [odd], config: AugmentationConfig()) }
        #expect(throws: AugmentationError.self) { try s.fit(images: [], config: AugmentationConfig()) }
    }

    @Test func whitened_fit_data_has_a_projector_covariance() throws {
        var config = AugmentationConfig()
        config.zcaWhitening = true
        config.zcaEpsilon = 0
        let (n, d) = (6, 36)
        var s = Standardizer(config: config)
        let images = try Self.images(n)
        try s.fit(images: images, config: config)
        var rows = images.flatMap { $0.pixels.map(Float.init) }
        rows.withUnsafeMutableBufferPointer { s.standardize($0, samples: n, height: 3, width: 4, channels: 3) }
        // C = YᵀY / N must satisfy C·C = C (the projector U·Uᵀ onto the data's span).
        var cov = [Double](repeating: 0, count: d * d)
        for k in 0..<n { for i in 0..<d { for j in 0..<d {
            cov[i * d + j] += Double(rows[k * d + i]) * Double(rows[k * d + j]) / Double(n)
        } } }
        var worst = 0.0
        for i in 0..<d { for j in 0..<d {
            var square = 0.0
            for m in 0..<d { square += cov[i * d + m] * cov[m * d + j] }
            worst = max(worst, abs(square - cov[i * d + j]))
        } }
        #expect(worst < 1e-3)
        let trace = (0..<d).reduce(0.0) { $0 + cov[$1 * d + $1] }
        #expect(abs(trace - trace.rounded()) < 1e-3 && trace >= Double(n - 1) - 1e-3)
    }
}

extension StandardizerTests {
    @Test func augmenter_validates_images_against_the_fitted_channels() throws {
        var config = AugmentationConfig()
        config.featurewiseCenter = true
        var s = Standardizer(config: config)
        try s.fit(images: try Self.images(3), config: config)
        let augmenter = try Augmenter(config: config, outputHeight: 3, outputWidth: 4, standardizer: s)
        #expect(throws: Never.self) { try augmenter.validate(try Self.images(1)[0]) }
        #expect(throws: AugmentationError.self) { try augmenter.validate(try Image(width: 4, height: 3, channels: 1)) }
    }
}
