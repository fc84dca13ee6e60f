import Foundation

/// Replaces a file so that a crash at any instant leaves either the old file
/// or the new one, never a mixture: the bytes go to a temporary file in the
/// same folder, which is flushed to disk (`fsync`), renamed over the target,
/// and the folder is flushed so the rename itself is durable.
enum AtomicFile {
    /// Writes `data` to `path` atomically. `beforeRename` runs once the temporary
    /// file is complete and flushed, just before it replaces `path` (a seam for
    /// fault-injection tests that kill the process there).
    /// - Throws: ``TrainingError/weightsFile(path:reason:)`` naming the failing step.
    static func write(_ data: Data, to path: String, beforeRename: (() -> Void)? = nil) throws {
        func fail(_ step: String) -> TrainingError {
            .weightsFile(path: path, reason: "\(step) failed: \(String(cString: strerror(errno)))")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let temporary = temporaryPrefix(of: path) + "\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw fail("creating \(temporary)") }
        var written = 0
        let complete = data.withUnsafeBytes { bytes -> Bool in
            while written < bytes.count {
                let count = Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return false }
                written += count
            }
            return true
        }
        guard complete, fsync(descriptor) == 0 else {
            let error = fail("writing \(temporary)")
            close(descriptor); unlink(temporary)
            throw error
        }
        close(descriptor)
        beforeRename?()
        guard rename(temporary, path) == 0 else {
            let error = fail("renaming \(temporary)")
            unlink(temporary)
            throw error
        }
        let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { throw fail("opening the folder \(folder)") }
        defer { close(directory) }
        guard fsync(directory) == 0 else { throw fail("flushing the folder \(folder)") }
    }

    /// Where the temporary files of `path` start: `.name.tmp-` in its folder (then the writer's pid).
    static func temporaryPrefix(of path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().path + "/." + url.lastPathComponent + ".tmp-"
    }

    /// Removes the temporary files of `path` that a killed writer left behind.
    static func removeLeftovers(of path: String) {
        let prefix = temporaryPrefix(of: path)
        let folder = URL(fileURLWithPath: prefix).deletingLastPathComponent().path
        let name = URL(fileURLWithPath: prefix).lastPathComponent
        for file in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where file.hasPrefix(name) {
            unlink(folder + "/" + file)
        }
    }
}
