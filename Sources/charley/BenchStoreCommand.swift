import ArgumentParser
import Conversation
import Foundation
import SocketServer
import Storage

struct BenchStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "The cost of the SQLite session store: commits one at a time and in groups, loads, size on disk.",
        discussion: """
            Builds SESSIONS real mid-interview states, then commits them to a new store in a \
            temporary folder (one transaction per write, then groups of --batch), for each \
            durability, and reads them back with the cache dropped.
            """)

    @Option(help: "Sessions to write.")
    var sessions = 2000

    @Option(help: "Writes per transaction in the grouped run.")
    var batch = 32

    @Option(help: "The folder for the temporary stores (the disk measured).")
    var folder = FileManager.default.temporaryDirectory.path

    func run() async throws {
        let conversation = try loadConversationOrExit()
        let lines = ["my left calf cramps at night", "a few minutes", "most nights", "years", "nothing"]
        let states: [SessionState] = (0..<sessions).map { index in
            var state = SessionState()
            for line in lines.prefix(1 + index % lines.count) { _ = conversation.respond(to: line, state: &state) }
            return state
        }
        let encoded = try states.map { try JSONEncoder().encode($0).count }
        print("store: \(sessions) sessions, state JSON mean \(encoded.reduce(0, +) / max(encoded.count, 1)) bytes")
        let clock = ContinuousClock()
        for durability in SQLiteSessionStore.Durability.allCases {
            let directory = folder + "/charley-bench-store-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let store = try SQLiteSessionStore(path: directory + "/s.sqlite", durability: durability)
            func writes(_ range: Range<Int>, round: Int) -> [SessionWrite] {
                range.map { SessionWrite(id: "s\($0)", change: .save(states[$0]), time: Double(round), knowledge: conversation.knowledge.version) }
            }
            var start = clock.now
            for index in 0..<sessions { try store.commit(writes(index..<index + 1, round: 1)) }
            let single = micros(clock.now - start) / Double(sessions)
            start = clock.now
            for first in stride(from: 0, to: sessions, by: batch) { try store.commit(writes(first..<min(first + batch, sessions), round: 2)) }
            let grouped = micros(clock.now - start) / Double(sessions)
            // A later turn that leaves the undo history as it was (a question, a fact said
            // again), encoded and committed in groups as the daemon does: first with the history
            // written again, then with the state alone (format 2).
            func laterTurn(_ round: Int, historyUnchanged: Bool) throws -> Double {
                let start = clock.now
                for first in stride(from: 0, to: sessions, by: batch) {
                    try store.commit(
                        (first..<min(first + batch, sessions)).map {
                            var state = states[$0]
                            state.turns += round - 2
                            var write = SessionWrite(id: "s\($0)", change: .save(state), time: Double(round), knowledge: conversation.knowledge.version)
                            write.undoUnchanged = historyUnchanged
                            write.encodeState()
                            return write
                        })
                }
                return micros(clock.now - start) / Double(sessions)
            }
            let historyAgain = try laterTurn(3, historyUnchanged: false)
            let stateAlone = try laterTurn(4, historyUnchanged: true)
            store.dropCache()
            start = clock.now
            for index in 0..<sessions { _ = try store.load("s\(index)") }
            let load = micros(clock.now - start) / Double(sessions)
            start = clock.now
            for index in 0..<sessions { _ = try store.load("s\(index)") }
            let cached = micros(clock.now - start) / Double(sessions)
            try store.checkpoint()
            let size = ["", "-wal"].compactMap { try? FileManager.default.attributesOfItem(atPath: directory + "/s.sqlite" + $0)[.size] as? Int }.reduce(0, +)
            // Whole turns through the daemon's registry, one at a time and 64 at once.
            store.dropCache()
            let registry = SessionRegistry(conversation: conversation, store: store, idleExpiry: .seconds(86400))
            start = clock.now
            for index in 0..<sessions { _ = try await registry.respond(session: "t\(index % 64)", text: lines[index % lines.count]) }
            let turn = micros(clock.now - start) / Double(sessions)
            start = clock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<64 {
                    group.addTask {
                        for index in 0..<(sessions / 64) {
                            _ = try await registry.respond(session: "u\(task)", text: lines[index % lines.count])
                        }
                    }
                }
                try await group.waitForAll()
            }
            let concurrent = micros(clock.now - start) / Double(sessions / 64 * 64)
            let statistics = registry.commitStatistics
            print(
                String(
                    format: "  %@: turns through the registry: one at a time %.1f µs a turn, 64 at once %.1f µs a turn (%d transactions for %d writes)",
                    durability.rawValue, turn, concurrent, statistics?.transactions ?? 0, statistics?.writes ?? 0))
            print(
                String(
                    format:
                        "  %@: commit alone %.1f µs a write; in groups of %d %.1f µs a write; load from disk %.1f µs, from cache %.2f µs; %d bytes on disk after a checkpoint (%.0f a session)",
                    durability.rawValue, single, batch, grouped, load, cached, size, Double(size) / Double(sessions)))
            print(
                String(
                    format:
                        "  %@: a turn that leaves the undo history as it was, encoded and committed in groups of %d: %.1f µs with the history written again, %.1f µs with the state alone",
                    durability.rawValue, batch, historyAgain, stateAlone))
        }
    }
}
