import Foundation
import Testing
import TestSupport

/// The module layering of DESIGN.md, checked on the sources: what each module imports.
@Suite struct ModuleLayeringTests {
    /// The modules `module`'s Swift files import (`import X`, `@testable`/`@preconcurrency`/`@_exported` forms).
    static func imports(of module: String) throws -> Set<String> {
        let folder = RepositoryFiles.url("Sources/\(module)")
        guard let files = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var modules: Set<String> = []
        for case let file as String in files where file.hasSuffix(".swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ").filter { !$0.hasPrefix("@") }
                if words.count >= 2, words[0] == "import" { modules.insert(String(words[1])) }
            }
        }
        return modules
    }

    /// Linking DataPipeline pulls in no oneDNN, OpenSSL or training code: neither it nor the
    /// modules below it import them.
    @Test func dataPipelineAndBelowImportNoComputeLibrary() throws {
        for module in ["Randomness", "CPUBudget", "Imaging", "Tensors", "Augmentation", "DataPipeline"] {
            let forbidden = try Self.imports(of: module).intersection(["CDNNL", "CNeuralKernels", "COpenSSL", "Training"])
            #expect(forbidden.isEmpty, "\(module) imports \(forbidden.sorted())")
        }
    }

    /// The command wires Swift modules only; C targets sit behind the libraries.
    @Test func theCommandImportsNoCTarget() throws {
        let cTargets = try FileManager.default.contentsOfDirectory(atPath: RepositoryFiles.url("Sources").path)
            .filter { $0.hasPrefix("C") && $0 != "CPUBudget" }
        #expect(!cTargets.isEmpty)
        let imported = try Self.imports(of: "AugmentCLI").intersection(cTargets)
        #expect(imported.isEmpty, "AugmentCLI imports \(imported.sorted())")
    }

    /// Benchmark code lives in Benchmarks, not in the library modules.
    @Test func librariesHoldNoBenchmarkFolder() throws {
        let sources = RepositoryFiles.url("Sources").path
        for module in try FileManager.default.contentsOfDirectory(atPath: sources) where module != "Benchmarks" {
            #expect(!FileManager.default.fileExists(atPath: "\(sources)/\(module)/Benchmark"), "\(module)/Benchmark")
        }
    }
}
