// swift-tools-version:6.0
import PackageDescription

/// Augment: image decoding, Keras-style augmentation, a deterministic parallel
/// input pipeline and a small CNN training engine. Module layering follows
/// ../shared/DESIGN.md: each module depends only on the ones above it.
let package = Package(
    name: "Augment",
    products: [
        .library(name: "Randomness", targets: ["Randomness"]),
        .library(name: "CPUBudget", targets: ["CPUBudget"]),
        .library(name: "Imaging", targets: ["Imaging"]),
        .library(name: "Tensors", targets: ["Tensors"]),
        .library(name: "Augmentation", targets: ["Augmentation"]),
        .library(name: "DataPipeline", targets: ["DataPipeline"]),
        .library(name: "Training", targets: ["Training"]),
        .library(name: "Distributed", targets: ["Distributed"]),
        .library(name: "Applications", targets: ["Applications"]),
        .library(name: "KerasFiles", targets: ["KerasFiles"]),
        .library(name: "Workflows", targets: ["Workflows"]),
        .executable(name: "augment", targets: ["AugmentCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        // The `.keras` archive (a zip of config.json, model.weights.h5, metadata.json).
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // `swift package generate-documentation`: the DocC catalogs under Sources/*/Documentation.docc.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // System libraries from Debian, found through pkg-config.
        .systemLibrary(
            name: "CLibPNG", pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]),
        .systemLibrary(
            name: "CLibJPEG", pkgConfig: "libjpeg",
            providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(
            name: "CLibTIFF", pkgConfig: "libtiff-4",
            providers: [.apt(["libtiff-dev"])]),
        .systemLibrary(
            name: "CLibWebP", pkgConfig: "libwebp",
            providers: [.apt(["libwebp-dev"])]),
        // Whole-buffer inflate for the window decode of PNG masks (libtiff's own dependency).
        .systemLibrary(
            name: "CLibDeflate", pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"])]),
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        .systemLibrary(
            name: "CHDF5", pkgConfig: "hdf5",
            providers: [.apt(["libhdf5-dev"])]),
        // oneDNN (what TensorFlow runs on CPU); Debian ships no .pc file for it.
        .systemLibrary(
            name: "CDNNL",
            providers: [.apt(["libdnnl-dev"])]),
        // Open MPI, for data-parallel training; only the Distributed target links it.
        .systemLibrary(
            name: "CMPI", pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),

        // setjmp-safe C wrappers around libpng, libjpeg-turbo, libtiff and libwebp (+ libdeflate for masks).
        .target(
            name: "CImageCodecs",
            dependencies: ["CLibPNG", "CLibJPEG", "CLibTIFF", "CLibWebP", "CLibDeflate"]),

        // The exact-mode kernel's hot loops (mip prefilter, bilinear spans), AVX2 chosen at run time.
        .target(name: "CAugmentKernels"),
        // Convolution, pooling and GEMM plans on oneDNN, with Keras layouts at the boundary.
        .target(name: "CNeuralKernels", dependencies: ["CDNNL"]),

        // The one counter-based random generator and epoch shuffle; below every module that draws.
        .target(name: "Randomness"),
        // The process's CPU budget and thread counts, decided in one place (no dependencies).
        .target(name: "CPUBudget"),
        .target(name: "Imaging", dependencies: ["CImageCodecs"]),
        .target(name: "Tensors", dependencies: ["Randomness"]),
        .target(name: "Augmentation", dependencies: ["Randomness", "CPUBudget", "Imaging", "CBLAS", "CAugmentKernels"]),
        .target(
            name: "DataPipeline",
            dependencies: ["Randomness", "CPUBudget", "Imaging", "Augmentation", "Tensors"]),
        .target(name: "Training", dependencies: ["Randomness", "CPUBudget", "Tensors", "CDNNL", "CNeuralKernels"]),
        // Data-parallel training over MPI: the communicator and the MPI gradient reducer.
        .target(name: "Distributed", dependencies: ["CMPI", "Tensors", "Training"]),
        // keras.applications (VGG16, ResNet50, MobileNetV2, EfficientNetB0) on the graph engine.
        .target(name: "Applications", dependencies: ["Training"]),
        // Keras's weight and model files (legacy .h5, .weights.h5, .keras archives) through libhdf5 and ZIPFoundation.
        .target(
            name: "KerasFiles",
            dependencies: [
                "CPUBudget", "Training", "CHDF5",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        .target(
            name: "Workflows",
            dependencies: [
                "CPUBudget", "Imaging", "Augmentation", "DataPipeline", "Tensors", "Training", "Applications", "KerasFiles",
                .product(name: "Yams", package: "Yams"),
            ]),
        // Benchmark code, kept out of the library modules: decode, augment, pipeline, training
        // and model benchmarks, the batch checksum (OpenSSL's SHA-256) and resident memory.
        .target(
            name: "Benchmarks",
            dependencies: [
                "CPUBudget", "Imaging", "Augmentation", "DataPipeline", "Tensors", "Training", "Distributed",
                "Applications", "COpenSSL",
            ]),
        .executableTarget(
            name: "AugmentCLI",
            dependencies: [
                "CPUBudget", "Imaging", "Augmentation", "DataPipeline", "Tensors", "Training", "Distributed", "Workflows",
                "Applications", "Benchmarks", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]),

        // Helpers shared by the test targets: repository files (the one way to locate fixtures,
        // through #filePath), temporary directories, the `augment` runner, the gradient checker.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "RandomnessTests", dependencies: ["Randomness"]),
        .testTarget(name: "CPUBudgetTests", dependencies: ["CPUBudget", "TestSupport"]),
        .testTarget(
            name: "ImagingTests", dependencies: ["Imaging", "Randomness", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "AugmentationTests", dependencies: ["Augmentation", "Imaging", "Randomness", "TestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "DataPipelineTests",
            dependencies: ["DataPipeline", "Augmentation", "Imaging", "Tensors", "Benchmarks", "TestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "TrainingTests", dependencies: ["Training", "Tensors", "Imaging", "Benchmarks", "TestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "ApplicationsTests", dependencies: ["Applications", "KerasFiles", "Training", "Tensors", "TestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "WorkflowsTests",
            dependencies: ["Workflows", "DataPipeline", "Imaging", "Training", "Applications", "TestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "BenchmarksTests",
            dependencies: [
                "Benchmarks", "Imaging", "Augmentation", "DataPipeline", "Tensors", "Training", "Applications", "TestSupport",
            ]),
        .testTarget(name: "AugmentCLITests", dependencies: ["AugmentCLI", "Imaging", "KerasFiles", "Training", "TestSupport"]),
        // Launches `augment train` under `mpirun -np 2 --oversubscribe` (it needs the executable built).
        .testTarget(name: "DistributedTests", dependencies: ["AugmentCLI", "Training", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
