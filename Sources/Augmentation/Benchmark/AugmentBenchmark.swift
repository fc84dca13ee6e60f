import CPUBudget
import Dispatch
import Foundation
import Imaging
import Randomness

/// `augment bench augment`: in-memory UInt8 images → the course recipe
/// (`rotation_range=20, width/height_shift_range=0.2, horizontal_flip, zoom_range=0.2, rescale=1/255`,
/// bilinear) → Float32 batches, on all requested threads and on one thread.
public struct AugmentBenchmark: Sendable {
    public struct Options: Sendable {
        public var images = 10_000
        public var size = 64
        public var sourceSize: Int?
        public var batch = 64
        /// Worker threads (default: the loader's automatic maximum, the CPU budget).
        public var threads = ThreadPlan.automatic.loaderWorkers
        public var runs = 3
        public var mode = GeometryMode.exact

        public init() {}
    }

    /// Medians over the runs.
    public struct Result: Codable, Sendable {
        public var images: Int
        public var size: Int
        public var sourceSize: Int
        public var batch: Int
        public var threads: Int
        public var mode: GeometryMode
        public var runs: Int
        /// Images per second using `threads` workers.
        public var imagesPerSecond: Double
        /// Images per second on one thread.
        public var imagesPerSecondOneThread: Double
        /// Wall-clock nanoseconds per output pixel (all channels) on one thread.
        public var nanosecondsPerOutputPixel: Double
        /// Thread CPU-time nanoseconds per output pixel on one thread: the kernel's cost even
        /// when other processes share the cores.
        public var cpuNanosecondsPerOutputPixel: Double
        /// `1e9 / (cpu ns per image)`: images/s one fully available core would sustain.
        public var cpuBoundImagesPerSecondPerCore: Double
    }

    /// The recipe the issue measures other libraries with.
    public static var recipe: AugmentationConfig {
        var config = AugmentationConfig()
        config.rotationRange = 20
        config.widthShiftRange = .fraction(0.2)
        config.heightShiftRange = .fraction(0.2)
        config.horizontalFlip = true
        config.zoomRange = ZoomRange(0.2)
        config.rescale = 1.0 / 255
        return config
    }

    public let options: Options

    public init(options: Options) throws(AugmentationError) {
        guard options.images > 0, options.size > 0, options.batch > 0, options.threads > 0, options.runs > 0,
              (options.sourceSize ?? 1) > 0 else {
            throw AugmentationError(parameter: "bench options", value: "\(options)", reason: "counts must be positive")
        }
        self.options = options
    }

    public func run() throws -> Result {
        let o = options
        let source = o.sourceSize ?? o.size
        let images = try Self.syntheticImages(count: min(o.images, 256), size: source)
        let augmenter = try Augmenter(config: Self.recipe, outputHeight: o.size, outputWidth: o.size, mode: o.mode)
        let sampler = TransformSampler(config: Self.recipe, seed: 42, mode: o.mode)
        func median(_ threads: Int) -> (wall: Double, cpu: Double) {
            let times = (0..<o.runs).map { run in
                Self.time(images: images, augmenter: augmenter, sampler: sampler, count: o.images,
                          batch: o.batch, threads: threads, epoch: run)
            }
            return (times.map(\.wall).sorted()[times.count / 2], times.map(\.cpu).sorted()[times.count / 2])
        }
        let all = median(o.threads)
        let one = median(1)
        let pixels = Double(o.images * o.size * o.size)
        return Result(images: o.images, size: o.size, sourceSize: source, batch: o.batch, threads: o.threads,
                      mode: o.mode, runs: o.runs,
                      imagesPerSecond: Double(o.images) / all.wall,
                      imagesPerSecondOneThread: Double(o.images) / one.wall,
                      nanosecondsPerOutputPixel: one.wall * 1e9 / pixels,
                      cpuNanosecondsPerOutputPixel: one.cpu * 1e9 / pixels,
                      cpuBoundImagesPerSecondPerCore: Double(o.images) / one.cpu)
    }

    /// Smooth random-ish RGB content (deterministic).
    static func syntheticImages(count: Int, size: Int) throws -> [Image] {
        try (0..<count).map { k in
            var pixels = [UInt8](repeating: 0, count: size * size * 3)
            for i in 0..<size { for j in 0..<size { for c in 0..<3 {
                let v = CounterRandom.mix(UInt64(k * 7919 + (i / 4) * 131 + (j / 4) * 17 + c))
                pixels[(i * size + j) * 3 + c] = UInt8(truncatingIfNeeded: v >> 56)
            } } }
            return try Image(width: size, height: size, channels: 3, pixels: pixels)
        }
    }

    /// This thread's CPU time in seconds.
    static func threadCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Wall seconds and summed worker CPU seconds to render `count` images into batches of
    /// `batch` using `threads` workers, each with its own batch buffer, batches interleaved.
    static func time(images: [Image], augmenter: Augmenter, sampler: TransformSampler, count: Int,
                     batch: Int, threads: Int, epoch: Int) -> (wall: Double, cpu: Double) {
        let batches = (count + batch - 1) / batch
        let perImage = augmenter.outputCount(channels: 3)
        let cpu = WorkerSlots(count: threads)
        defer { cpu.slots.deallocate() }
        let start = DispatchTime.now().uptimeNanoseconds
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            let cpuStart = threadCPUSeconds()
            defer { cpu.slots[worker] = threadCPUSeconds() - cpuStart }
            let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: batch * perImage)
            defer { buffer.deallocate() }
            var b = worker
            while b < batches {
                for slot in 0..<min(batch, count - b * batch) {
                    let index = b * batch + slot
                    let t = sampler.transform(epoch: epoch, index: index, height: augmenter.outputHeight,
                                              width: augmenter.outputWidth)
                    augmenter.render(images[index % images.count], transform: t,
                                     into: UnsafeMutableBufferPointer(rebasing: buffer[(slot * perImage)..<((slot + 1) * perImage)]))
                }
                b += threads
            }
        }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return (wall, cpu.slots.reduce(0, +))
    }
}

/// One Double per worker; each worker writes only its own slot, and the owner reads them after
/// `concurrentPerform` returns, so sharing the buffer is race-free.
private struct WorkerSlots: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<Double>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: 0)
    }
}
