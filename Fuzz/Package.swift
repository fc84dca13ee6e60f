// swift-tools-version:6.0
import PackageDescription

/// libFuzzer targets for Augment's decoders and parsers, kept out of the main
/// package so that `swift build` never needs the sanitizer runtimes.
/// Build and run them with `scripts/fuzz.sh TARGET SECONDS` (see the README's
/// "Fuzzing" section); each target is a single file whose only entry point is
/// `LLVMFuzzerTestOneInput`, so libFuzzer's own `main` drives it.
let package = Package(
    name: "AugmentFuzz",
    dependencies: [.package(name: "Augment", path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "Imaging", package: "Augment")]),
        .executableTarget(name: "FuzzPNG", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzJPEG", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzTIFF", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzWebP", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzProbe", dependencies: [.product(name: "Imaging", package: "Augment")]),
        .executableTarget(name: "FuzzPipelineFile", dependencies: [.product(name: "Workflows", package: "Augment")]),
        .executableTarget(name: "FuzzSafeTensors", dependencies: [.product(name: "Training", package: "Augment")]),
        .executableTarget(
            name: "FuzzKerasWeights",
            dependencies: [.product(name: "KerasFiles", package: "Augment"), .product(name: "CPUBudget", package: "Augment"),
                           .product(name: "Training", package: "Augment")]),
    ],
    swiftLanguageModes: [.v6]
)
