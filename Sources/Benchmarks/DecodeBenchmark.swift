import Dispatch
import Foundation
import Synchronization
import Imaging

/// Decode throughput over a folder of images, the files read into memory
/// first so only decoding is timed. Run it from a release build
/// (`swift run -c release augment bench decode DIR`).
///
/// ```swift
/// let bench = try DecodeBenchmark(directory: "/tmp/bench-jpegs")
/// let result = bench.measure(threads: 2, minimumSize: (224, 224), repeats: 3)
/// print(result.imagesPerSecond)
/// ```
public struct DecodeBenchmark: Sendable {
    /// One configuration's outcome; `seconds` is the median of the runs.
    public struct Measurement: Sendable, Codable, Equatable {
        public var threads: Int
        /// The requested minimum size for DCT scaling, or nil for full size.
        public var scaledTo: Int?
        public var images: Int
        /// Decoded (output) megapixels per run.
        public var megapixels: Double
        /// Wall-clock seconds of each run.
        public var runSeconds: [Double]
        /// Median wall-clock seconds.
        public var seconds: Double
        /// Median process CPU seconds (all threads): robust to other load on the machine.
        public var cpuSeconds: Double
        public var imagesPerSecond: Double { Double(images) / seconds }
        public var megapixelsPerSecond: Double { megapixels / seconds }
        /// Images decoded per CPU-second.
        public var imagesPerCPUSecond: Double { Double(images) / cpuSeconds }
    }

    /// File contents, in name order.
    public let files: [[UInt8]]
    /// Paths of the files relative to the folder, for error messages.
    public let names: [String]

    /// Reads every image file (by ``ImageFileFilter``, the loader's list) below
    /// `directory`: a flat folder or a folder of class sub-folders, in path order.
    /// - Throws: `ImageError.Kind.io` when the folder cannot be listed, a file
    ///   cannot be read, or no file has an image name.
    public init(directory: String) throws(ImageError) {
        var files: [[UInt8]] = [], names: [String] = []
        for entry in try DatasetFiles.list(directory) where entry.isImage {
            files.append(try FileBytes.read(entry.path))
            names.append(String(entry.path.dropFirst(directory.count).drop { $0 == "/" }))
        }
        guard !files.isEmpty else {
            throw ImageError(.io, path: directory, message: "no image files in the folder or its class sub-folders "
                             + "(names ending in \(ImageFileFilter.defaultExtensions.joined(separator: ", ")))")
        }
        self.files = files
        self.names = names
    }

    /// Decodes every file once per run on `threads` workers (each a strided
    /// share of the files, through `DispatchQueue.concurrentPerform`).
    /// - Throws: the first decode error, so a broken set is not timed silently.
    public func measure(threads: Int, scaledTo: Int?, repeats: Int) throws(ImageError) -> Measurement {
        var options = DecodeOptions()
        if let scaledTo { options.minimumSize = (scaledTo, scaledTo) }
        _ = try run(threads: threads, options: options, limit: min(files.count, 64)) // warm-up
        var runs: [Double] = [], cpuRuns: [Double] = []
        var pixels = 0
        for _ in 0..<max(repeats, 1) {
            let start = ContinuousClock.now, cpuStart = Self.processCPUSeconds()
            pixels = try run(threads: threads, options: options, limit: files.count)
            let elapsed = ContinuousClock.now - start
            cpuRuns.append(Self.processCPUSeconds() - cpuStart)
            runs.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        return Measurement(threads: threads, scaledTo: scaledTo, images: files.count,
                           megapixels: Double(pixels) / 1e6, runSeconds: runs,
                           seconds: runs.sorted()[runs.count / 2], cpuSeconds: cpuRuns.sorted()[cpuRuns.count / 2])
    }

    private static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    /// Decodes the first `limit` files; returns the decoded pixel count.
    private func run(threads: Int, options: DecodeOptions, limit: Int) throws(ImageError) -> Int {
        let workers = max(1, min(threads, limit))
        let outcomes = Mutex<[Result<Int, ImageError>?]>(Array(repeating: nil, count: workers))
        let files = self.files, names = self.names
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var pixels = 0
            for index in stride(from: worker, to: limit, by: workers) {
                do throws(ImageError) {
                    let image = try Image.decode(files[index], options: options)
                    pixels += image.width * image.height
                } catch {
                    let failure = ImageError(error.kind, path: names[index], format: error.format, message: error.message)
                    outcomes.withLock { $0[worker] = .failure(failure) }
                    return
                }
            }
            outcomes.withLock { $0[worker] = .success(pixels) }
        }
        var total = 0
        for outcome in outcomes.withLock({ $0 }) { total += try outcome!.get() }
        return total
    }
}
