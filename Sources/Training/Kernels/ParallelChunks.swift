import CNeuralKernels

/// Splits a layer's memory-bound loop (average pooling, activations other
/// than ReLU) into contiguous chunks run on ``ComputeThreads`` threads:
/// the OpenMP threads oneDNN uses, so that the two never compete.
///
/// The body must write only the outputs of its own range and read shared
/// inputs only; nothing is reduced across chunks, so results are
/// bit-identical for any thread count. With one thread, or too little work
/// to pay for waking the other threads, the loop stays on the calling thread.
///
/// ```swift
/// ParallelChunks.run(count: batch, work: batch * sampleSize) { samples in
///     for n in samples { process(n) }
/// }
/// ```
public enum ParallelChunks {
    /// Work (values touched) below which a loop stays serial.
    public static let minimumWork = 1 << 14

    /// Calls `body` on disjoint ranges covering `0..<count`, concurrently
    /// when `work` (about the number of values the loop touches) is at
    /// least ``minimumWork`` and ``ComputeThreads/current`` is above one.
    /// - Complexity: that of `body` over `0..<count`, divided by the chunks.
    public static func run(count: Int, work: Int, _ body: (Range<Int>) -> Void) {
        let chunks = work >= minimumWork ? min(ComputeThreads.current, count) : 1
        guard chunks > 1 else {
            if count > 0 { body(0..<count) }
            return
        }
        withoutActuallyEscaping(body) { body in
            var task = body
            withUnsafeMutablePointer(to: &task) { task in
                nk_parallel_for(Int64(count), Int32(chunks), { context, begin, end in
                    let body = context!.assumingMemoryBound(to: ((Range<Int>) -> Void).self).pointee
                    body(Int(begin)..<Int(end))
                }, task)
            }
        }
    }
}
