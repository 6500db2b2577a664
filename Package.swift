// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Charley",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "charley", targets: ["charley"]),
        .library(name: "Knowledge", targets: ["Knowledge"]),
        .library(name: "Understanding", targets: ["Understanding"]),
        .library(name: "Conversation", targets: ["Conversation"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // Already in the graph through postgres-nio; named for TLS to a remote server.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1")
    ],
    targets: [
        // The shared knowledge model of leg cramps: data files plus the code that loads,
        // validates and ranks from them. No I/O beyond reading its own resource files.
        .target(
            name: "Knowledge",
            dependencies: ["WireFormat", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Resources/knowledge")]
        ),
        // Understanding one utterance: the lexicon (data) and the keyword/intent matcher.
        .target(
            name: "Understanding",
            dependencies: ["Knowledge", "WireFormat", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Resources/lexicon.yaml"), .copy("Resources/common-words.txt")]
        ),
        // The dialogue state machine: (state, utterance) -> (new state, reply). Pure.
        .target(
            name: "Conversation",
            dependencies: ["Knowledge", "Understanding", "WireFormat", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Resources/interview.yaml"), .copy("Resources/replies.yaml")]
        ),
        // The summary a person takes to the doctor: a conversation's state and the knowledge
        // model to plain text, a self-contained HTML page and an SVG of the legs. Pure: no I/O.
        .target(
            name: "Report",
            dependencies: ["Conversation", "Knowledge"],
            resources: [.copy("Resources/report.yaml")]
        ),
        // Where sessions are kept between turns and restarts: SQLite through GRDB (the store
        // protocol and the in-memory store are in Conversation).
        .target(
            name: "Storage",
            dependencies: [
                "Conversation", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift")
            ]
        ),
        // Sessions shared by several daemons: PostgreSQL through PostgresNIO's PostgresClient
        // (a pool run as a Service in the daemon's ServiceGroup), with its own migrations.
        .target(
            name: "PostgresStorage",
            dependencies: [
                "Conversation", "Knowledge",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]
        ),
        // GNU readline, as a system library (Debian: libreadline-dev).
        // GNU readline (Debian: libreadline-dev) and the C state around it.
        .target(name: "CReadline", linkerSettings: [.linkedLibrary("readline")]),
        // epoll(7), which Swift's Glibc module leaves out, for the socket load generator.
        .systemLibrary(name: "CEpoll"),
        // The terminal front end: the readline REPL, wrapping and colour, over Conversation, and
        // where Charley keeps its files on this machine (the state folder).
        .target(name: "Terminal", dependencies: ["CReadline", "Conversation", "Knowledge", "Report"]),
        // The wire format without the network: splitting a byte stream into lines, reading a
        // client's JSON line, and writing JSON (the replies, `understood`, the stored state).
        // No dependencies, so that it can be fuzzed on its own.
        .target(name: "WireFormat"),
        // What the daemon tells systemd and takes from it: sockets passed by socket activation
        // (sd_listen_fds(3)) and the notify protocol (sd_notify(3): readiness, status, watchdog).
        // Glibc only, so that it can be tested without the daemon.
        .target(name: "Systemd"),
        // The daemon's counters and histograms, through swift-metrics into a Prometheus registry:
        // made once, kept, read out as JSON or the Prometheus text format. Holds no health text.
        .target(
            name: "DaemonMetrics",
            dependencies: [
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus")
            ]
        ),
        // The Unix-socket daemon for chat bridges: framing, JSON Lines, routing by session id.
        .target(
            name: "SocketServer",
            dependencies: [
                "Conversation", "Knowledge", "Understanding", "Storage", "WireFormat", "Systemd", "DaemonMetrics", "Report",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics")
            ]
        ),
        // Scripted dialogue tests: the Dialogues/ format, its parser and runner.
        .target(name: "DialogueTesting", dependencies: ["Conversation", "Knowledge", "Understanding"]),
        .executableTarget(
            name: "charley",
            dependencies: [
                "Knowledge",
                "Understanding",
                "Conversation",
                "DialogueTesting",
                "Terminal",
                "SocketServer",
                "Storage",
                "PostgresStorage",
                "CEpoll",
                "DaemonMetrics",
                "Report",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ]
        ),
        // libFuzzer entry points for the interpreter, the wire format and the loaders: built only
        // by scripts/fuzz, with the fuzzer sanitizer, in a scratch folder of its own.
        .target(name: "Fuzzing", dependencies: ["Knowledge", "Understanding", "WireFormat"]),
        // What several test targets share (a seeded random generator, running the built charley).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "KnowledgeTests", dependencies: ["Knowledge", "WireFormat", "charley", "TestSupport"]),
        // The executable's command definitions against what ships with them (the manual page).
        .testTarget(name: "CommandTests", dependencies: ["charley", "TestSupport"]),
        .testTarget(
            name: "UnderstandingTests", dependencies: ["Understanding", "Knowledge", "DialogueTesting", "TestSupport"],
            resources: [.copy("Corpus"), .copy("Independent")]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "charley", "TestSupport"], exclude: ["Scripts"]),
        .testTarget(
            name: "SocketServerTests",
            dependencies: [
                "SocketServer", "WireFormat", "charley", "Conversation", "Knowledge", "Storage", "TestSupport",
                "PostgresTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio")
            ]),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Storage", "Conversation", "Knowledge", "DialogueTesting",
                .product(name: "GRDB", package: "GRDB.swift")
            ],
            resources: [.copy("Fixtures")]),
        // The PostgreSQL server the tests use (CHARLEY_TEST_POSTGRES) and a fresh database per test.
        .target(
            name: "PostgresTestSupport",
            dependencies: [
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log")
            ],
            path: "Tests/PostgresTestSupport"),
        .testTarget(
            name: "PostgresStorageTests",
            dependencies: [
                "PostgresStorage", "PostgresTestSupport", "Conversation", "Knowledge",
                "DialogueTesting", "SocketServer",
                .product(name: "PostgresNIO", package: "postgres-nio")
            ]),
        .testTarget(
            name: "ReportTests", dependencies: ["Report", "Conversation", "DialogueTesting", "Knowledge", "TestSupport"],
            exclude: ["Snapshots", "Scripts"]),
        .testTarget(name: "ConversationTests", dependencies: ["Conversation", "DialogueTesting", "Knowledge", "Understanding", "TestSupport"])
    ]
)
