import Foundation

/// Keras's default weight initialisers, drawn from a counter-based stream.
///
/// The stream of parameter `p` of layer `l` in a model seeded `s` is
/// `CounterRandom.key([s, l, p])`; element `i` uses counter `i`. So the same
/// seed gives the same weights, whatever else the program does.
public enum Initializer {
    /// Glorot (Xavier) uniform: U(-limit, limit), limit = sqrt(6 / (fanIn + fanOut)).
    public static func glorotUniform(count: Int, fanIn: Int, fanOut: Int, key: UInt64) -> [Float] {
        let limit = Float(sqrt(6.0 / Double(fanIn + fanOut)))
        return (0..<count).map { i in
            (CounterRandom.uniform(key: key, counter: UInt64(i)) * 2 - 1) * limit
        }
    }

    /// The stream key of parameter `parameterIndex` in a layer built with `seed`.
    public static func key(seed: UInt64, parameterIndex: Int) -> UInt64 {
        CounterRandom.key([seed, UInt64(parameterIndex)])
    }
}
