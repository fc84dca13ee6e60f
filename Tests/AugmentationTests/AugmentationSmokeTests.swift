import Testing
@testable import Augmentation

@Suite struct AugmentationSmokeTests {
    @Test func moduleLinks() {
        #expect(Bool(true))
    }
}
