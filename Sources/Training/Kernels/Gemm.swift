import CNeuralKernels

/// Row-major single-precision matrix products on oneDNN's `sgemm` (the
/// same OpenMP threads as the convolutions, see ``ComputeThreads``).
///
/// `C[m×n] = alpha · op(A) · op(B) + beta · C`, with `op` a transpose when
/// asked. Leading dimensions are the row lengths of the matrices as stored.
public enum Gemm {
    /// Calls `dnnl_sgemm` in row-major order.
    /// - Complexity: O(m·n·k).
    @inline(__always)
    public static func multiply(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        ComputeThreads.adopt()
        let status = nk_sgemm(transposeA ? 1 : 0, transposeB ? 1 : 0, Int64(m), Int64(n), Int64(k),
                              alpha, a, Int64(lda), b, Int64(ldb), beta, c, Int64(ldc))
        OneDNNStatus.check(status, "sgemm \(m)×\(n)×\(k)")
    }
}
