import Testing
@testable import AugmentCLI

@Suite struct VersionTests {
    @Test func versionNamesTheCodecLibraries() {
        #expect(AugmentVersion.text.contains("libpng"))
        #expect(AugmentVersion.text.contains("libjpeg"))
    }
}
