import Conversation
import Foundation
import Knowledge
import NIOPosix
import Storage
import Testing

@testable import SocketServer

let engine: Conversation = {
    do { return try Conversation.bundled() } catch { fatalError("the conversation does not load: \(error)") }
}()

/// A clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var time: Double = 1_800_000_000
    var now: Double { lock.withLock { time } }
    func advance(_ seconds: Double) { lock.withLock { time += seconds } }
}

/// A store whose every session is there but unreadable (as one written in a format this
/// Charley cannot decode).
final class UnreadableStore: SessionStore, @unchecked Sendable {
    let inner = MemorySessionStore()
    var isDurable: Bool { false }
    func load(_ id: String) throws(StoreError) -> StoredSession.Loaded? {
        try inner.load(id) == nil ? .unreadable(reason: "format 99") : inner.load(id)
    }
    func commit(_ writes: [SessionWrite]) throws(StoreError) { try inner.commit(writes) }
    func purge(updatedBefore time: Double) throws(StoreError) -> Int { try inner.purge(updatedBefore: time) }
    func list(limit: Int) throws(StoreError) -> [SessionSummary] { try inner.list(limit: limit) }
    func transcript(_ id: String) throws(StoreError) -> [TranscriptEntry] { [] }
}

@Suite("The session registry over a store")
struct SessionRegistryTests {
    /// A registry over a SQLite store in a new folder.
    static func durableRegistry() throws -> (SQLiteSessionStore, SessionRegistry) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("charley-registry-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let store = try SQLiteSessionStore(path: folder + "/s.sqlite")
        return (store, SessionRegistry(conversation: engine, store: store, idleExpiry: .seconds(3600)))
    }

    @Test("a session idle for the expiry starts again, and purge removes it")
    func expiry() async throws {
        let clock = ManualClock()
        let store = MemorySessionStore()
        let registry = SessionRegistry(conversation: engine, store: store, idleExpiry: .seconds(3600), now: { clock.now })
        _ = try await registry.respond(session: "a", text: "my left calf cramps at night")
        clock.advance(3600)
        #expect(try await registry.state("a")?.findings.values(of: .side) == ["left"], "idle for exactly the expiry: kept")
        _ = try await registry.respond(session: "a", text: "a few seconds")
        clock.advance(3601)
        #expect(try await registry.state("a") == nil, "expired")
        _ = try await registry.respond(session: "a", text: "hello")
        #expect(try await registry.state("a")?.findings == Findings(), "a new conversation, nothing carried over")
        clock.advance(3600)
        #expect(await registry.purgeExpired() == 0)
        clock.advance(1)
        #expect(await registry.purgeExpired() == 1)
        #expect(store.count == 0)
    }

    @Test("a stored state naming an id the knowledge model dropped restarts with a message to the person")
    func droppedKnowledgeId() async throws {
        let store = MemorySessionStore()
        var old = SessionState()
        old.stage = .triggers
        old.findings.present = [Finding(.location, "calf"), Finding(.trigger, "an_id_since_removed")]
        try store.commit([SessionWrite(id: "a", change: .save(old), time: Date().timeIntervalSince1970, knowledge: "2020.01.01-1")])
        let registry = SessionRegistry(conversation: engine, store: store, idleExpiry: .seconds(3600))
        let reply = try await registry.respond(session: "a", text: "my foot cramps")
        #expect(reply.reply.hasPrefix(Conversation.restartNotice))
        #expect(reply.slots.location == ["foot"], "the new conversation took this message")
        let next = try await registry.respond(session: "a", text: "at night")
        #expect(!next.reply.contains(Conversation.restartNotice), "the notice is given once")
    }

    @Test("an unreadable stored state restarts with a message to the person")
    func unreadable() async throws {
        let registry = SessionRegistry(conversation: engine, store: UnreadableStore(), idleExpiry: .seconds(3600))
        let reply = try await registry.respond(session: "a", text: "my calf cramps")
        #expect(reply.reply.hasPrefix(Conversation.restartNotice))
    }

    @Test("concurrent turns on a durable store are committed in shared transactions, each before its reply")
    func groupCommit() async throws {
        let (store, registry) = try Self.durableRegistry()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let reply = try await registry.respond(session: "s\(index % 50)", text: "my calf cramps at night")
                    // The reply is out only after the commit: a new store on the same file sees it.
                    store.dropCache()
                    #expect(try store.load("s\(index % 50)") != nil)
                    _ = reply
                }
            }
            try await group.waitForAll()
        }
        let statistics = try #require(await registry.commitStatistics)
        #expect(statistics.writes == 200)
        #expect(statistics.transactions < 200, "concurrent commits were grouped (\(statistics.transactions) transactions)")
        for index in 0..<50 { #expect(try await registry.state("s\(index)")?.turns == 4) }
    }

    @Test("a turn given an event loop is answered on that loop, after its commit, whichever thread committed it")
    func completionsOnTheirLoop() async throws {
        let (store, registry) = try Self.durableRegistry()
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let answers = try await withThrowingTaskGroup(of: (Bool, Bool).self) { group in
            for index in 0..<120 {
                let loop = loops.next()
                group.addTask {
                    try await withCheckedThrowingContinuation { continuation in
                        registry.respond(session: "s\(index % 40)", text: "my calf cramps at night", render: { $0 }, on: loop) { result in
                            let committed = (try? store.load("s\(index % 40)")) != nil
                            continuation.resume(with: result.map { _ in (loop.inEventLoop, committed) }.mapError { $0 as any Error })
                        }
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        try await loops.shutdownGracefully()
        #expect(answers.count == 120)
        #expect(answers.allSatisfy { $0.0 }, "every reply came on the connection's loop")
        #expect(answers.allSatisfy { $0.1 }, "every reply came after its commit")
        let statistics = try #require(registry.commitStatistics)
        #expect(statistics.writes == 120)
    }

    @Test("after every turn of a conversation (answers, back, questions, facts said again) the file holds the state the next turn starts from")
    func durableStateFollowsEveryTurn() async throws {
        let (store, registry) = try Self.durableRegistry()
        let lines = [
            "my left calf cramps at night", "a few seconds", "back", "a few seconds", "what causes cramps?",
            "a few times a week", "for years", "none of those", "no", "I'm 67", "not sure", "not sure", "not sure",
            "is quinine safe?", "my left calf cramps at night", "back", "back", "what should I do?", "at night"
        ]
        for (index, line) in lines.enumerated() {
            _ = try await registry.respond(session: "a", text: line)
            let expected = try #require(registry.state("a"))
            // A store of its own on the same file: nothing cached, everything read from disk.
            let fresh = try SQLiteSessionStore(path: store.path)
            guard case .session(let stored) = try fresh.load("a") else {
                Issue.record("no session after line \(index)")
                return
            }
            #expect(stored.state == expected, "after line \(index): \(line)")
            #expect(stored.state.turns == index + 1)
        }
    }
}
