import Foundation
import GRDB
import TestSupport
import Testing

/// The session store seen from outside: a real daemon, real sockets, real crashes.
@Suite("Sessions survive restarts and crashes", .serialized)
struct PersistenceTests {
    static let script = [
        "my left calf cramps at night", "a few minutes", "most nights", "years", "nothing I can think of",
        "none of these", "45", "no", "no", "what causes cramps?", "how do I stop a cramp?", "is quinine safe?"
    ]

    /// What one client knows of its sessions: turns sent, turns whose reply came back, and the
    /// slots of the last reply.
    final class Ledger: @unchecked Sendable {
        var sent: [String: Int] = [:]
        var acknowledged: [String: Int] = [:]
        var slots: [String: NSDictionary] = [:]
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }

    @Test("kill -9 in the middle of a load of many sessions: no acknowledged turn is lost")
    func crashUnderLoad() throws {
        // A slow disk (20 ms a commit) widens the window in which a reply sent before its commit
        // would be lost, so that this test catches it.
        let daemon = try Daemon(["--test-commit-delay-ms", "20"])
        daemon.keepsFolder = true
        let clients = 8
        let sessionsPerClient = 12
        let ledgers = (0..<clients).map { _ in Ledger() }
        let counter = Counter()
        let socketPath = daemon.socketPath
        let group = DispatchGroup()
        for client in 0..<clients {
            // Threads of their own: the global queue may run only a few blocking clients at once.
            group.enter()
            Thread {
                defer { group.leave() }
                guard let connection = try? LineClient(path: socketPath) else { return }
                let ledger = ledgers[client]
                // Pipelined: all of a client's sessions get their next line, then the replies are read.
                for round in 0..<1000 {
                    let text = Self.script[round % Self.script.count]
                    let ids = (0..<sessionsPerClient).map { "c\(client)-s\($0)" }
                    for id in ids {
                        connection.send(json: ["session": id, "text": text])
                        ledger.sent[id, default: 0] += 1
                    }
                    for _ in ids {
                        guard let reply = connection.readJSON(timeout: 5), let id = reply["session"] as? String,
                            reply["error"] == nil
                        else { return }
                        ledger.acknowledged[id, default: 0] += 1
                        ledger.slots[id] = reply["slots"] as? NSDictionary
                        counter.add()
                    }
                }
            }.start()
        }
        // Let the load run, then crash the daemon while it is under way.
        let deadline = Date().addingTimeInterval(20)
        while counter.value < 600 && Date() < deadline { usleep(5_000) }
        daemon.crash()
        #expect(group.wait(timeout: .now() + 15) == .success)
        #expect(counter.value >= 600, "the load ran before the crash")

        let restarted = try Daemon(folder: daemon.folder)
        let checker = try LineClient(path: restarted.socketPath)
        var checked = 0
        var inFlightKept = 0
        for ledger in ledgers {
            for (id, sent) in ledger.sent {
                let acknowledged = ledger.acknowledged[id] ?? 0
                checker.send(json: ["session": id, "type": "state"])
                let state = try #require(checker.readJSON())
                let turns = state["turns"] as? Int ?? 0
                #expect(turns >= acknowledged, "\(id): \(acknowledged) turns acknowledged, \(turns) stored")
                #expect(turns <= sent, "\(id): more turns stored than were sent")
                if turns == acknowledged, acknowledged > 0 {
                    #expect(state["slots"] as? NSDictionary == ledger.slots[id], "\(id): the stored state is the acknowledged one")
                }
                if turns > acknowledged { inFlightKept += 1 }
                checked += 1
            }
        }
        #expect(checked == clients * sessionsPerClient)
        // And the conversations go on from where they were.
        checker.send(json: ["session": "c0-s0", "type": "state"])
        let before = try #require(checker.readJSON()?["turns"] as? Int)
        checker.send(json: ["session": "c0-s0", "text": "what causes cramps?"])
        let reply = try #require(checker.readJSON())
        #expect(reply["error"] == nil && reply["stage"] as? String != "greeting")
        checker.send(json: ["session": "c0-s0", "type": "state"])
        #expect(checker.readJSON()?["turns"] as? Int == before + 1)
        #expect(restarted.stop() == 0)
        // Not asserted (it depends on timing): turns whose reply never left were kept whole.
        print("kill -9 test: \(checked) sessions checked, \(inFlightKept) kept a turn whose reply was not received")
    }

    @Test("a clean restart keeps every session; an expired one starts again")
    func restart() throws {
        let first = try Daemon(["--idle-minutes", "1"])
        first.keepsFolder = true
        let client = try LineClient(path: first.socketPath)
        client.send(json: ["session": "tg:1", "text": "my right foot cramps when I swim"])
        _ = client.readJSON()
        #expect(first.stop() == 0)

        let second = try Daemon(["--idle-minutes", "1"], folder: first.folder)
        let again = try LineClient(path: second.socketPath)
        again.send(json: ["session": "tg:1", "type": "state"])
        let state = try #require(again.readJSON())
        #expect((state["slots"] as? [String: Any])?["side"] as? String == "right")
        #expect(second.stop() == 0)
    }

    @Test("a corrupt store: the daemon refuses to start and says how to recover; --store-recover starts it")
    func corruptStore() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("charley-corrupt-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("charley"), withIntermediateDirectories: true)
        let store = folder.appendingPathComponent("charley/sessions.sqlite")
        try Data(repeating: 0x5a, count: 4096).write(to: store)

        let (status, message) = try charley(
            ["serve", "--socket", folder.appendingPathComponent("c.sock").path],
            environment: ["XDG_STATE_HOME": folder.path])
        #expect(status == 1)
        #expect(message.contains(store.path))
        #expect(message.contains("--store-recover"))

        let recovered = try Daemon(["--store-recover"], folder: folder)
        let client = try LineClient(path: recovered.socketPath)
        client.send(json: ["session": "a", "text": "my calf cramps"])
        #expect(client.readJSON()?["stage"] != nil)
        let moved = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("charley").path)
            .filter { $0.hasPrefix("sessions.sqlite.unusable-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }
        #expect(moved.count == 1, "the old file was moved aside, not deleted")
        _ = recovered.stop()
    }

    @Test("without --keep-transcripts the store holds no words of the person; with it, it does")
    func transcripts() throws {
        for keep in [false, true] {
            let daemon = try Daemon(keep ? ["--keep-transcripts"] : [])
            let client = try LineClient(path: daemon.socketPath)
            client.send(json: ["session": "p", "text": "my aunt Zebedina says my left calf cramps at night"])
            _ = client.readJSON()
            #expect(daemon.stop() == 0)
            let bytes = ["", "-wal"].compactMap { try? Data(contentsOf: URL(fileURLWithPath: daemon.storePath + $0)) }
                .reduce(Data(), +)
            #expect((bytes.range(of: Data("Zebedina".utf8)) != nil) == keep, keep ? "kept with --keep-transcripts" : "not kept by default")
        }
    }

    /// Runs `charley ARGUMENTS` on a daemon's store; returns the exit status and what it printed.
    func charley(_ arguments: [String], store: String) throws -> (Int32, String) {
        try charley(arguments + ["--store", store])
    }

    /// Runs `charley ARGUMENTS`; returns the exit status and what it printed (both streams).
    func charley(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String) {
        let (output, status) = try CharleyProcess.run(arguments, environment: environment, mergingErrors: true)
        return (status, output)
    }

    @Test("charley sessions list, show and purge work on a running daemon's store")
    func operatorCommands() throws {
        let daemon = try Daemon(["--keep-transcripts"])
        let client = try LineClient(path: daemon.socketPath)
        for (session, text) in [("tg:1", "my left calf cramps at night"), ("tg:2", "my foot cramps"), ("tg:1", "a few seconds")] {
            client.send(json: ["session": session, "text": text])
            _ = client.readJSON()
        }
        let (listed, list) = try charley(["sessions", "list", "--json"], store: daemon.storePath)
        #expect(listed == 0)
        let rows = list.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(rows.map { $0["id"] as? String } == ["tg:1", "tg:2"], "most recently used first")
        #expect(rows.first?["turns"] as? Int == 2)

        let (shown, show) = try charley(["sessions", "show", "tg:1"], store: daemon.storePath)
        #expect(shown == 0)
        #expect(show.contains("the left leg"))
        #expect(show.contains("person: my left calf cramps at night"))
        #expect(try charley(["sessions", "show", "nobody"], store: daemon.storePath).0 == 1)

        #expect(try charley(["sessions", "purge", "--older-than", "1h"], store: daemon.storePath).1.contains("purged 0 sessions"))
        #expect(try charley(["sessions", "purge", "--all"], store: daemon.storePath).1.contains("purged 2 sessions"))
        #expect(try charley(["sessions", "list"], store: daemon.storePath).1.hasPrefix("0 sessions"))
        #expect(try charley(["sessions", "list"], store: daemon.folder.path + "/missing.sqlite").0 == 1)
        #expect(daemon.stop() == 0)
    }

    @Test("a store that fails while running: that message gets store_unavailable and is not taken; others go on")
    func storeFailsAtRuntime() throws {
        let daemon = try Daemon()
        let client = try LineClient(path: daemon.socketPath)
        client.send(json: ["session": "fine", "text": "my left calf cramps at night"])
        #expect(client.readJSON()?["stage"] != nil)
        // Another connection to the file makes every write of one session fail, as a full disk would.
        try DatabaseQueue(path: daemon.storePath).write {
            try $0.execute(
                sql: """
                    CREATE TRIGGER refuse_insert BEFORE INSERT ON session WHEN NEW.id = 'doomed' BEGIN SELECT RAISE(ABORT, 'disk full'); END;
                    CREATE TRIGGER refuse_update BEFORE UPDATE ON session WHEN NEW.id = 'doomed' BEGIN SELECT RAISE(ABORT, 'disk full'); END;
                    """)
        }
        client.send(json: ["session": "doomed", "text": "my foot cramps"])
        let failed = try #require(client.readJSON())
        #expect((failed["error"] as? [String: Any])?["code"] as? String == "store_unavailable")
        client.send(json: ["session": "doomed", "type": "state"])
        #expect(client.readJSON()?["exists"] as? Bool == false, "the turn that could not be saved was not taken")
        client.send(json: ["session": "fine", "text": "a few seconds"])
        let reply = try #require(client.readJSON())
        #expect(reply["error"] == nil && (reply["slots"] as? [String: Any])?["duration"] as? String == "seconds")
        #expect(daemon.stop() == 0)
    }

    @Test("replies keep the order of their lines when a turn waits for its commit and a ping does not")
    func orderAcrossCommits() throws {
        let daemon = try Daemon(["--test-commit-delay-ms", "50"])
        let client = try LineClient(path: daemon.socketPath)
        client.send(json: ["session": "slow", "text": "my calf cramps at night"])
        client.send(json: ["type": "ping", "session": "quick"])
        client.send(json: ["session": "slow", "text": "left"])
        client.send(json: ["type": "state", "session": "slow"])
        let replies = (0..<4).compactMap { _ in client.readJSON() }
        #expect(replies.map { $0["session"] as? String } == ["slow", "quick", "slow", "slow"])
        #expect(replies[1]["type"] as? String == "pong")
        #expect((replies[2]["slots"] as? [String: Any])?["side"] as? String == "left", "the second turn built on the first")
        #expect(replies[3]["turns"] as? Int == 2)
        #expect(daemon.stop() == 0)
    }

    @Test("at the default log level the daemon's log holds no health data: no words, no findings, not when a stored session is dropped")
    func logsHoldNoHealthData() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("charley-logs-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("charley"), withIntermediateDirectories: true)
        // A session saved under an older knowledge model, naming a finding since removed.
        let first = try Daemon(folder: folder)
        first.keepsFolder = true
        let client = try LineClient(path: first.socketPath)
        client.send(json: ["session": "old", "text": "my left calf cramps at night"])
        _ = client.readJSON()
        #expect(first.stop() == 0)
        try DatabaseQueue(path: first.storePath).write {
            try $0.execute(
                sql: """
                    UPDATE session SET knowledge = '2020.01.01-1',
                        state = replace(state, '"location:calf"', '"condition:a_removed_condition"') WHERE id = 'old'
                    """)
        }
        let log = folder.appendingPathComponent("daemon.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let daemon = try Daemon(folder: folder, stderr: handle)
        let again = try LineClient(path: daemon.socketPath)
        again.send(json: ["session": "old", "text": "I also have pins and needles in my foot"])
        let reply = try #require(again.readJSON())
        #expect((reply["reply"] as? String)?.hasPrefix("Sorry, I couldn't pick up our earlier conversation") == true)
        #expect(daemon.stop() == 0)
        try handle.close()
        let text = try String(contentsOf: log, encoding: .utf8)
        #expect(text.contains("starts again"), "the restart is logged")
        for health in ["a_removed_condition", "condition:", "pins and needles", "tingling", "calf", "foot"] {
            #expect(!text.contains(health), "the log mentions '\(health)'")
        }
    }
}
