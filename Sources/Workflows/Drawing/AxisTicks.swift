import Foundation

/// Round tick values for a chart axis: evenly spaced by a step of 1, 2 or 5 × 10ᵏ, the
/// way plotting libraries choose them, so a loss axis reads 0, 0.5, 1, 1.5 rather than
/// 0.568, 1.14, 2.27.
///
/// ```swift
/// let ticks = AxisTicks(covering: 0.18, 0.99, maxIntervals: 5)
/// ticks.values                 // [0, 0.2, 0.4, 0.6, 0.8, 1]
/// ticks.values.map(ticks.label) // ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]
/// ```
struct AxisTicks: Equatable {
    /// The distance between neighbouring ticks.
    let step: Double
    /// The ticks, from the first multiple of `step` at or below the range to the first at or above it.
    let values: [Double]

    /// Ticks whose span covers `low...high` in at most `maxIntervals` steps (`low < high`).
    init(covering low: Double, _ high: Double, maxIntervals: Int) {
        let step = Self.roundStep(atLeast: (high - low) / Double(max(1, maxIntervals)))
        let first = (low / step).rounded(.down), last = (high / step).rounded(.up)
        self.step = step
        values = stride(from: first, through: last, by: 1).map { $0 * step }
    }

    /// The smallest step of 1, 2 or 5 × 10ᵏ that is at least `rough` (> 0).
    static func roundStep(atLeast rough: Double) -> Double {
        let magnitude = pow(10, (log10(rough)).rounded(.down))
        for mantissa in [1.0, 2, 5, 10] where mantissa * magnitude >= rough * (1 - 1e-9) {
            return mantissa * magnitude
        }
        return 10 * magnitude
    }

    /// `value` with as many decimals as the step needs (0.2 → "0.2", 5 → "5").
    func label(_ value: Double) -> String {
        let decimals = max(0, -Int((log10(step) + 1e-9).rounded(.down)))
        return String(format: "%.\(decimals)f", abs(value) < step * 1e-9 ? 0 : value)
    }
}
