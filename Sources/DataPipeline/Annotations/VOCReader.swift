import Augmentation
import Foundation

/// Reads a folder of Pascal VOC XML files (`Annotations/*.xml`) into an ``AnnotationSet``.
///
/// Each file gives its image (`filename`, resolved against `imageDirectory`), its size
/// and its objects; boxes are VOC's `xyxy` pixels as written (albumentations'
/// `pascal_voc`), labels the index of `name` in the class list. With `classNames` given
/// (VOC's 20 classes, say) an unknown name is a bad record; without, the list is every
/// name found, sorted. Objects marked `difficult` are kept unless `skipDifficult`.
///
/// A bad record (missing field, box outside the image, unknown class) marks its image
/// with an ``AnnotationError`` naming the file and the object; a file that is not XML
/// does the same for its image, so the loader's bad-file policy decides.
public struct VOCReader: Sendable {
    public var classNames: [String]?
    public var skipDifficult: Bool

    public init(classNames: [String]? = nil, skipDifficult: Bool = false) {
        self.classNames = classNames
        self.skipDifficult = skipDifficult
    }

    /// - Throws: ``AnnotationError`` `.malformedFile` when the folder cannot be listed.
    public func read(_ directory: String, imageDirectory: String) throws(AnnotationError) -> AnnotationSet {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.lowercased().hasSuffix(".xml") }.sorted()
        } catch {
            throw AnnotationError(.malformedFile, path: directory, message: "cannot list the folder: \(error.localizedDescription)")
        }
        let parsed = names.map { name in
            let path = directory + "/" + name
            let tree = Result { () throws(AnnotationError) in try document(path) }
            let imageName = (try? tree.get())?.child("filename")?.text
            return (path, imageName, tree.flatMap { tree in Result { () throws(AnnotationError) in try parse(tree, path: path) } })
        }
        let classes = classNames ?? Set(parsed.flatMap { (try? $0.2.get())?.objects.map(\.name) ?? [] }).sorted()
        let index = Dictionary(classes.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let images = parsed.map { path, imageName, file in
            // An unreadable file names no image: its own name stands in, without extension.
            let name = imageName ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            return AnnotatedImage(imagePath: imageDirectory + "/" + name, targets: Result { () throws(AnnotationError) in
                try targets(of: file.get(), labels: index, path: path)
            })
        }
        return AnnotationSet(images: images, classNames: classes)
    }

    struct Object {
        var name: String
        var difficult: Bool
        var box: [Double]
    }

    struct File {
        var filename: String
        var width: Int
        var height: Int
        var objects: [Object]
    }

    private func document(_ path: String) throws(AnnotationError) -> XMLTree {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AnnotationError(.malformedFile, path: path, message: "cannot read the file")
        }
        switch XMLTree.parse(data) {
        case .success(let tree): return tree
        case .failure(let failure): throw AnnotationError(.malformedFile, path: path, message: failure.message)
        }
    }

    private func parse(_ root: XMLTree, path: String) throws(AnnotationError) -> File {
        guard root.name == "annotation", let filename = root.child("filename")?.text, !filename.isEmpty,
              let width = root.child("size")?.child("width").flatMap({ Int($0.text) }),
              let height = root.child("size")?.child("height").flatMap({ Int($0.text) }), width > 0, height > 0 else {
            throw AnnotationError(.malformedFile, path: path,
                                  message: "needs <annotation> with <filename> and a positive <size><width>/<height>")
        }
        var objects = [Object]()
        for (number, object) in root.all("object").enumerated() {
            let record = "object \(number + 1)"
            let box = ["xmin", "ymin", "xmax", "ymax"].compactMap { object.child("bndbox")?.child($0).flatMap { Double($0.text) } }
            guard let name = object.child("name")?.text, !name.isEmpty, box.count == 4 else {
                throw AnnotationError(.malformedFile, path: path, record: record,
                                      message: "needs <name> and <bndbox> with numeric xmin, ymin, xmax, ymax")
            }
            guard box[0] >= 0, box[1] >= 0, box[0] < box[2], box[1] < box[3],
                  box[2] <= Double(width), box[3] <= Double(height) else {
                throw AnnotationError(.boxOutsideImage, path: path, record: record,
                                      message: "box \(box) of '\(name)' does not fit in the \(width)x\(height) image")
            }
            objects.append(Object(name: name, difficult: object.child("difficult")?.text == "1", box: box))
        }
        return File(filename: filename, width: width, height: height, objects: objects)
    }

    private func targets(of file: File, labels: [String: Int], path: String) throws(AnnotationError) -> SampleTargets {
        var coordinates = [Double](), boxLabels = [Int]()
        for (number, object) in file.objects.enumerated() where !(skipDifficult && object.difficult) {
            guard let label = labels[object.name] else {
                throw AnnotationError(.unknownCategory, path: path, record: "object \(number + 1)",
                                      message: "class '\(object.name)' is not in the class list")
            }
            coordinates.append(contentsOf: object.box)
            boxLabels.append(label)
        }
        do {
            return SampleTargets(boxes: try BoundingBoxes(format: .xyxy, coordinates: coordinates, labels: boxLabels))
        } catch {
            throw AnnotationError(.malformedFile, path: path, message: "\(error)")
        }
    }
}
