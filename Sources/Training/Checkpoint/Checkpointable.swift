import Foundation

/// A stateful piece of a training run (the model's weights, the optimiser,
/// the trainer's step, `fit`'s position, a callback) that a checkpoint saves
/// and a resumed run restores, so that the run continues bit for bit.
///
/// ```swift
/// extension MyCallback: Checkpointable {
///     func checkpointState(context: TrainingContext) throws -> CheckpointState {
///         try CheckpointState(values: ["wait": wait])
///     }
///     func restore(from state: CheckpointState, context: TrainingContext) throws {
///         wait = try state.values([String: Int].self)["wait"] ?? 0
///     }
/// }
/// ```
public protocol Checkpointable: AnyObject {
    /// The piece's state now: scalars as a JSON value, arrays as tensors.
    func checkpointState(context: TrainingContext) throws -> CheckpointState
    /// Puts back a state taken by ``checkpointState(context:)`` of the same kind of piece.
    /// - Throws: ``TrainingError/checkpoint(reason:)`` when the state does not fit.
    func restore(from state: CheckpointState, context: TrainingContext) throws
}

/// The saved state of one ``Checkpointable``: its scalars, encoded as JSON
/// (numbers round-trip exactly; NaN and infinities as strings), and its
/// tensors by name.
public struct CheckpointState: Sendable {
    /// The scalars, as the JSON text of an `Encodable` value.
    public var json: Data
    /// Arrays (weights, moments), by name.
    public var tensors: [String: Tensor]

    /// A state of `values` (any `Encodable`) and `tensors`.
    public init<Values: Encodable>(values: Values, tensors: [String: Tensor] = [:]) throws {
        json = try Self.encoder.encode(values)
        self.tensors = tensors
    }

    init(json: Data, tensors: [String: Tensor]) {
        self.json = json
        self.tensors = tensors
    }

    /// The scalars, decoded as `type`.
    public func values<Values: Decodable>(_ type: Values.Type) throws -> Values {
        do {
            return try Self.decoder.decode(type, from: json)
        } catch {
            throw TrainingError.checkpoint(reason: "state \(String(decoding: json, as: UTF8.self)) does not decode as \(type): \(error)")
        }
    }

    /// The tensor `name`, or an error naming it.
    public func tensor(_ name: String) throws -> Tensor {
        guard let tensor = tensors[name] else { throw Self.missing(name) }
        return tensor
    }

    /// The error of a state that lacks `what`.
    public static func missing(_ what: String) -> TrainingError {
        .checkpoint(reason: "the checkpoint lacks \(what)")
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }()
}
