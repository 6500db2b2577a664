import DialogueTesting
import Foundation
import Knowledge
import Logging
import PostgresNIO
import PostgresTestSupport
import Testing

@testable import Conversation
@testable import PostgresStorage
@testable import SocketServer

let conversation: Conversation = {
    do { return try Conversation.bundled() } catch { fatalError("the conversation does not load: \(error)") }
}()

/// Runs `body` with a store on a fresh database, its pool running meanwhile.
func withStore<T: Sendable>(
    _ label: String, url given: String? = nil, prepare: Bool = true,
    _ body: @Sendable (PostgresSessionStore, String) async throws -> T
) async throws -> T {
    let url: String
    if let given { url = given } else { url = try await PostgresTestServer.freshDatabase(label) }
    // A long lease bound: the whole test suite runs in one process on two cores, and a busy
    // moment must not pass for a server that is gone (the daemon tests check the 5 s bound).
    let store = try PostgresSessionStore(url: url, maximumConnections: 6, leaseTimeout: .seconds(60))
    if prepare { try await store.prepare() }
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await store.client.run() }
        defer { group.cancelAll() }
        return try await body(store, url)
    }
}

/// Saves states in one transaction, as the daemon does.
func save(_ store: PostgresSessionStore, _ writes: [SessionWrite], replies: [RememberedReply] = []) async throws {
    try await store.transact(sessions: writes.map(\.id), requests: []) { _ in SharedOutcome(writes: writes, replies: replies) }
}

func write(_ id: String, _ state: SessionState, at time: Double = 1_800_000_000, said: String? = nil) -> SessionWrite {
    SessionWrite(
        id: id, change: .save(state), time: time, knowledge: conversation.knowledge.version,
        transcript: said.map { TranscriptEntry(turn: state.turns, said: $0, reply: "ok", at: time) })
}

@Suite("A PostgreSQL URL")
struct PostgresLocationTests {
    @Test("a Unix socket folder, a TCP host, defaults, and the password kept out of what is shown")
    func forms() throws {
        let socket = try PostgresLocation(url: "postgres://charley@/sessions?host=/run/postgresql")
        #expect(socket.endpoint == .unixSocket(path: "/run/postgresql/.s.PGSQL.5432"))
        #expect(socket.username == "charley" && socket.database == "sessions" && socket.password == nil)
        let tcp = try PostgresLocation(url: "postgresql://app:s%40cret@db.example:6543/charley?sslmode=require")
        #expect(tcp.endpoint == .tcp(host: "db.example", port: 6543))
        #expect(tcp.password == "s@cret" && tcp.requireTLS)
        #expect(!tcp.redacted.contains("cret") && tcp.redacted.contains("app@db.example:6543/charley"))
        let plain = try PostgresLocation(url: "postgres://localhost")
        #expect(plain.username == "postgres" && plain.database == "postgres" && plain.endpoint == .tcp(host: "localhost", port: 5432))
    }

    @Test("bad URLs are refused with what to write instead, never echoing a password")
    func badURLs() {
        for (url, expected) in [
            ("postgres:///nohost", "names no server"), ("postgres://u:pw@h:99999/d", "not a port"),
            ("postgres://u:pw@h/d?sslmode=allow", "sslmode"), ("postgres://u:pw@h/d?timeout=3", "unknown parameter"),
            ("postgres://u@/d?host=/tmp&sslmode=require", "Unix socket")
        ] {
            do {
                _ = try PostgresLocation(url: url)
                Issue.record("\(url) was accepted")
            } catch {
                #expect(error.description.contains(expected), "\(url): \(error.description)")
                #expect(!error.description.contains("pw@"), "\(url): \(error.description)")
            }
        }
        #expect(!PostgresLocation.isURL("/var/lib/charley/sessions.sqlite") && PostgresLocation.isURL("postgresql://x"))
    }

    @Test("the lock key of a session is FNV-1a 64, the same in every process")
    func stableHash() {
        // Reference values of FNV-1a 64 (the empty string is the offset basis).
        #expect(UInt64(bitPattern: stableHash64("")) == 0xcbf2_9ce4_8422_2325)
        #expect(UInt64(bitPattern: stableHash64("a")) == 0xaf63_dc4c_8601_ec8c)
        #expect(UInt64(bitPattern: stableHash64("foobar")) == 0x8594_4171_f739_67e8)
    }
}

@Suite("PostgreSQL is there in CI")
struct PostgresRequiredTests {
    @Test("CI gives the tests a server (CHARLEY_TEST_POSTGRES); elsewhere its absence only skips them")
    func serverGivenInCI() {
        if PostgresTestServer.isRequired && !PostgresTestServer.isAvailable {
            Issue.record("CI is set but CHARLEY_TEST_POSTGRES is not: the PostgreSQL tests would be skipped. \(PostgresTestServer.skipReason)")
        }
    }
}

@Suite("The PostgreSQL session store", .enabled(if: PostgresTestServer.isAvailable, Comment(rawValue: PostgresTestServer.skipReason)))
struct PostgresSessionStoreTests {
    @Test("migrations from an empty database, and again on a migrated one, change nothing")
    func migrationsFromEmpty() async throws {
        try await withStore("empty", prepare: false) { store, url in
            let names = try await store.prepare()
            #expect(names == ["v1-sessions-transcripts", "v2-request-replies", "v3-lock-and-read"])
            #expect(try await store.prepare() == names)
            #expect(try await store.appliedMigrations() == names)
            #expect(try await PostgresTestServer.scalar(url, "SELECT count(*)::text FROM charley_schema") == "3")
        }
    }

    @Test("a database of the first schema is migrated and its sessions still load")
    func migrationFromFirstSchema() async throws {
        let url = try await PostgresTestServer.freshDatabase("first")
        var state = SessionState()
        _ = conversation.respond(to: "my left calf cramps at night", state: &state)
        let json = String(decoding: state.json(undo: false), as: UTF8.self).replacingOccurrences(of: "'", with: "''")
        let undo = String(decoding: state.undoJSON(), as: UTF8.self).replacingOccurrences(of: "'", with: "''")
        // The first schema, made as the first Charley with PostgreSQL made it.
        let store = try PostgresSessionStore(url: url)
        let logger = Logger(label: "test")
        let place = try PostgresLocation(url: url)
        let connection = try await PostgresConnection.connect(
            configuration: try place.connectionConfiguration(connectTimeout: .seconds(5)),
            id: 9, logger: logger)
        #expect(try await PostgresSessionStore.migrate(connection, upTo: 1, logger: logger) == ["v1-sessions-transcripts"])
        try await connection.close()
        try await PostgresTestServer.execute(
            url,
            """
            INSERT INTO session (id, state, undo, updated, format, knowledge, stage, turns, triage)
            VALUES ('old', '\(json)', '\(undo)', 1800000000, 2, 'k1', '\(state.stage.rawValue)', \(state.turns), NULL)
            """)
        _ = store
        let expected = state
        try await withStore("first", url: url, prepare: false) { store, _ in
            #expect(try await store.prepare() == ["v1-sessions-transcripts", "v2-request-replies", "v3-lock-and-read"])
            guard case .session(let loaded) = try await store.load("old") else {
                Issue.record("the old session is gone")
                return
            }
            #expect(loaded.state == expected && loaded.knowledge == "k1")
        }
    }

    @Test("a schema newer than this Charley is refused with a message naming the URL, not the password")
    func newerSchema() async throws {
        let url = try await PostgresTestServer.freshDatabase("newer")
        try await withStore("newer", url: url) { _, _ in }
        try await PostgresTestServer.execute(url, "INSERT INTO charley_schema VALUES (99, 'v99-future', 0)")
        let withPassword = url.replacingOccurrences(of: "postgres://postgres@", with: "postgres://postgres:hunter2@")
        let store = try PostgresSessionStore(url: withPassword)
        do {
            try await store.prepare()
            Issue.record("a newer schema was accepted")
        } catch {
            #expect(error.description.contains("schema version 99") && error.description.contains("newer than this Charley's 3"), "\(error)")
            #expect(error.description.contains(url.replacingOccurrences(of: "postgres://", with: "")), "\(error)")
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test("no server, a refused connection, no such database: each a clear error naming the URL, not the password")
    func missingServer() async throws {
        _ = try #require(PostgresTestServer.socketFolder)
        for (url, expected) in PostgresTestServer.unusableStores {
            let store = try PostgresSessionStore(url: url, connectTimeout: .seconds(3))
            do {
                try await store.prepare()
                Issue.record("\(url) was accepted")
            } catch {
                #expect(error.description.contains(expected), "\(url): \(error.description)")
                #expect(error.description.contains(store.location) && !error.description.contains(":pw"), "\(error.description)")
            }
        }
        // How long each takes is measured on the real binary, in a process of its own, by
        // PostgresDaemonTests.missingServerBound: here, in one process with every other test on
        // a 2-core machine's two cooperative threads, the wait measured the other tests (57 s once).
    }

    @Test("every state of every scripted dialogue survives a round trip, undo history and all")
    func roundTripEveryStage() async throws {
        try await withStore("roundtrip") { store, _ in
            let dialogues = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Dialogues")
            var stages = Set<Stage>()
            var checked = 0
            for file in try DialogueRunner.files(at: [dialogues.path]).prefix(40) {
                let script = try DialogueScript.parse(String(contentsOf: file, encoding: .utf8), file: file.lastPathComponent)
                var state = SessionState()
                for turn in script.turns {
                    _ = conversation.respond(to: turn.text, state: &state)
                    guard state.stage != .ended else { break }
                    try await save(store, [write(file.lastPathComponent, state)])
                    guard case .session(let loaded) = try await store.load(file.lastPathComponent) else {
                        Issue.record("\(file.lastPathComponent): not stored")
                        return
                    }
                    #expect(loaded.state == state, "\(file.lastPathComponent) turn \(state.turns)")
                    stages.insert(state.stage)
                    checked += 1
                }
            }
            #expect(checked > 100 && stages.count >= 5)
        }
    }

    @Test("transcripts only when a write carries one; purge removes what is idle, replies by their own time; the list is newest first")
    func transcriptsPurgeList() async throws {
        try await withStore("purge") { store, _ in
            var state = SessionState()
            _ = conversation.respond(to: "my calf cramps", state: &state)
            try await save(store, [write("old", state, at: 1000, said: "my calf cramps"), write("quiet", state, at: 2000)])
            try await save(
                store, [write("new", state, at: 5000, said: "hello")],
                replies: [
                    RememberedReply(key: RequestKey(session: "old", id: "r1"), reply: Array("{}\n".utf8), at: 1000),
                    RememberedReply(key: RequestKey(session: "new", id: "r2"), reply: Array("{}\n".utf8), at: 5000)
                ])
            #expect(try await store.transcript("old").map(\.said) == ["my calf cramps"])
            #expect(try await store.transcript("quiet").isEmpty)
            #expect(try await store.list(limit: 10).map(\.id) == ["new", "quiet", "old"])
            #expect(try await store.list(limit: 1).first?.stage == state.stage.rawValue)
            #expect(try await store.count() == 3)
            #expect(try await store.purge(updatedBefore: 3000, repliesBefore: 3000) == 2)
            #expect(try await store.load("old") == nil)
            #expect(try await store.load("new") != nil)
            #expect(try await store.transcript("old").isEmpty)
            #expect(try await store.transcript("new").count == 1)
            let requests = [RequestKey(session: "old", id: "r1"), RequestKey(session: "new", id: "r2")]
            let seen = SeenReplies()
            try await store.transact(sessions: ["old", "new"], requests: requests) { snapshot in
                seen.set(snapshot.replies.keys.map(\.id))
                return SharedOutcome()
            }
            #expect(seen.value == ["r2"])
        }
    }

    @Test("a session's writes in one transaction: the last state stays, every transcript line is kept, a delete deletes")
    func manyWritesOfOneSession() async throws {
        try await withStore("batch") { store, _ in
            var state = SessionState()
            _ = conversation.respond(to: "my calf cramps", state: &state)
            let first = state
            _ = conversation.respond(to: "at night", state: &state)
            try await save(
                store,
                [
                    write("a", first, said: "one"), write("a", state, said: "two"), write("b", first),
                    SessionWrite(id: "b", change: .delete, time: 1_800_000_000, knowledge: "k")
                ])
            guard case .session(let loaded) = try await store.load("a") else {
                Issue.record("a is not stored")
                return
            }
            #expect(loaded.state == state)
            #expect(try await store.transcript("a").map(\.said) == ["one", "two"])
            #expect(try await store.load("b") == nil)
        }
    }

    @Test("two pools (two daemons) running turns of one session at once: applied one after the other, none lost")
    func concurrentTurnsOfOneSession() async throws {
        let url = try await PostgresTestServer.freshDatabase("race")
        try await withStore("race", url: url) { first, _ in
            try await withStore("race", url: url) { second, _ in
                let registries = [first, second].map {
                    SessionRegistry(conversation: conversation, sharedStore: $0, idleExpiry: .seconds(3600), lanes: 3, maximumBatch: 4)
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<60 {
                        group.addTask {
                            _ = try await registries[index % 2].respond(session: "shared", text: "my calf cramps at night")
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(try await registries[0].state("shared")?.turns == 60)
                #expect(try await registries[1].state("shared")?.turns == 60)
            }
        }
    }
}

final class SeenReplies: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: [String] = []
    func set(_ ids: [String]) { lock.withLock { self.ids = ids.sorted() } }
    var value: [String] { lock.withLock { ids } }
}
