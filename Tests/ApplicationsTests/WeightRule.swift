import Foundation
import Training

/// The deterministic weights of scripts/make_keras_application_parity.py:
/// weight k (in `model.weights` order), element i, u = 2 ((7919 i + 104729 k) mod P) / P − 1,
/// shaped by the weight's name (see the script), P = ``fullSizePeriod`` or ``smallPeriod``.
/// Also its two inputs.
enum WeightRule {
    /// The period of the full-size models' weights, and of the small MobileNetV2 files'.
    static let fullSizePeriod = 65521, smallPeriod = 257

    static func values(index k: Int, name: String, shape: [Int], period: Int) -> [Float] {
        let count = shape.reduce(1, *)
        // Every kind is a * u + b.
        let (a, b): (Double, Double)
        switch name {
        case "kernel":
            let fanIn = shape.count == 4 && shape[3] == 1 ? shape[0] * shape[1] : shape.dropLast().reduce(1, *)
            (a, b) = ((1 / Double(fanIn)).squareRoot(), 0)
        case "bias", "beta", "moving_mean": (a, b) = (0.1, 0)
        case "gamma": (a, b) = (0.2, 1)
        case "moving_variance": (a, b) = (0.5, 1)
        case "mean": (a, b) = (0.1, 0.5)
        case "variance": (a, b) = (0.02, 0.06)
        case "count": (a, b) = (0, 0)
        default: preconditionFailure("no rule for \(name)")
        }
        var values = [Float](repeating: 0, count: count)
        var r = (104729 * k) % period
        let step = 7919 % period, p = Double(period)
        values.withUnsafeMutableBufferPointer { out in
            for i in 0..<count {
                out[i] = Float(a * (2 * Double(r) / p - 1) + b)
                r += step
                if r >= period { r -= period }
            }
        }
        return values
    }

    /// Sets every parameter of `model` by the rule.
    static func fill(_ model: Model, period: Int = fullSizePeriod) {
        for (k, parameter) in model.parameters.enumerated() {
            parameter.assign(values(index: k, name: parameter.name, shape: parameter.shape, period: period))
        }
    }

    /// The script's two inputs of per-sample `shape`, pixels in [0, 255] when `pixels`.
    static func inputs(_ shape: [Int], pixels: Bool) -> Tensor {
        let count = shape.reduce(1, *)
        var values = [Float]()
        for sample in 0..<2 {
            for i in 0..<count {
                let x = Float(sin(0.013 * Double(i) + 0.7 * Double(sample) + 0.3))
                values.append(pixels ? x * 127.5 + 127.5 : x)
            }
        }
        return Tensor(shape: [2] + shape, scalars: values)
    }
}

/// Keras's outputs as the script writes them.
struct KerasOutputs: Decodable {
    let output_shape: [Int]
    let outputs: [[Float]]

    /// Checks max |ours − Keras| ≤ 1e-4 · max |Keras|; returns the two maxima.
    func deviation(from tensor: Tensor) -> (difference: Float, scale: Float) {
        let expected = outputs.flatMap { $0 }
        let scale = expected.map(abs).max() ?? 0
        let difference = zip(tensor.scalars, expected).map { abs($0 - $1) }.max() ?? .infinity
        return (tensor.count == expected.count ? difference : .infinity, scale)
    }
}
