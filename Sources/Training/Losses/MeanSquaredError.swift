/// Mean over the last axis of (prediction − target)².
public struct MeanSquaredError: Loss {
    public let name = "mean_squared_error"

    /// The loss has no options.
    public init() {}

    public func sampleLoss(predictions p: UnsafePointer<Float>, targets t: UnsafePointer<Float>, width: Int,
                           gradient: UnsafeMutablePointer<Float>?) -> Double {
        var loss = 0.0
        for j in 0..<width {
            let d = p[j] - t[j]
            loss += Double(d * d)
            gradient?[j] = 2 * d / Float(width)
        }
        return loss / Double(width)
    }
}
