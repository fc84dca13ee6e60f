import Foundation
import Testing
@testable import Augmentation

/// `random_transform` fixtures (6): our keras-mode sampler's draws over many (epoch, index) pairs
/// stay within each case's `ranges`, with the same units and disabled values; Keras's own draws
/// pass the same checker (so the checker is right).
@Suite struct KerasRandomTransformTests {
    /// Checks one transform against a case's `ranges`; returns the violations.
    static func violations(_ t: Transform, ranges r: [String: Any]) -> [String] {
        var problems: [String] = []
        func within(_ v: Double, _ interval: Any?, _ name: String) {
            if let pair = interval as? [Double] {
                if !(v >= pair[0] - 1e-9 && v <= pair[1] + 1e-9) { problems.append("\(name)=\(v) outside \(pair)") }
            } else if let fixed = interval as? Double, v != fixed {
                problems.append("\(name)=\(v) != \(fixed)")
            }
        }
        within(t.theta, r["theta_deg"], "theta")
        within(t.shear, r["shear_deg"], "shear")
        within(t.zx, r["zx_zy"], "zx")
        within(t.zy, r["zx_zy"], "zy")
        for (name, v) in [("tx", t.tx), ("ty", t.ty)] {
            let spec = r[name] as! [String: Any]
            let kind = spec["kind"] as! String
            if kind == "disabled" {
                within(v, spec["value"], name)
            } else if let interval = spec["interval_px"] {
                within(v, interval, name)
            } else if let values = spec["values"] as? [Double] {
                let scale = kind.hasPrefix("list") && kind.contains("scaled") ? Double(spec["dim"] as! Int) : 1
                let allowed = kind.hasPrefix("int") ? values : values.flatMap { [$0 * scale, -$0 * scale] }
                if !allowed.contains(where: { abs($0 - v) < 1e-9 }) { problems.append("\(name)=\(v) not in \(allowed)") }
            }
        }
        for (name, flag) in [("flip_horizontal", t.flipHorizontal), ("flip_vertical", t.flipVertical)] {
            if (r[name] as! String).hasPrefix("always False") && flag { problems.append("\(name) drawn") }
        }
        for (name, value) in [("channel_shift_intensity", t.channelShiftIntensity), ("brightness", t.brightness)] {
            if r[name] is NSNull { if value != nil { problems.append("\(name) should be nil") } }
            else if let v = value { within(v, r[name], name) } else { problems.append("\(name) missing") }
        }
        return problems
    }

    @Test("sampler draws within Keras's ranges and units", arguments: KerasFixtures.ids(kind: "random_transform"))
    func ranges(id: String) throws {
        let c = KerasFixtures.shared.fixtureCase(id)
        let config = try KerasFixtures.decode(AugmentationConfig.self, from: c["generator_kwargs"]!)
        let shape = c["img_shape"] as! [Int]
        let ranges = c["ranges"] as! [String: Any]
        for draw in c["draws"] as! [[String: Any]] {
            let t = try KerasFixtures.decode(Transform.self, from: draw["params"]!)
            #expect(Self.violations(t, ranges: ranges).isEmpty, "\(id): Keras's own draw fails the checker")
        }
        let sampler = TransformSampler(config: config, seed: 2024, mode: .keras)
        var flips = 0, seenValues = Set<Double>()
        for index in 0..<500 {
            let t = sampler.transform(epoch: index % 3, index: index, height: shape[0], width: shape[1])
            let problems = Self.violations(t, ranges: ranges)
            #expect(problems.isEmpty, "\(id) index \(index): \(problems)")
            if t.flipHorizontal { flips += 1 }
            seenValues.insert(t.ty)
        }
        #expect((200...300).contains(flips), "\(id): horizontal flips \(flips) of 500")
        if let values = (ranges["ty"] as! [String: Any])["values"] as? [Double] {
            // Every allowed value turns up (list: each entry with both signs).
            let expected = (ranges["ty"] as! [String: Any])["kind"] as! String
            #expect(seenValues.count == (expected.hasPrefix("int") ? values.count : 2 * values.count), "\(id)")
        }
    }
}
