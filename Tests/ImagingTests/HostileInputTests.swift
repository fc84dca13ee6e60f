import Foundation
import Testing
import TestSupport
@testable import Imaging

/// Files whose headers lie, and paths that are not regular files: each is refused with a named
/// error before anything large is allocated or anything blocks (Fixtures/hostile, made by
/// scripts/make_hostile_fixtures.py).
@Suite struct HostileInputTests {
    /// Found by the TIFF fuzz target: a 446-byte file whose header claims one 61440x61440 tile
    /// for a 64x64 image made the decoder allocate the tile (11 GB) before reading anything.
    @Test func tiffTileLargerThanThePixelLimitIsRefusedBeforeAllocating() throws {
        let path = FixtureFiles.path("hostile", "huge-tile.tif")
        for deep in [false, true] {
            let error = #expect(throws: ImageError.self) {
                if deep { _ = try Image16.decode(contentsOf: path) } else { _ = try Image.decode(contentsOf: path) }
            }
            #expect(error?.kind == .tooLarge)
            #expect(error?.path == path)
            #expect(error?.message == "tile 61440x61440 exceeds the limit of 178956970 pixels")
        }
    }

    @Test func tiffTileIsBoundedByTheCallersPixelLimit() throws {
        let bytes = try FixtureFiles.bytes("hostile", "huge-tile.tif")
        let error = #expect(throws: ImageError.self) { _ = try Image.decode(bytes, options: DecodeOptions(pixelLimit: 5000)) }
        #expect(error?.message == "tile 61440x61440 exceeds the limit of 5000 pixels")
    }

    /// A strip whose byte count claims 4 GB: the strip buffer is the image's rows, the read fails on the short data.
    @Test func tiffStripClaimingGigabytesFailsOnItsData() throws {
        let error = #expect(throws: ImageError.self) {
            _ = try Image.decode(contentsOf: FixtureFiles.path("hostile", "huge-strip.tif"))
        }
        #expect(error?.kind == .truncated || error?.kind == .corrupt)
    }

    @Test func aFIFOIsRefusedWithoutWaitingForAWriter() throws {
        let folder = try TemporaryDirectory()
        let fifo = folder.path("image.png")
        #expect(mkfifo(fifo, 0o600) == 0)
        for read in [{ try Image.decode(contentsOf: fifo) as Any }, { try ImageInfo.probe(contentsOf: fifo) as Any }] {
            let error = #expect(throws: ImageError.self) { _ = try read() }
            #expect(error?.kind == .io)
            #expect(error?.description == "\(fifo): io: not a regular file (a FIFO)")
        }
    }

    @Test func devicesAndFoldersAreRefused() throws {
        let error = #expect(throws: ImageError.self) { _ = try Image.decode(contentsOf: "/dev/zero") }
        #expect(error?.description == "/dev/zero: io: not a regular file (a character device)")
        let folder = try TemporaryDirectory()
        let directory = #expect(throws: ImageError.self) { _ = try Image.decode(contentsOf: folder.path) }
        #expect(directory?.message == "not a regular file (a folder)")
    }
}
