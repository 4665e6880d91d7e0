// swift-tools-version: 6.1
import PackageDescription

var package = Package(
    name: "Canvass",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "canvass", targets: ["canvass"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(
            name: "CanvassCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .target(
            name: "CanvassStore",
            dependencies: [
                "CanvassCore", "CSQLiteDefensive", "CFileIdentity", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "CSQLiteDefensive", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(name: "CFileIdentity"),
        .target(
            name: "CanvassCLI",
            dependencies: [
                "CanvassCore", "CanvassStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .executableTarget(name: "canvass", dependencies: ["CanvassCLI"]),
        // Finds the programs some tests run that are not ours (pyxform, openpyxl, strace).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "CanvassCoreTests", dependencies: ["CanvassCore", "TestSupport", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "CanvassStoreTests", dependencies: ["CanvassStore", "CanvassCore"]),
        .testTarget(name: "CanvassCLITests", dependencies: ["CanvassCLI", "CanvassStore", "canvass", "TestSupport"]),
        // Kill, concurrency, hostile-input and privacy tests (docs/reliability.md); CANVASS_KILL_ROUNDS sets the kill loops.
        .testTarget(
            name: "CanvassReliabilityTests",
            dependencies: ["CanvassCore", "CanvassCLI", "CanvassStore", "canvass", "TestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Fuzz targets (libFuzzer), only when CANVASS_FUZZ is set, so the normal build and tests are unchanged.
// Built and run by tools/fuzz.sh; see docs/fuzzing.md.
if Context.environment["CANVASS_FUZZ"] != nil {
    for name in ["FuzzExpression", "FuzzFormLoader", "FuzzXLSX"] {
        package.targets.append(.executableTarget(name: name, dependencies: ["CanvassCore"], path: "Fuzz/\(name)"))
    }
}
