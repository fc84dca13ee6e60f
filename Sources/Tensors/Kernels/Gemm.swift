import CBLAS

/// Row-major single-precision matrix products on OpenBLAS.
///
/// `C[m×n] = alpha · op(A) · op(B) + beta · C`, with `op` a transpose when
/// asked. Leading dimensions are the row lengths of the matrices as stored.
public enum Gemm {
    /// Calls `cblas_sgemm` in row-major order.
    /// - Complexity: O(m·n·k).
    @inline(__always)
    public static func multiply(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor,
            transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k),
            alpha, a, Int32(lda), b, Int32(ldb),
            beta, c, Int32(ldc))
    }
}

/// OpenBLAS's own thread pool size.
///
/// Augment's policy (see `Training`'s `ThreadingPolicy`): during a training
/// step OpenBLAS gets the cores; the input pipeline's Dispatch workers fill
/// the next batches while the main thread is blocked in GEMM, so they mostly
/// run in the gaps between kernels.
public enum BLASThreads {
    /// Number of threads OpenBLAS uses for the next calls.
    public static var current: Int { Int(openblas_get_num_threads()) }

    /// Sets OpenBLAS's thread count (at least 1).
    public static func set(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }
}
