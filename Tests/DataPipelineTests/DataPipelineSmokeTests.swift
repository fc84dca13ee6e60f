import Testing
@testable import DataPipeline

@Suite struct DataPipelineSmokeTests {
    @Test func moduleLinks() {
        #expect(Bool(true))
    }
}
