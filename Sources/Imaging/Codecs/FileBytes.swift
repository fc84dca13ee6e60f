#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Whole-file reads and writes with `ImageError.Kind.io` errors naming the path
/// (the decoders and the pipeline's renderers read files through it).
public enum FileBytes {
    /// The contents of the file at `path`, or only its first `limit` bytes.
    ///
    /// Only regular files are read: a FIFO, a device such as `/dev/zero` or a
    /// folder is refused at once (opening is non-blocking, so a FIFO without
    /// a writer cannot hang the caller).
    public static func read(_ path: String, limit: Int = .max) throws(ImageError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw ioError(path, "cannot open") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw ioError(path, "cannot stat") }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw ImageError(.io, path: path, message: "not a regular file (\(fileType(status.st_mode)))")
        }
        let size = min(Int(status.st_size), limit)
        var failure: String?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var offset = 0
            while offset < size {
                let got = Glibc.read(descriptor, buffer.baseAddress! + offset, size - offset)
                if got < 0 && errno == EINTR { continue }
                if got <= 0 {
                    failure = got < 0 ? String(cString: strerror(errno)) : "file shrank while reading"
                    break
                }
                offset += got
            }
            count = offset
        }
        if let failure { throw ImageError(.io, path: path, message: "read failed: \(failure)") }
        return bytes
    }

    /// Replaces the file at `path` with `bytes`, atomically: the bytes go to a new
    /// temporary file in the same folder (created exclusively, never through a
    /// symbolic link, with mode 0666 less the user's umask), which is then
    /// renamed over `path`. A reader sees the old file or the new one, never
    /// half of it, and a symbolic link at `path` is replaced, not followed.
    public static func write(_ bytes: [UInt8], to path: String) throws(ImageError) {
        let temporary = temporaryPath(for: path)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw ioError(path, "cannot create") }
        var failure: ImageError?
        var offset = 0
        while offset < bytes.count {
            let wrote = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            if wrote < 0 && errno == EINTR { continue }
            guard wrote > 0 else { failure = ioError(path, "write failed"); break }
            offset += wrote
        }
        if close(descriptor) != 0 && failure == nil { failure = ioError(path, "write failed") }
        if failure == nil && rename(temporary, path) != 0 { failure = ioError(path, "cannot replace") }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }

    /// `.<name>.<pid>.<counter>.tmp` beside `path`.
    private static func temporaryPath(for path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return folder + ".\(name).\(getpid()).\(temporaryCounter.add(1, ordering: .relaxed).newValue).tmp"
    }

    private static let temporaryCounter = Atomic<Int>(0)

    private static func fileType(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a folder"
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "an unknown file type"
        }
    }

    private static func ioError(_ path: String, _ what: String) -> ImageError {
        ImageError(.io, path: path, message: "\(what): \(String(cString: strerror(errno)))")
    }
}

