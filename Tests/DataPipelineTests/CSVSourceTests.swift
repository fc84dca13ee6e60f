import Foundation
import Testing
import TestSupport
@testable import DataPipeline

@Suite struct CSVSourceTests {

    func listing(_ csv: String, images: [String]) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.write("list.csv", csv)
        for image in images { try directory.write("img/" + image) }
        return directory
    }

    @Test func missingFilesAreDroppedWithOneWarning() throws {
        let csv = "filename,class,w\na.png,dog,1\nmissing.png,cat,2\nb.jpg,cat,3\nnotes.txt,dog,4\nc.png,bird,5\n"
        let directory = try listing(csv, images: ["a.png", "b.jpg", "c.png", "notes.txt"])
        let warnings = LogLines()
        let source = try CSVSource(csvFile: directory.path + "/list.csv", directory: directory.path + "/img",
                                   weightColumn: "w", warn: warnings.append)
        #expect(source.filenames == ["a.png", "b.jpg", "c.png"])
        #expect(source.droppedRowCount == 2)
        #expect(warnings.all.count == 1)
        #expect(warnings.all.first?.contains("found 2 invalid") == true)
        #expect(source.classNames == ["bird", "cat", "dog"])
        #expect(source.classes == [[2], [1], [0]])
        #expect(source.targets == TargetTable(rowShape: [3], values: [0, 0, 1, 0, 1, 0, 1, 0, 0]))
        #expect(source.sampleWeights == [1, 3, 5])
        #expect(source.path(of: 0) == directory.path + "/img/a.png")
    }

    @Test func multiLabelRowsBecomeMultiHot() throws {
        let csv = "filename,tags\na.png,\"cat dog\"\nb.png,dog\nc.png,fish\n"
        let directory = try listing(csv, images: ["a.png", "b.png", "c.png"])
        let source = try CSVSource(csvFile: directory.path + "/list.csv", directory: directory.path + "/img",
                                   labelColumns: ["tags"], classes: ["dog", "cat"], labelSeparator: " ")
        // Keras: rows with none of the given classes are dropped; class order is as given.
        #expect(source.filenames == ["a.png", "b.png"])
        #expect(source.classNames == ["dog", "cat"])
        #expect(source.targets == TargetTable(rowShape: [2], values: [1, 1, 1, 0]))
    }

    @Test func rawColumnsAreNumbersAndSplitCutsRows() throws {
        let csv = "filename,x,y\na.png,1.5,2\nb.png,3,4\nc.png,5,6\nd.png,7,8\n"
        let directory = try listing(csv, images: ["a.png", "b.png", "c.png", "d.png"])
        let path = directory.path + "/list.csv"
        let training = try CSVSource(csvFile: path, directory: directory.path + "/img", labelColumns: ["x", "y"],
                                     classMode: .raw, validationSplit: 0.5, subset: .training)
        #expect(training.filenames == ["c.png", "d.png"])
        #expect(training.targets == TargetTable(rowShape: [2], values: [5, 6, 7, 8]))
        let one = try CSVSource(csvFile: path, directory: directory.path + "/img", labelColumns: ["x"], classMode: .raw)
        #expect(one.targets == TargetTable(rowShape: [], values: [1.5, 3, 5, 7]))
    }

    @Test func malformedListingsAreErrors() throws {
        let directory = try listing("filename,class\na.png,dog\nb.png,cat\nc.png,cow\n", images: ["a.png", "b.png", "c.png"])
        let path = directory.path + "/list.csv"
        let img = directory.path + "/img"
        #expect(throws: DataPipelineError.self) { try CSVSource(csvFile: path, directory: img, labelColumns: ["label"]) }
        #expect(throws: DataPipelineError.self) { try CSVSource(csvFile: path, directory: img, classMode: .binary) }
        #expect(throws: DataPipelineError.self) { try CSVSource(csvFile: path, directory: img, classMode: .raw) }
        #expect(throws: DataPipelineError.self) { try CSVSource(csvFile: directory.path + "/none.csv") }
        try directory.write("bad.csv", "filename,class\n\"a.png,dog\n")
        #expect(throws: DataPipelineError.self) { try CSVSource(csvFile: directory.path + "/bad.csv") }
        try directory.write("short.csv", "filename,class\na.png\n")
        #expect(throws: DataPipelineError.self) { try CSVSource(csvFile: directory.path + "/short.csv") }
    }

    @Test func quotedFieldsFollowRFC4180() throws {
        let table = try CSVTable(parsing: "a,b\r\n\"x, \"\"y\"\"\",\"two\nlines\"\r\n", path: "t")
        #expect(table.header == ["a", "b"])
        #expect(table.rows == [["x, \"y\"", "two\nlines"]])
    }
}
