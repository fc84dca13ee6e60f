import Foundation
import Testing
import TestSupport
@testable import Augmentation

/// The Keras golden fixture set: the committed copy (through `RepositoryFiles`), or the folder
/// named by `AUGMENT_KERAS_FIXTURES`.
final class KerasFixtures: @unchecked Sendable {
    static let shared = KerasFixtures()

    let root: URL
    /// The parsed `cases.json` (read-only after init).
    let manifest: [String: Any]
    let cases: [[String: Any]]

    private init() {
        if let path = ProcessInfo.processInfo.environment["AUGMENT_KERAS_FIXTURES"], !path.isEmpty {
            root = URL(fileURLWithPath: path)
        } else {
            root = RepositoryFiles.fixture("AugmentationTests", "keras-idg")
        }
        let data = try! Data(contentsOf: root.appendingPathComponent("cases.json"))
        manifest = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
        cases = manifest["cases"] as! [[String: Any]]
    }

    static func ids(kind: String) -> [String] {
        shared.cases.filter { $0["kind"] as? String == kind }.map { $0["id"] as! String }
    }

    func fixtureCase(_ id: String) -> [String: Any] {
        cases.first { $0["id"] as? String == id }!
    }

    func bytes(_ file: String) -> [UInt8] {
        [UInt8](try! Data(contentsOf: root.appendingPathComponent(file)))
    }

    func floats(_ file: String) -> [Float] {
        let data = try! Data(contentsOf: root.appendingPathComponent(file))
        return data.withUnsafeBytes { raw in
            (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }

    /// The array Keras received: `Float(u8)·scale + offset` in Float32, or the stored array.
    func input(file: String, dtype: String, prep: Any?) -> [Float] {
        if dtype == "float32" { return floats(file) }
        let raw = bytes(file).map(Float.init)
        guard let prep = prep as? [String: Any] else { return raw }
        let scale = Float(prep["scale"] as! Double), offset = Float(prep["offset"] as! Double)
        return raw.map { $0 * scale + offset }
    }

    /// Decodes a JSON-able value (e.g. `generator_kwargs`, `params`) into `T`.
    static func decode<T: Decodable>(_ type: T.Type, from object: Any) throws -> T {
        try JSONDecoder().decode(T.self, from: try JSONSerialization.data(withJSONObject: object))
    }
}

/// Element-wise comparison with a fragile mask: returns a failure summary, or nil when every
/// unmasked element is within `atol + rtol·|ref|`.
func compare(_ got: [Float], _ expected: [Float], atol: Double, rtol: Double = 0, mask: [UInt8]? = nil) -> String? {
    guard got.count == expected.count else { return "count \(got.count) != \(expected.count)" }
    var bad = 0, worst = 0.0, worstIndex = -1
    for i in got.indices where mask?[i] ?? 0 == 0 {
        let error = abs(Double(got[i]) - Double(expected[i]))
        if error > atol + rtol * abs(Double(expected[i])) || !error.isFinite {
            bad += 1
            if !(error <= worst) { worst = error; worstIndex = i }
        }
    }
    guard bad > 0 else { return nil }
    return "\(bad) elements beyond tolerance \(atol); worst \(worst) at \(worstIndex) (got \(got[worstIndex]), expected \(expected[worstIndex]))"
}
