import Augmentation
import Imaging

/// What `augment preview` renders and where it writes it.
public struct PreviewOptions: Sendable {
    /// Image files to preview; empty means the first image of each class of the pipeline's data.
    public var inputs: [String]
    /// Augmented variants per input.
    public var count: Int
    /// Folder for the variants and the contact sheet (created if missing).
    public var outputDirectory: String
    /// Overrides the pipeline's seed.
    public var seed: UInt64?
    /// File format of the variants (the contact sheet is always PNG).
    public var format: EncodeFormat
    /// Overrides the pipeline's geometry mode.
    public var mode: GeometryMode?
    /// Render every input twice, `.exact` and `.keras` rows with the same draws.
    public var compareModes: Bool
    /// Also write `transforms.jsonl` (`TransformLogLine`), one line per variant.
    public var logTransforms: Bool
    /// Also write each variant's moved targets in the annotation source's format.
    public var saveAnnotations: Bool

    public init(inputs: [String] = [], count: Int = 8, outputDirectory: String = "preview", seed: UInt64? = nil,
                format: EncodeFormat = .png(), mode: GeometryMode? = nil, compareModes: Bool = false,
                logTransforms: Bool = false, saveAnnotations: Bool = false) {
        self.logTransforms = logTransforms
        self.saveAnnotations = saveAnnotations
        self.inputs = inputs
        self.count = count
        self.outputDirectory = outputDirectory
        self.seed = seed
        self.format = format
        self.mode = mode
        self.compareModes = compareModes
    }
}

/// What a preview wrote.
public struct PreviewReport: Sendable {
    /// Every augmented variant written, in input order.
    public var variantFiles: [String] = []
    /// The contact sheet PNG.
    public var contactSheet: String = ""
    /// Its pixel size.
    public var contactSheetSize: (width: Int, height: Int) = (0, 0)
    /// `transforms.jsonl`, when asked for.
    public var transformLog: String?
    /// Annotation files written with `saveAnnotations`.
    public var annotationFiles: [String] = []
    /// Inputs that could not be decoded, with why; they get no row.
    public var unreadable: [(path: String, error: ImageError)] = []
}
