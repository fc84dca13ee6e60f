import CBLAS

/// ZCA whitening with LAPACK (OpenBLAS's LAPACKE_dgesvd) and BLAS.
enum ZCA {
    /// Keras's matrix: `U, s = svd(flat.T)`, `W = U·diag(√N / (s + ε))·Uᵀ` (rank ≤ N).
    /// `flat` holds `count` rows of `dimension` values.
    /// - Complexity: O(D·N·min(D, N)) for the SVD plus O(D²·min(D, N)) for W.
    static func matrix(_ flat: [Double], count n: Int, dimension d: Int, epsilon: Double) throws(AugmentationError) -> [Double] {
        // flat (N×D, row-major) is flat.T (D×N) in column-major with leading dimension D.
        var a = flat
        let k = min(n, d)
        var s = [Double](repeating: 0, count: k)
        var u = [Double](repeating: 0, count: d * k)
        var vt = [Double](repeating: 0, count: 1)
        var superb = [Double](repeating: 0, count: max(k - 1, 1))
        let info = LAPACKE_dgesvd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "S")), Int8(UInt8(ascii: "N")),
                                  Int32(d), Int32(n), &a, Int32(d), &s, &u, Int32(d),
                                  &vt, 1, &superb)
        guard info == 0 else {
            throw AugmentationError(parameter: "zca_whitening", value: "\(n) samples of \(d) values",
                                    reason: "LAPACKE_dgesvd failed with info \(info)")
        }
        let root = Double(n).squareRoot()
        var scaled = u
        for j in 0..<k {
            let factor = root / (s[j] + epsilon)
            for i in 0..<d { scaled[j * d + i] *= factor }
        }
        var w = [Double](repeating: 0, count: d * d)
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, Int32(d), Int32(d), Int32(k),
                    1, scaled, Int32(d), u, Int32(d), 0, &w, Int32(d))
        return w
    }

    /// `x ← x·W` for one flattened sample (W symmetric, Float64 product as Keras).
    static func whiten(_ x: UnsafeMutableBufferPointer<Float>, matrix w: [Double]) {
        let d = x.count
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * d) { scratch in
            let input = scratch.baseAddress!, result = scratch.baseAddress! + d
            for i in 0..<d { input[i] = Double(x[i]) }
            cblas_dgemv(CblasRowMajor, CblasTrans, Int32(d), Int32(d), 1, w, Int32(d), input, 1, 0, result, 1)
            for i in 0..<d { x[i] = Float(result[i]) }
        }
    }
}
