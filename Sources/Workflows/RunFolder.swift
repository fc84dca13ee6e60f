import Foundation

/// The folder a command writes its results into (`augment train --out`,
/// `augment preview --out`): created when missing, and refused when it is a
/// symbolic link or not a folder, so that nothing is ever written through a
/// link someone left at that path. Folders above it may be links.
enum RunFolder {
    /// Creates `path` (and missing parents) unless it exists as a folder.
    /// - Throws: ``WorkflowError`` when `path` is a symbolic link or another non-folder,
    ///   or cannot be created.
    static func prepare(_ path: String) throws {
        var status = stat()
        if lstat(path, &status) == 0 {
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                return
            case S_IFLNK:
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
                throw WorkflowError("\(path): the output folder is a symbolic link (to \(target)); "
                                    + "give a real folder, so that nothing is written through the link")
            default:
                throw WorkflowError("\(path): the output folder exists and is not a folder")
            }
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw WorkflowError("\(path): cannot create the output folder: \(error.localizedDescription)")
        }
    }
}
