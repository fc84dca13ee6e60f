#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Lists the files under a directory the way Keras's `_iter_valid_files` does:
/// `os.walk` sorted by directory path, names sorted within each directory.
///
/// - Directories come in **full-path string order** (`a` < `a b` < `a-1` < `a/b`),
///   compared by Unicode scalar as Python compares strings; not depth-first.
/// - An entry is a directory when `stat` (following links) says so; every
///   other entry (regular files, links to files, dangling links) is a file.
/// - Links to directories are entered only with `followLinks`. A link that
///   leads back to a directory already on the current path (a loop) is not
///   entered again, so a looped tree terminates; Python would recurse until
///   the path grows too long.
struct DirectoryWalker {
    /// A file found: the directory holding it and its name.
    struct Entry: Equatable {
        var directory: String
        var name: String
        var path: String { directory + "/" + name }
    }

    var followLinks: Bool

    /// Every file under `root`, in Keras's order.
    /// - Throws: `DataPipelineError.io` when a directory cannot be listed.
    func files(under root: String) throws(DataPipelineError) -> [Entry] {
        var listings: [(directory: String, files: [String])] = []
        var ancestors: [FileIdentity] = []
        try walk(root, ancestors: &ancestors, into: &listings)
        listings.sort { Self.precedes($0.directory, $1.directory) }
        return listings.flatMap { listing in
            listing.files.map { Entry(directory: listing.directory, name: $0) }
        }
    }

    /// Python's string order: lexicographic by Unicode scalar value.
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }

    private func walk(_ directory: String, ancestors: inout [FileIdentity],
                      into listings: inout [(directory: String, files: [String])]) throws(DataPipelineError) {
        guard let identity = FileIdentity(path: directory, followingLinks: true) else {
            throw DataPipelineError(.io, path: directory, message: "cannot stat directory")
        }
        if ancestors.contains(identity) { return }
        let names = try Self.names(in: directory)
        var files: [String] = []
        var subdirectories: [String] = []
        for name in names {
            let path = directory + "/" + name
            if Self.isDirectory(path) {
                if followLinks || !Self.isSymbolicLink(path) { subdirectories.append(path) }
            } else {
                files.append(name)
            }
        }
        files.sort(by: Self.precedes)
        listings.append((directory, files))
        ancestors.append(identity)
        for subdirectory in subdirectories {
            try walk(subdirectory, ancestors: &ancestors, into: &listings)
        }
        ancestors.removeLast()
    }

    /// The entry names of `directory`, unsorted.
    /// - Throws: `DataPipelineError.io` naming the directory when it cannot be listed.
    static func names(in directory: String) throws(DataPipelineError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw DataPipelineError(.io, path: directory,
                                    message: "cannot list directory: \(error.localizedDescription)")
        }
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }
}

/// A file's (device, inode) pair: equal for two paths reaching the same file.
struct FileIdentity: Equatable {
    var device: UInt64
    var inode: UInt64

    init?(path: String, followingLinks: Bool) {
        var info = stat()
        let status = followingLinks ? stat(path, &info) : lstat(path, &info)
        guard status == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}
