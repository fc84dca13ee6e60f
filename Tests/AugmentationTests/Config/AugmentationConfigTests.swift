import Foundation
import Testing
@testable import Augmentation

@Suite struct AugmentationConfigTests {
    static func decode(_ json: String) throws -> AugmentationConfig {
        try JSONDecoder().decode(AugmentationConfig.self, from: Data(json.utf8))
    }

    @Test func decodes_keras_snake_case_keys_with_keras_defaults() throws {
        let c = try Self.decode("""
            {"rotation_range": 20, "width_shift_range": 0.2, "height_shift_range": [1, 2], "zoom_range": 0.2,
             "horizontal_flip": true, "rescale": 0.00392156862745098, "fill_mode": "reflect", "brightness_range": [0.5, 1.5],
             "interpolation_order": 0, "data_format": "channels_first"}
            """)
        #expect(c.rotationRange == 20)
        #expect(c.widthShiftRange == .fraction(0.2))
        #expect(c.heightShiftRange == .choices([1, 2]))
        #expect(c.zoomRange == ZoomRange(lower: 0.8, upper: 1.2))
        #expect(c.horizontalFlip && !c.verticalFlip)
        #expect(c.fillMode == .reflect && c.interpolationOrder == .nearest && c.dataFormat == .channelsFirst)
        #expect(c.brightnessRange == BrightnessRange(lower: 0.5, upper: 1.5))
        #expect(c.cval == 0 && c.validationSplit == 0 && c.zcaEpsilon == 1e-6)
        #expect(try Self.decode(#"{"width_shift_range": 5}"#).widthShiftRange == .integerPixels(5))
        #expect(try Self.decode(#"{"width_shift_range": 3.5}"#).widthShiftRange == .pixels(3.5))
        let roundTrip = try JSONDecoder().decode(AugmentationConfig.self, from: try JSONEncoder().encode(c))
        #expect(roundTrip == c)
    }

    @Test func applies_keras_implications() throws {
        let zca = try Self.decode(#"{"zca_whitening": true, "featurewise_std_normalization": true}"#)
        #expect(zca.effectiveFeaturewiseCenter && !zca.effectiveFeaturewiseStdNormalization)
        let std = try Self.decode(#"{"featurewise_std_normalization": true, "samplewise_std_normalization": true}"#)
        #expect(std.effectiveFeaturewiseCenter && std.effectiveSamplewiseCenter)
    }

    @Test(arguments: [
        (#"{"rotation_range": -1}"#, "rotation_range"),
        (#"{"zoom_range": [0, 1]}"#, "zoom_range"),
        (#"{"zoom_range": 1.5}"#, "zoom_range"),
        (#"{"brightness_range": [1.2, 0.8]}"#, "brightness_range"),
        (#"{"brightness_range": [1.2]}"#, "brightness_range"),
        (#"{"validation_split": 1}"#, "validation_split"),
        (#"{"validation_split": -0.1}"#, "validation_split"),
        (#"{"fill_mode": "mirror"}"#, "fill_mode"),
        (#"{"width_shift_range": -0.2}"#, "width_shift_range"),
        (#"{"channel_shift_range": -3}"#, "channel_shift_range"),
        (#"{"interpolation_order": 3}"#, "interpolation_order"),
        (#"{"shear_range": -5}"#, "shear_range"),
    ])
    func rejects_bad_values_naming_the_parameter(json: String, parameter: String) {
        do {
            _ = try Self.decode(json)
            Issue.record("\(json) was accepted")
        } catch let error as AugmentationError {
            #expect(error.parameter == parameter)
            #expect(error.description.contains(parameter))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func transform_round_trips_with_keras_keys() throws {
        let t = Transform(theta: 1.5, tx: -2, flipHorizontal: true, brightness: 0.9)
        let json = String(decoding: try JSONEncoder().encode(t), as: UTF8.self)
        #expect(json.contains("flip_horizontal"))
        #expect(try JSONDecoder().decode(Transform.self, from: Data(json.utf8)) == t)
        #expect(t.description.contains("theta=1.5"))
    }
}
