import CPUBudget
import DataPipeline
import Imaging

/// The `data` section of a pipeline file: where the images come from and how
/// they are batched. Keys follow Keras's `flow_from_directory` names.
///
/// ```yaml
/// data:
///   directory: ../samples/digits/train
///   target_size: [28, 28]
///   color_mode: grayscale
///   batch_size: 32
///   validation_split: 0.2
///   seed: 1
/// ```
///
/// A separate validation folder (most downloaded data sets come as `train/`
/// and `val/`) is `validation_directory`, instead of `validation_split`. A
/// pipeline file used only by `augment predict` needs neither `directory`
/// nor `csv`: `target_size` and `color_mode` say what the model takes.
public struct DataSection: Codable, Sendable, Equatable {
    /// A folder of class sub-folders (Keras's `flow_from_directory`).
    public var directory: String?
    /// A CSV listing (Keras's `flow_from_dataframe`); exclusive with `directory`.
    public var csv: String?
    /// Folder the CSV's file names are relative to (default: the CSV's folder).
    public var csvDirectory: String?
    /// CSV column holding file names.
    public var xColumn: String
    /// CSV column(s) holding labels or targets.
    public var yColumns: [String]
    /// Output height and width.
    public var targetSize: [Int]
    /// `grayscale`, `rgb` (default) or `rgba`.
    public var colorMode: String
    /// Keras's `class_mode`: `categorical` (default), `binary`, `sparse`, `raw`, `input` or `none`.
    public var classMode: String
    /// Explicit class list and order (default: sorted sub-folder names).
    public var classes: [String]?
    public var batchSize: Int
    public var shuffle: Bool
    public var seed: UInt64
    public var validationSplit: Double
    /// A folder of class sub-folders used for validation (exclusive with `validation_split`).
    public var validationDirectory: String?
    public var keepAspectRatio: Bool
    public var followLinks: Bool
    public var dropRemainder: Bool
    /// Loader workers: a number, or `auto` (the default: the CPU budget; see `ThreadPlan`).
    public var workers: ThreadCount?
    /// Batches decoded ahead of the consumer.
    public var prefetch: Int
    /// `fail` (default) or `skip` unreadable images.
    public var badFiles: String
    /// Whether a CSV listing may name files outside its folder (`../x.png`, `/data/x.png`);
    /// default `false`: such a row is an error naming the CSV and the record.
    public var allowOutsidePaths: Bool
    /// `classification` (default), `detection`, `segmentation`, `instance_segmentation` or `keypoints`.
    public var task: DataTask
    /// Where the targets of a non-classification task come from.
    public var annotations: AnnotationsSpec?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case directory, csv
        case csvDirectory = "csv_directory"
        case xColumn = "x_col", yColumns = "y_col"
        case targetSize = "target_size", colorMode = "color_mode", classMode = "class_mode", classes
        case batchSize = "batch_size", shuffle, seed
        case validationSplit = "validation_split", validationDirectory = "validation_directory"
        case keepAspectRatio = "keep_aspect_ratio", followLinks = "follow_links"
        case dropRemainder = "drop_remainder", workers, prefetch
        case badFiles = "bad_files"
        case allowOutsidePaths = "allow_outside_paths"
        case task, annotations
    }
}

extension DataSection {
    static let colorModes = ["grayscale", "rgb", "rgba"]
    static let classModes = ClassMode.allCases.map(\.rawValue)
    static let badFilePolicies = ["fail", "skip"]
    /// More loader workers than this cannot run at once on any machine the loader is meant for.
    static let maximumWorkers = 1024

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        directory = try c.decodeIfPresent(String.self, forKey: .directory)
        csv = try c.decodeIfPresent(String.self, forKey: .csv)
        try c.check(directory == nil || csv == nil, .csv, "give one of 'directory' and 'csv', not both")
        csvDirectory = try c.decodeIfPresent(String.self, forKey: .csvDirectory)
        xColumn = try c.value(.xColumn, default: "filename")
        if let single = try? c.decodeIfPresent(String.self, forKey: .yColumns) {
            yColumns = [single]
        } else {
            yColumns = try c.value(.yColumns, default: ["class"])
        }
        targetSize = try c.value(.targetSize, default: [256, 256])
        try c.check(targetSize.count == 2 && targetSize.allSatisfy { (1...16_384).contains($0) }, .targetSize,
                    "expected [height, width] with each in 1...16384, got \(targetSize)")
        colorMode = try c.word(.colorMode, in: Self.colorModes, default: "rgb")
        classMode = try c.word(.classMode, in: Self.classModes, default: "categorical")
        classes = try c.decodeIfPresent([String].self, forKey: .classes)
        batchSize = try c.value(.batchSize, default: 32)
        try c.check(batchSize >= 1, .batchSize, "must be at least 1, got \(batchSize)")
        shuffle = try c.value(.shuffle, default: true)
        seed = try c.value(.seed, default: 0)
        validationSplit = try c.value(.validationSplit, default: 0)
        try c.check(validationSplit >= 0 && validationSplit < 1, .validationSplit,
                    "must be in [0, 1), got \(validationSplit)")
        validationDirectory = try c.decodeIfPresent(String.self, forKey: .validationDirectory)
        try c.check(validationDirectory == nil || validationSplit == 0, .validationDirectory,
                    "give 'validation_directory' or 'validation_split', not both")
        keepAspectRatio = try c.value(.keepAspectRatio, default: false)
        followLinks = try c.value(.followLinks, default: false)
        dropRemainder = try c.value(.dropRemainder, default: false)
        workers = try c.decodeIfPresent(ThreadCount.self, forKey: .workers)
        if case .fixed(let count) = workers {
            try c.check(count <= Self.maximumWorkers, .workers, "must be at most \(Self.maximumWorkers), got \(count)")
        }
        prefetch = try c.value(.prefetch, default: 2)
        try c.check(prefetch >= 1, .prefetch, "must be at least 1, got \(prefetch)")
        badFiles = try c.word(.badFiles, in: Self.badFilePolicies, default: "fail")
        allowOutsidePaths = try c.value(.allowOutsidePaths, default: false)
        let taskWord = try c.word(.task, in: DataTask.allCases.map(\.rawValue), default: "classification")
        task = DataTask(rawValue: taskWord) ?? .classification
        annotations = try c.decodeIfPresent(AnnotationsSpec.self, forKey: .annotations)
        try checkTask(c)
    }
}

extension DataSection {
    /// The typed colour mode.
    public var imageColorMode: ColorMode { ColorMode(rawValue: colorMode) ?? .rgb }
    /// The typed class mode.
    public var targetClassMode: ClassMode { ClassMode(rawValue: classMode) ?? .categorical }
    /// The typed bad-file policy.
    public var badFilePolicy: BadFilePolicy { BadFilePolicy(rawValue: badFiles) ?? .fail }
    /// Target height and width.
    public var height: Int { targetSize[0] }
    public var width: Int { targetSize[1] }
}

extension DataSection {
    /// A task other than classification reads `annotations` of a format that holds its
    /// targets, beside a `directory` of images; classification reads none.
    private func checkTask(_ c: KeyedDecodingContainer<CodingKeys>) throws {
        guard task != .classification else {
            try c.check(annotations == nil, .annotations, "annotations need a task: detection, segmentation or keypoints")
            return
        }
        try c.check(annotations != nil, .task, "\(task.rawValue) needs data.annotations (coco, voc, yolo or masks)")
        try c.check(directory != nil, .csv, "\(task.rawValue) reads its images from data.directory, not a CSV listing")
        if let annotations {
            try c.check(task.formats.contains(annotations.format), .annotations,
                        "\(annotations.format.rawValue) holds no \(task.rawValue) targets (use \(task.formats.map(\.rawValue).joined(separator: " or ")))")
            try c.check(annotations.format != .yolo || classes != nil, .annotations,
                        "YOLO label files number their classes: list the names in data.classes")
        }
    }
}
