import Foundation
import Testing
import TestSupport
@testable import DataPipeline

/// Listings may name files only inside their base folder unless outside paths are allowed.
@Suite struct ListingPathsTests {
    @Test func namesResolveLexicallyInsideTheBase() throws {
        let paths = ListingPaths(base: "/data/./images/", allowOutside: false)
        #expect(paths.base == "/data/images")
        #expect(try paths.resolve("cats/1.png", listing: "l.csv", record: 2) == "/data/images/cats/1.png")
        #expect(try paths.resolve("cats/../dogs/./2.png", listing: "l.csv", record: 2) == "/data/images/dogs/2.png")
        #expect(try paths.resolve("/data/images/3.png", listing: "l.csv", record: 2) == "/data/images/3.png")
    }

    @Test(arguments: ["../../etc/passwd", "/etc/passwd", "..", "cats/../../images2/x.png", "/data/images2/x.png"])
    func outsideNamesAreRefused(_ name: String) {
        let paths = ListingPaths(base: "/data/images", allowOutside: false)
        #expect(throws: DataPipelineError(.malformedListing, path: "l.csv",
                                          message: "record 7: '\(name)' points outside /data/images (allow it with allow_outside_paths: true)")) {
            _ = try paths.resolve(name, listing: "l.csv", record: 7)
        }
        #expect((try? ListingPaths(base: "/data/images", allowOutside: true).resolve(name, listing: "l.csv", record: 7)) != nil)
    }

    @Test func csvRowsOutsideTheirFolderAreRefusedBeforeTheFileIsLookedUp() throws {
        let directory = try TemporaryDirectory()
        try directory.write("img/a.png")
        try directory.write("secret.png")
        for name in ["../secret.png", directory.path + "/secret.png"] {
            try directory.write("list.csv", "filename,class\na.png,x\n\(name),y\n")
            let error = #expect(throws: DataPipelineError.self) {
                _ = try CSVSource(csvFile: directory.path("list.csv"), directory: directory.path("img"))
            }
            #expect(error?.kind == .malformedListing)
            #expect(error?.path == directory.path("list.csv"))
            #expect(error?.message.hasPrefix("record 3: '\(name)' points outside \(directory.path("img"))") == true)
            let allowed = try CSVSource(csvFile: directory.path("list.csv"), directory: directory.path("img"),
                                        allowOutsidePaths: true)
            #expect(allowed.filenames == ["a.png", name])
            #expect(allowed.path(of: 1) == directory.path("secret.png"))
        }
    }

    @Test func aFIFOAsTheListingIsRefusedWithoutWaiting() throws {
        let directory = try TemporaryDirectory()
        #expect(mkfifo(directory.path("list.csv"), 0o600) == 0)
        let error = #expect(throws: DataPipelineError.self) { _ = try CSVSource(csvFile: directory.path("list.csv")) }
        #expect(error?.message == "cannot read: not a regular file (a FIFO)")
    }
}
