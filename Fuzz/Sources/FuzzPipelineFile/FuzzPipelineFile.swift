import Workflows

/// libFuzzer entry point: pipeline-file parsing (YAML, then the sections' validation).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPipelineFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    _ = try? PipelineFileLoader.parse(bytes: UnsafeBufferPointer(start: data, count: size), file: "fuzz.yaml")
    return 0
}
