/// A finite, indexed collection of samples with their targets: what a
/// `DataLoader` batches. Sources hold metadata only (paths, labels, arrays);
/// turning sample `i` into Floats is the job of a `SampleRenderer`.
public protocol SampleSource: Sendable {
    /// Number of samples.
    var count: Int { get }
    /// What the targets hold.
    var classMode: ClassMode { get }
    /// One target row per sample (unused for `.input` and `.none`).
    var targets: TargetTable { get }
    /// One weight per sample, when the source has them.
    var sampleWeights: [Float]? { get }
}

/// A source whose samples are image files on disk.
public protocol ImageFileSource: SampleSource {
    /// The full path of sample `index`'s file.
    func path(of index: Int) -> String
}
