import Testing
@testable import Imaging

@Suite struct ImageTests {
    @Test func indexesSamplesInHWCOrder() throws {
        let image = try Image(width: 2, height: 1, channels: 3, pixels: [255, 0, 0, 0, 0, 255])
        #expect(image[0, 1, 2] == 255)
        #expect(image[0, 0, 0] == 255)
        #expect(image[0, 1, 0] == 0)
    }

    @Test func rejectsMismatchedPixelCount() {
        #expect(throws: ImageError.self) {
            _ = try Image(width: 2, height: 2, channels: 3, pixels: [0, 0, 0])
        }
    }
}
