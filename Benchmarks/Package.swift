// swift-tools-version:6.1
// In-process benchmarks with ordo-one/benchmark: wall clock, CPU and allocations per call of
// the matcher and of a conversation turn. A package of its own (depending on the one above),
// so that `swift build` and CI do not build the benchmark tool; run from this folder:
//     swift package --allow-writing-to-package-directory benchmark
import PackageDescription

let package = Package(
    name: "CharleyBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"])
    ],
    targets: [
        .executableTarget(
            name: "Engine",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Conversation", package: "main"),
                .product(name: "Understanding", package: "main")
            ],
            path: "Engine",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
