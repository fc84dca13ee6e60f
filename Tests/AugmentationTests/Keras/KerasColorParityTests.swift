import Testing
@testable import Augmentation

/// `channel_shift` (6) and `brightness` (9) fixtures through ``KerasColor``.
@Suite struct KerasColorParityTests {
    @Test("apply_channel_shift", arguments: KerasFixtures.ids(kind: "channel_shift"))
    func channelShift(id: String) {
        let fixtures = KerasFixtures.shared
        let c = fixtures.fixtureCase(id)
        var x = fixtures.input(file: c["input_file"] as! String, dtype: c["input_dtype"] as! String, prep: c["input_prep"])
        let intensity = (c["params"] as! [String: Any])["intensity"] as! Double
        x.withUnsafeMutableBufferPointer { KerasColor.channelShift($0, intensity: intensity) }
        let atol = (c["tolerance"] as! [String: Any])["atol"] as! Double
        let failure = compare(x, fixtures.floats(c["output_file"] as! String), atol: atol)
        #expect(failure == nil, "\(id): \(failure ?? "")")
    }

    @Test("apply_brightness_shift", arguments: KerasFixtures.ids(kind: "brightness"))
    func brightness(id: String) {
        let fixtures = KerasFixtures.shared
        let c = fixtures.fixtureCase(id)
        var x = fixtures.input(file: c["input_file"] as! String, dtype: c["input_dtype"] as! String, prep: c["input_prep"])
        let p = c["params"] as! [String: Any]
        let channels = (c["input_shape"] as! [Int])[2]
        x.withUnsafeMutableBufferPointer {
            KerasColor.brightness($0, channels: channels, factor: p["brightness"] as! Double, scale: p["scale"] as! Bool)
        }
        let atol = (c["tolerance"] as! [String: Any])["atol"] as! Double
        let failure = compare(x, fixtures.floats(c["output_file"] as! String), atol: atol)
        #expect(failure == nil, "\(id): \(failure ?? "")")
    }
}
