import Foundation
import Imaging

/// The image files directly in a folder (`ImageFileFilter`), sorted by name, keyed by
/// their name without extension: how YOLO label files and mask files find their image.
enum ImageStems {
    static func list(_ directory: String, filter: ImageFileFilter = ImageFileFilter()) throws(AnnotationError) -> [(stem: String, name: String)] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { filter.accepts($0) }.sorted()
                .map { (($0 as NSString).deletingPathExtension, $0) }
        } catch {
            throw AnnotationError(.malformedFile, path: directory, message: "cannot list the folder: \(error.localizedDescription)")
        }
    }
}
