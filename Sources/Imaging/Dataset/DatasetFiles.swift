import Foundation

/// The files below a dataset folder as `augment inspect` and `augment bench decode`
/// walk it: every regular file at any depth (hidden ones too, as Keras lists
/// them), in path order, each with its class folder and whether
/// ``ImageFileFilter`` takes it for an image.
///
/// The class is the first path component below the root, or `"."` for a file
/// directly inside it, so a flat folder of images and a folder of class
/// sub-folders are both walked whole.
public struct DatasetFiles {
    /// One file found.
    public struct Entry: Equatable, Sendable {
        /// The class folder, `"."` for a file directly inside the root.
        public var className: String
        /// The full path.
        public var path: String
        /// Whether the file's name passes the filter.
        public var isImage: Bool
    }

    /// Lists `root`.
    /// - Throws: `ImageError.Kind.io` when `root` cannot be listed.
    public static func list(_ root: String, filter: ImageFileFilter = ImageFileFilter()) throws(ImageError) -> [Entry] {
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(atPath: root) else {
            throw ImageError(.io, path: root, message: "cannot list directory")
        }
        var entries: [Entry] = []
        while let relative = enumerator.nextObject() as? String {
            let full = (root as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let components = relative.split(separator: "/")
            entries.append(Entry(className: components.count > 1 ? String(components[0]) : ".", path: full,
                                 isImage: filter.accepts(String(components.last ?? ""))))
        }
        return entries.sorted { $0.path < $1.path }
    }
}
