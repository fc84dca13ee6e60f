import Augmentation
import DataPipeline
import Foundation

/// The training and validation subsets a `data` section names: a folder of
/// class sub-folders (`directory`, Keras's `flow_from_directory`) or a CSV
/// listing (`csv`, Keras's `flow_from_dataframe`), split per Keras's rules.
struct TrainingSources {
    let training: any ImageFileSource
    let validation: (any ImageFileSource)?
    let classNames: [String]
    /// Up to six training files, the first of each class when classes are known.
    let sampleFiles: [String]

    init(data: DataSection, split: Double, ignoreIndex: UInt16 = SegmentationMask.defaultIgnoreIndex) throws {
        guard data.directory != nil || data.csv != nil else {
            throw WorkflowError("data: training needs 'directory' or 'csv' (a pipeline file without either serves augment predict only)")
        }
        let subset: Subset? = split > 0 ? .training : nil
        if let annotations = data.annotations, let directory = data.directory {
            guard data.validationDirectory == nil else {
                throw WorkflowError("data.validation_directory: not available with data.annotations (the annotation file covers one folder); use data.validation_split")
            }
            let sources = try AnnotatedData.sources(annotations, task: data.task, images: directory, classes: data.classes,
                                                    split: split, ignoreIndex: ignoreIndex)
            training = sources.training
            validation = sources.validation
            classNames = sources.training.classNames
            sampleFiles = (0..<min(6, sources.training.count)).map(sources.training.path(of:))
        } else if let directory = data.directory {
            let training = try ImageFolder(directory: directory, classes: data.classes, classMode: data.targetClassMode,
                                           validationSplit: split, subset: subset, followLinks: data.followLinks)
            if let folder = data.validationDirectory {
                validation = try ImageFolder(directory: folder, classes: training.classNames, classMode: data.targetClassMode,
                                             followLinks: data.followLinks)
            } else {
                validation = split > 0
                    ? try ImageFolder(directory: directory, classes: data.classes, classMode: data.targetClassMode,
                                      validationSplit: split, subset: .validation, followLinks: data.followLinks)
                    : nil
            }
            classNames = training.classNames
            sampleFiles = RunArtifacts.firstOfEachClass(training, limit: 6)
            self.training = training
        } else {
            let csv = data.csv ?? ""
            // File names are relative to csv_directory, by default the CSV's own folder.
            let folder = data.csvDirectory ?? URL(fileURLWithPath: csv).deletingLastPathComponent().path
            func listing(_ subset: Subset?) throws -> CSVSource {
                try CSVSource(csvFile: csv, directory: folder, filenameColumn: data.xColumn,
                              labelColumns: data.yColumns, classMode: data.targetClassMode, classes: data.classes,
                              validationSplit: split, subset: subset, allowOutsidePaths: data.allowOutsidePaths)
            }
            let training = try listing(subset)
            if let folder = data.validationDirectory {
                validation = try ImageFolder(directory: folder, classes: training.classNames, classMode: data.targetClassMode,
                                             followLinks: data.followLinks)
            } else {
                validation = split > 0 ? try listing(.validation) : nil
            }
            classNames = training.classNames
            sampleFiles = (0..<min(6, training.count)).map(training.path(of:))
            self.training = training
        }
    }
}
