import Foundation
import Testing
import TestSupport
@testable import Imaging

/// `FileBytes.write` (every image Augment saves): atomic, never through a symbolic link, with the user's umask.
@Suite struct FileWriteTests {
    /// The process's umask, from /proc (reading it with umask(2) would change it for a moment).
    static func currentUmask() throws -> mode_t {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("Umask:") })
        return try #require(mode_t(line.dropFirst(6).trimmingCharacters(in: .whitespaces), radix: 8))
    }

    static func mode(_ path: String) -> (mode: mode_t, isLink: Bool) {
        var status = stat()
        lstat(path, &status)
        return (status.st_mode & 0o777, (status.st_mode & S_IFMT) == S_IFLNK)
    }

    @Test func newFilesGetTheUsersUmaskAndNoTemporaryIsLeft() throws {
        let folder = try TemporaryDirectory()
        try FileBytes.write([1, 2, 3], to: folder.path("a.bin"))
        #expect(Self.mode(folder.path("a.bin")).mode == 0o666 & ~(try Self.currentUmask()))
        #expect(try FileBytes.read(folder.path("a.bin")) == [1, 2, 3])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.bin"])
    }

    @Test func aSymbolicLinkAtThePathIsReplacedNotFollowed() throws {
        let folder = try TemporaryDirectory()
        try folder.write("victim.txt", "keep")
        try FileManager.default.createSymbolicLink(atPath: folder.path("out.png"), withDestinationPath: folder.path("victim.txt"))
        try FileBytes.write([9], to: folder.path("out.png"))
        #expect(try String(contentsOfFile: folder.path("victim.txt"), encoding: .utf8) == "keep")
        #expect(!Self.mode(folder.path("out.png")).isLink)
        #expect(try FileBytes.read(folder.path("out.png")) == [9])
    }

    @Test func aFailedWriteLeavesTheOldFileAndNoTemporary() throws {
        let folder = try TemporaryDirectory()
        try folder.write("sub/keep.txt", "x")
        // Renaming a file over a non-empty folder fails: the write must not leave its temporary behind.
        let error = #expect(throws: ImageError.self) { try FileBytes.write([1], to: folder.path("sub")) }
        #expect(error?.kind == .io)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["sub"])
    }
}
