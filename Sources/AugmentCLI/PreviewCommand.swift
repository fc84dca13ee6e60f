import ArgumentParser
import Augmentation
import Imaging
import Workflows

/// `augment preview PIPELINE`: augmented variants and a contact sheet.
struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Write augmented variants of some images and one contact sheet PNG.",
        discussion: """
            Each contact-sheet row is one input: the original, then its variants. Variants skip \
            rescale and standardisation so they can be looked at.
            Example: augment preview pipelines/seed-recipe.yaml --count 6 --out preview
            """)

    @Argument(help: "The pipeline file (YAML).")
    var pipeline: String

    @Option(name: .customLong("input"), help: "An image or folder to preview (repeatable; default: the pipeline's data).")
    var inputs: [String] = []

    @Option(help: "Variants per input.")
    var count = 8

    @Option(name: .customLong("out"), help: "Output folder.")
    var outputDirectory = "preview"

    @Option(help: "Seed of the transforms (default: the pipeline's).")
    var seed: UInt64?

    @Option(help: "Format of the variants: png or jpeg.")
    var format = "png"

    @Option(help: "Geometry: exact or keras (default: the pipeline's).")
    var mode: String?

    @Flag(help: "Render each input in both geometry modes, one row each, with the same draws.")
    var compareModes = false

    @Flag(help: "Also write transforms.jsonl: per variant the source, the file and every op with its drawn parameters (torchvision.transforms.v2.functional units for ops recipes).")
    var logTransforms = false

    @Flag(help: "With data.annotations: also write each variant's moved targets in the source's format (COCO annotations.json, VOC .xml, YOLO .txt, mask PNGs) beside the variants.")
    var saveAnnotations = false

    func run() throws {
        let file = try PipelineFileLoader.load(path: pipeline)
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        let encode: EncodeFormat
        switch format {
        case "png": encode = .png()
        case "jpeg", "jpg": encode = .jpeg(quality: 95)
        default: throw ValidationError("--format must be png or jpeg, got '\(format)'")
        }
        var geometry: GeometryMode?
        if let mode {
            guard let parsed = GeometryMode(rawValue: mode) else {
                throw ValidationError("--mode must be exact or keras, got '\(mode)'")
            }
            geometry = parsed
        }
        let options = PreviewOptions(count: count, outputDirectory: outputDirectory, seed: seed, format: encode,
                                     mode: geometry, compareModes: compareModes, logTransforms: logTransforms,
                                     saveAnnotations: saveAnnotations)
        let report = try Preview(pipeline: file, options: options).run(inputs: PreviewInputs.resolve(inputs, pipeline: file))
        print("wrote \(report.variantFiles.count) variants to \(outputDirectory)/")
        print("wrote contact sheet \(report.contactSheet) (\(report.contactSheetSize.width)x\(report.contactSheetSize.height))")
        if let log = report.transformLog { print("wrote \(log)") }
        if saveAnnotations { print("wrote \(report.annotationFiles.count) annotation files") }
        for (path, error) in report.unreadable { print("unreadable: \(path): \(error)") }
        if !report.unreadable.isEmpty { throw ExitCode(1) }
    }
}
