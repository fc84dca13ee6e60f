/// Element-wise loops written with `SIMD8<Float>` so that they compile to
/// branch-free vector code (the plain loops do not vectorise: the compiler
/// cannot rule out aliasing, and `?:` on random signs mispredicts).
/// Each function handles the tail that is not a multiple of 8 in scalar code.
public enum VectorKernels {
    @inlinable @inline(__always)
    static func load(_ p: UnsafePointer<Float>, _ i: Int) -> SIMD8<Float> {
        UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inlinable @inline(__always)
    static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
        UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    /// `x[i] = max(x[i], 0)`.
    /// - Complexity: O(count).
    public static func relu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count {
            let v = load(x, i)
            store(v.replacing(with: 0, where: v .< 0), x, i)
            i += 8
        }
        while i < count { x[i] = max(x[i], 0); i += 1 }
    }

    /// `grad[i] = y[i] > 0 ? gradOutput[i] : gradOutput[i] · slope` (slope 0: relu).
    /// - Complexity: O(count).
    public static func reluBackward(output y: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                    into grad: UnsafeMutablePointer<Float>, count: Int, negativeSlope: Float = 0) {
        var i = 0
        while i + 8 <= count {
            let g = load(gradOutput, i)
            store(g.replacing(with: g * negativeSlope, where: load(y, i) .<= 0), grad, i)
            i += 8
        }
        while i < count { grad[i] = y[i] > 0 ? gradOutput[i] : gradOutput[i] * negativeSlope; i += 1 }
    }

    /// `out[i] = a[i] + b[i]` (`out` may be `a` or `b`).
    /// - Complexity: O(count).
    public static func add(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                           count: Int) {
        var i = 0
        while i + 8 <= count { store(load(a, i) + load(b, i), out, i); i += 8 }
        while i < count { out[i] = a[i] + b[i]; i += 1 }
    }

    /// `out[r·width + j] = bias[j]` for every row (GEMM then accumulates with
    /// beta = 1, which spares the GEMM a separate pass over C).
    /// - Complexity: O(rows · width).
    public static func fillRows(_ bias: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        for r in 0..<rows { copy(bias, into: out + r * width, count: width) }
    }

    /// `out[r·width + j] += bias[j]` for every row.
    /// - Complexity: O(rows · width).
    public static func addRows(_ bias: UnsafePointer<Float>, to out: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        for r in 0..<rows {
            let row = out + r * width
            var j = 0
            while j + 8 <= width { store(load(row, j) + load(bias, j), row, j); j += 8 }
            while j < width { row[j] += bias[j]; j += 1 }
        }
    }

    /// `target[j] = source[j]` for `count` values: inline vector stores, which
    /// beat a `memmove` call on the short rows of bias fills.
    @inlinable @inline(__always)
    public static func copy(_ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, count: Int) {
        var j = 0
        while j + 8 <= count { store(load(source, j), target, j); j += 8 }
        while j < count { target[j] = source[j]; j += 1 }
    }

    /// `sums[j] = Σ_r x[r·width + j]`.
    /// - Complexity: O(rows · width).
    public static func columnSums(_ x: UnsafePointer<Float>, rows: Int, width: Int, into sums: UnsafeMutablePointer<Float>) {
        sums.update(repeating: 0, count: width)
        for r in 0..<rows {
            let row = x + r * width
            var j = 0
            while j + 8 <= width { store(load(sums, j) + load(row, j), sums, j); j += 8 }
            while j < width { sums[j] += row[j]; j += 1 }
        }
    }
}
