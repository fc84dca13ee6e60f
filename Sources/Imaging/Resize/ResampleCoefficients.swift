/// Fixed-point filter weights for one axis, computed exactly as Pillow's
/// `precompute_coeffs` + `normalize_coeffs_8bpc` (22 fractional bits), so
/// resized pixels match Pillow's.
struct ResampleCoefficients {
    static let precisionBits = 22

    /// Taps per output sample (the row length of `weights`).
    let taps: Int
    /// First input index for each output sample.
    let first: [Int]
    /// Number of input samples used for each output sample.
    let count: [Int]
    /// `outputSize * taps` weights.
    let weights: [Int32]

    init(inputSize: Int, outputSize: Int, filter: Interpolation) {
        let scale = Double(inputSize) / Double(outputSize)
        let filterScale = max(scale, 1)
        let support = filter.support * filterScale
        let taps = Int(support.rounded(.up)) * 2 + 1
        var first = [Int](repeating: 0, count: outputSize)
        var count = [Int](repeating: 0, count: outputSize)
        var weights = [Int32](repeating: 0, count: outputSize * taps)
        let one = Double(1 << Self.precisionBits)
        var row = [Double](repeating: 0, count: taps)
        for output in 0..<outputSize {
            let center = (Double(output) + 0.5) * scale
            let low = max(Int(center - support + 0.5), 0)
            let high = min(Int(center + support + 0.5), inputSize)
            let used = high - low
            var total = 0.0
            for tap in 0..<used {
                let w = filter.weight((Double(tap + low) - center + 0.5) / filterScale)
                row[tap] = w
                total += w
            }
            for tap in 0..<used {
                let w = total != 0 ? row[tap] / total : row[tap]
                weights[output * taps + tap] = Int32(w < 0 ? -0.5 + w * one : 0.5 + w * one)
            }
            first[output] = low
            count[output] = used
        }
        self.taps = taps
        self.first = first
        self.count = count
        self.weights = weights
    }
}
