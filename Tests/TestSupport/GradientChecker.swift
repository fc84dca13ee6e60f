/// Checks an analytic gradient against central finite differences, one
/// element at a time: `(L(x + h) − L(x − h)) / 2h` must match the analytic
/// value within `tolerance · max(1, |numeric|)`. Losses are summed in `Double`.
///
/// The checker reads and nudges the values through closures, so it serves
/// arrays, parameter buffers and anything else a loss reads from:
///
/// ```swift
/// let mismatches = try GradientChecker().mismatches(
///     analytic: gradient, read: { x[$0] }, write: { x[$0] = $1 }, loss: { loss(x) })
/// #expect(mismatches.isEmpty, "\(mismatches)")
/// ```
public struct GradientChecker: Sendable {
    /// One element whose gradients disagree.
    public struct Mismatch: Sendable, Equatable, CustomStringConvertible {
        /// The element's index.
        public var index: Int
        /// The central difference.
        public var numeric: Float
        /// The gradient under test.
        public var analytic: Float

        public var description: String { "[\(index)]: numeric \(numeric) analytic \(analytic)" }
    }

    /// The finite-difference step `h`.
    public var step: Float
    /// The relative tolerance (absolute below magnitude 1).
    public var tolerance: Float

    /// A checker with step `h` and relative tolerance `tolerance`.
    public init(step: Float = 1e-2, tolerance: Float = 2e-2) {
        self.step = step
        self.tolerance = tolerance
    }

    /// The elements `i` of `analytic` that disagree with the central difference of
    /// `loss` when value `i` (got with `read`, set with `write`) moves by ±`step`;
    /// each value is restored before the next.
    public func mismatches(analytic: [Float], read: (Int) -> Float, write: (Int, Float) -> Void,
                           loss: () throws -> Double) rethrows -> [Mismatch] {
        var found: [Mismatch] = []
        for i in analytic.indices {
            let saved = read(i)
            write(i, saved + step); let plus = try loss()
            write(i, saved - step); let minus = try loss()
            write(i, saved)
            let numeric = Float((plus - minus) / Double(2 * step))
            if !(abs(numeric - analytic[i]) <= tolerance * max(1, abs(numeric))) {
                found.append(Mismatch(index: i, numeric: numeric, analytic: analytic[i]))
            }
        }
        return found
    }
}
