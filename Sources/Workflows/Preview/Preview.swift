import Augmentation
import DataPipeline
import Foundation
import Imaging

/// Renders augmented variants of a few images through the loader's own render
/// function (`ImageFileRenderer.render(path:index:epoch:into:)`: same draws for
/// the output size, same decode, same kernel) and lays them out on a contact sheet.
///
/// Variants are written for people to look at: rescale and standardisation
/// (an op recipe's `normalize`) are left out so the pixels stay in 0…255; every
/// geometric and colour transform is applied. With `logTransforms` the drawn
/// transforms go to `transforms.jsonl` (`TransformLogLine`). Variant `k` of an input is that sample as the loader
/// renders it in epoch `k`: the sample index is the input's index in the
/// pipeline's training data when it is one of its files, else its position
/// among the inputs.
///
/// With `data.annotations`, an input that is one of the annotated images has its targets
/// moved by the same draw and drawn on its tiles (`TargetOverlay`: translucent mask,
/// labelled boxes, keypoints); with `saveAnnotations` they are also written beside the
/// variants in the source's format (`AnnotationWriter`).
///
/// ```swift
/// let report = try Preview(pipeline: file, options: PreviewOptions(inputs: ["cat.jpg"], count: 4)).run()
/// print(report.contactSheet)
/// ```
public struct Preview: Sendable {
    public let pipeline: PipelineFile
    public let options: PreviewOptions

    public init(pipeline: PipelineFile, options: PreviewOptions) {
        self.pipeline = pipeline
        self.options = options
    }

    /// Renders every input and writes the variants and `contact_sheet.png`.
    /// - Throws: ``WorkflowError`` when the output folder cannot be written or
    ///   no input could be read; a single unreadable input is reported, not thrown.
    public func run(inputs: [String]) throws -> PreviewReport {
        guard options.count >= 1 else { throw WorkflowError("--count must be at least 1, got \(options.count)") }
        try RunFolder.prepare(options.outputDirectory)
        let height = pipeline.data.targetSize[0], width = pipeline.data.targetSize[1]
        let config = pipeline.augmentation.config.withoutStandardization
        let seed = options.seed ?? pipeline.data.seed
        let modes: [GeometryMode] = pipeline.augmentation.ops != nil ? [.exact] : options.compareModes ? [.exact, .keras]
            : [options.mode ?? pipeline.augmentation.geometry]
        let colorMode = ColorMode(rawValue: pipeline.data.colorMode) ?? .rgb

        let files = PathListSource(paths: inputs)
        var renderers = if let ops = pipeline.augmentation.ops {
            [try ImageFileRenderer(source: files, recipe: OpRecipe(ops: ops, outputHeight: height, outputWidth: width,
                                                                   seed: seed).withoutNormalization,
                                   colorMode: colorMode)]
        } else {
            try modes.map { mode in
                try ImageFileRenderer(source: files, config: config, height: height, width: width, colorMode: colorMode,
                                      keepAspectRatio: pipeline.data.keepAspectRatio, seed: seed, mode: mode)
            }
        }
        let (training, trainingIndex) = trainingIndices()
        let annotated = training as? AnnotatedImageSource
        let targetsSection = pipeline.augmentation.targets ?? TargetsSection()
        for i in renderers.indices { renderers[i].targetOptions = targetsSection.options }
        var writer = options.saveAnnotations ? annotated.map {
            AnnotationWriter(format: $0.format, classNames: $0.classNames, directory: options.outputDirectory)
        } : nil
        let ignoreIndex = UInt16(targetsSection.ignoreIndex)
        var report = PreviewReport()
        var log: [TransformLogLine] = []
        var rows: [ContactSheet.Row] = []
        for (row, path) in inputs.enumerated() {
            let original: Image
            do {
                original = try Image.decode(contentsOf: path, options: DecodeOptions(minimumSize: (width, height)))
                    .converted(to: colorMode).resized(width: width, height: height, interpolation: .box)
            } catch {
                report.unreadable.append((path, error))
                continue
            }
            let index = trainingIndex[path] ?? row
            let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            let targets = try trainingIndex[path].flatMap { try annotated?.annotations(of: $0) }
            let names = annotated?.classNames ?? []
            for (mode, renderer) in zip(modes, renderers) {
                var tiles = [original]
                if let targets {
                    let size = try ImageInfo.probe(contentsOf: path).orientedSize
                    let stretched = try renderer.targetOptions.apply(
                        TargetOverlay.stretch(width: size.width, height: size.height, toWidth: width, height: height), to: targets)
                    tiles[0] = TargetOverlay.draw(stretched, on: original, classNames: names, ignoreIndex: ignoreIndex)
                }
                for k in 0..<options.count {
                    var values = [Float](repeating: 0, count: renderer.sampleShape.reduce(1, *))
                    let rendered = try values.withUnsafeMutableBufferPointer {
                        try renderer.render(path: path, index: index, epoch: k, targets: targets, into: $0)
                    }
                    let drawn = rendered.transform
                    let variant = try Self.image(from: values, width: width, height: height, channels: original.channels)
                    let suffix = modes.count > 1 ? "_\(mode.rawValue)" : ""
                    let format = options.format.accepting(channels: variant.channels)
                    let file = "\(options.outputDirectory)/\(stem)\(suffix)_\(k).\(format.fileExtension)"
                    try variant.write(to: file, as: format)
                    report.variantFiles.append(file)
                    if options.logTransforms {
                        log.append(TransformLogLine(source: path, file: file, epoch: k, index: index,
                                                    renderer: renderer, drawn: drawn))
                    }
                    if let moved = rendered.targets {
                        report.annotationFiles += try writer?.add(moved, imageFile: file, width: width, height: height) ?? []
                        tiles.append(TargetOverlay.draw(moved, on: variant, classNames: names, ignoreIndex: ignoreIndex))
                    } else {
                        tiles.append(variant)
                    }
                }
                let label = modes.count > 1 ? "\(URL(fileURLWithPath: path).lastPathComponent) (\(mode.rawValue))"
                    : URL(fileURLWithPath: path).lastPathComponent
                rows.append(ContactSheet.Row(label: label, tiles: tiles))
            }
        }
        guard !rows.isEmpty else {
            let reasons = report.unreadable.map { "\($0.error)" }.joined(separator: "; ")
            throw WorkflowError("no input could be read: \(reasons.isEmpty ? "no inputs given" : reasons)")
        }
        report.annotationFiles += try writer?.finish() ?? []
        if options.logTransforms {
            report.transformLog = "\(options.outputDirectory)/transforms.jsonl"
            try TransformLogLine.write(log, to: report.transformLog!)
        }
        let sheet = ContactSheet(rows: rows).render()
        report.contactSheet = "\(options.outputDirectory)/contact_sheet.png"
        report.contactSheetSize = (sheet.width, sheet.height)
        try sheet.write(to: report.contactSheet, as: .png())
        return report
    }

    /// Each file of the pipeline's training data with its sample index (empty when the data
    /// cannot be listed, e.g. a preview of loose files with a pipeline whose folder is elsewhere).
    func trainingIndices() -> (source: (any ImageFileSource)?, indices: [String: Int]) {
        let data = pipeline.data
        let split = data.validationSplit > 0 ? data.validationSplit : pipeline.augmentation.config.validationSplit
        let ignoreIndex = UInt16(pipeline.augmentation.targets?.ignoreIndex ?? Int(SegmentationMask.defaultIgnoreIndex))
        guard let training = try? TrainingSources(data: data, split: split, ignoreIndex: ignoreIndex).training else { return (nil, [:]) }
        var indices: [String: Int] = [:]
        for index in 0..<training.count { indices[training.path(of: index)] = index }
        return (training, indices)
    }

    /// Rounds and clamps 0…255 Floats (HWC) into an 8-bit image.
    static func image(from values: [Float], width: Int, height: Int, channels: Int) throws -> Image {
        let pixels = values.map { UInt8(max(0, min(255, $0.rounded()))) }
        return try Image(width: width, height: height, channels: channels, pixels: pixels)
    }
}

extension EncodeFormat {
    /// `png` or `jpg`.
    var fileExtension: String {
        if case .jpeg = self { return "jpg" }
        return "png"
    }

    /// PNG for images JPEG cannot hold (2 or 4 channels), otherwise `self`.
    func accepting(channels: Int) -> EncodeFormat {
        if case .jpeg = self, channels == 2 || channels == 4 { return .png() }
        return self
    }
}
