import CNeuralKernels

/// Batch normalisation over the last (channel) axis of a `rows × channels`
/// buffer and Keras's clamped ReLU, on the compute threads and vectorised
/// over the channels (CNeuralKernels' norm.c). Per-channel sums are gathered
/// in double per chunk and added in chunk order, so results depend on the
/// thread count only.
///
/// ```swift
/// NormalizationKernels.statistics(x, rows: n, channels: c, mean: mean, variance: variance)
/// ```
public enum NormalizationKernels {
    /// The batch mean and biased variance of each channel (two passes).
    public static func statistics(_ x: UnsafePointer<Float>, rows: Int, channels: Int,
                                  mean: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>) {
        ComputeThreads.adopt()
        OneDNNStatus.check(nk_bn_statistics(x, Int64(rows), Int64(channels), mean, variance), "batch statistics")
    }

    /// `xhat = (x − mean) · inverseStd` (when `xhat` is given) and `y = gamma · xhat + beta`.
    public static func apply(_ x: UnsafePointer<Float>, rows: Int, channels: Int, mean: UnsafePointer<Float>,
                             inverseStd: UnsafePointer<Float>, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                             xhat: UnsafeMutablePointer<Float>?, into y: UnsafeMutablePointer<Float>) {
        ComputeThreads.adopt()
        nk_bn_apply(x, Int64(rows), Int64(channels), mean, inverseStd, gamma, beta, xhat, y)
    }

    /// The column sums of `dy` and of `dy · xhat`, `xhat = (x − mean) · inverseStd`
    /// recomputed from the forward pass's input (so it is never stored).
    public static func gradientSums(_ dy: UnsafePointer<Float>, x: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                                    inverseStd: UnsafePointer<Float>, rows: Int, channels: Int,
                                    sumDy: UnsafeMutablePointer<Float>, sumDyXhat: UnsafeMutablePointer<Float>) {
        ComputeThreads.adopt()
        OneDNNStatus.check(nk_bn_gradient_sums(dy, x, mean, inverseStd, Int64(rows), Int64(channels), sumDy, sumDyXhat),
                           "batch normalisation gradient")
    }

    /// d(loss)/d(input): with batch statistics (`batchStatistics`)
    /// `gamma · inverseStd / m · (m · dy − sumDy − xhat · sumDyXhat)`, `m = count` (the rows
    /// the statistics were taken over: `rows`, or every process's with synchronised statistics);
    /// else `gamma · inverseStd · dy`.
    public static func inputGradient(_ dy: UnsafePointer<Float>, x: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                                     rows: Int, count: Float, channels: Int, gamma: UnsafePointer<Float>, inverseStd: UnsafePointer<Float>,
                                     sumDy: UnsafePointer<Float>, sumDyXhat: UnsafePointer<Float>,
                                     batchStatistics: Bool, into dx: UnsafeMutablePointer<Float>) {
        ComputeThreads.adopt()
        nk_bn_input_gradient(dy, x, mean, Int64(rows), count, Int64(channels), gamma, inverseStd, sumDy, sumDyXhat,
                             batchStatistics ? 1 : 0, dx)
    }

    /// Keras's ReLU: `y = x > threshold ? min(x, top) : slope · (x − threshold)`.
    public static func clamp(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int,
                             threshold: Float, top: Float, slope: Float) {
        ComputeThreads.adopt()
        nk_clamp_forward(x, y, Int64(count), threshold, top, slope)
    }

    /// Its backward: `dx = x > threshold ? (x < top ? dy : 0) : slope · dy`.
    public static func clampGradient(_ x: UnsafePointer<Float>, gradOutput dy: UnsafePointer<Float>,
                                     into dx: UnsafeMutablePointer<Float>, count: Int,
                                     threshold: Float, top: Float, slope: Float) {
        ComputeThreads.adopt()
        nk_clamp_backward(x, dy, dx, Int64(count), threshold, top, slope)
    }
}
