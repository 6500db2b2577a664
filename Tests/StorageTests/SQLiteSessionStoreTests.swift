import DialogueTesting
import Foundation
import GRDB
import Knowledge
import Testing

@testable import Conversation
@testable import Storage

let conversation: Conversation = {
    do { return try Conversation.bundled() } catch { fatalError("the conversation does not load: \(error)") }
}()

/// A fresh folder for one test's store.
func temporaryFolder() throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("charley-store-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
}

func save(_ store: any SessionStore, _ id: String, _ state: SessionState, at time: Double = 1_800_000_000, said: String? = nil) throws {
    let transcript = said.map { TranscriptEntry(turn: state.turns, said: $0, reply: "ok", at: time) }
    try store.commit([
        SessionWrite(
            id: id, change: .save(state), time: time, knowledge: conversation.knowledge.version,
            transcript: transcript)
    ])
}

@Suite("The SQLite session store")
struct SQLiteSessionStoreTests {
    @Test("every state of every scripted dialogue survives a round trip through the file")
    func roundTripEveryStage() throws {
        let folder = try temporaryFolder()
        let store = try SQLiteSessionStore(path: folder + "/s.sqlite")
        let dialogues = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Dialogues")
        var stages = Set<Stage>()
        var checked = 0
        for file in try DialogueRunner.files(at: [dialogues.path]) {
            let script = try DialogueScript.parse(String(contentsOf: file, encoding: .utf8), file: file.lastPathComponent)
            var state = SessionState()
            for turn in script.turns {
                _ = conversation.respond(to: turn.text, state: &state)
                let id = "\(file.lastPathComponent)"
                try store.commit([
                    SessionWrite(
                        id: id, change: state.stage == .ended ? .delete : .save(state), time: 1,
                        knowledge: conversation.knowledge.version)
                ])
                store.dropCache()
                if state.stage == .ended {
                    #expect(try store.load(id) == nil, "an ended conversation is deleted")
                } else {
                    #expect(
                        try store.load(id) == .session(StoredSession(id: id, state: state, updated: 1, knowledge: conversation.knowledge.version)),
                        "\(file.lastPathComponent):\(turn.line)")
                    #expect(conversation.problem(resuming: state) == nil)
                }
                stages.insert(state.stage)
                checked += 1
            }
        }
        // The assessment is given within a turn, which then leaves the stage at followup.
        let storable = Set(Stage.allCases).subtracting([.assessment])
        #expect(stages == storable, "missing: \(storable.subtracting(stages))")
        #expect(checked > 200)
    }

    @Test("the file is 0600 in a folder made 0700, and WAL mode is on")
    func privateFiles() throws {
        let folder = try temporaryFolder() + "/new/charley"
        let store = try SQLiteSessionStore(path: folder + "/s.sqlite", createFolder: true)
        try save(store, "a", SessionState())
        let attributes = try FileManager.default.attributesOfItem(atPath: folder)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
        for suffix in ["", "-wal", "-shm"] {
            let mode = try FileManager.default.attributesOfItem(atPath: folder + "/s.sqlite" + suffix)[.posixPermissions] as? Int
            #expect(mode == 0o600, "s.sqlite\(suffix)")
        }
        let mode = try DatabaseQueue(path: folder + "/s.sqlite").read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        #expect(try store.synchronousSetting() == 2, "durability full: FULL, not the NORMAL GRDB sets for WAL")
        let normal = try SQLiteSessionStore(path: folder + "/n.sqlite", durability: .normal)
        #expect(try normal.synchronousSetting() == 1)
    }

    @Test("a missing folder is an error naming it, unless it is the default one")
    func missingFolder() throws {
        #expect(throws: StoreError.failed("the folder /nonexistent-charley/x for the session store does not exist; create it or choose another --store path")) {
            _ = try SQLiteSessionStore(path: "/nonexistent-charley/x/s.sqlite")
        }
    }

    @Test("a file that is not a database: a clear error, and --store-recover moves it aside without losing it")
    func corruptFile() throws {
        let path = try temporaryFolder() + "/s.sqlite"
        let junk = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 7919) })
        try junk.write(to: URL(fileURLWithPath: path))
        do {
            _ = try SQLiteSessionStore(path: path)
            Issue.record("a junk file opened as a store")
        } catch {
            #expect(error.description.contains(path))
            #expect(error.description.contains("--store-recover"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == junk, "the failed open left the file alone")

        let store = try SQLiteSessionStore(path: path, recover: true)
        let aside = try #require(store.recoveredTo)
        #expect(try Data(contentsOf: URL(fileURLWithPath: aside)) == junk, "the old file is kept, moved aside")
        try save(store, "a", SessionState())
        #expect(try store.count() == 1)
    }

    @Test("a store written by a newer Charley is refused, not migrated backwards")
    func newerSchema() throws {
        let path = try temporaryFolder() + "/s.sqlite"
        _ = try SQLiteSessionStore(path: path)
        try DatabaseQueue(path: path).write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v9-from-the-future')") }
        do {
            _ = try SQLiteSessionStore(path: path)
            Issue.record("a newer store opened")
        } catch {
            #expect(error.description.contains("newer Charley"))
        }
    }

    @Test("a store of the first schema is migrated; old states load, unreadable ones say so")
    func migrationFromV1() throws {
        let path = try temporaryFolder() + "/s.sqlite"
        let fixture = try #require(Bundle.module.url(forResource: "schema-v1", withExtension: "sql", subdirectory: "Fixtures"))
        let sql = try String(contentsOf: fixture, encoding: .utf8)
        try DatabaseQueue(path: path).write { try $0.execute(sql: sql) }

        let store = try SQLiteSessionStore(path: path)
        #expect(try store.appliedMigrations() == ["v1-sessions", "v2-metadata-transcripts", "v3-no-updated-index", "v4-undo-column"])
        let indexes = try DatabaseQueue(path: path).read {
            try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'session'")
        }
        #expect(!indexes.contains("session_updated"), "v3 dropped the index every turn had to update")
        let summaries = try store.list(limit: 10)
        #expect(summaries.map(\.id) == ["old:4", "old:3", "old:2", "old:1"])
        #expect(summaries.last?.stage == "onset", "the migration filled in the stage from the old state")

        guard case .session(let old) = try store.load("old:1") else {
            Issue.record("old:1 did not load")
            return
        }
        #expect(old.state.stage == .onset)
        #expect(old.state.pending == "duration")
        #expect(old.state.turns == 0 && old.state.undo.isEmpty && !old.state.reasked, "fields it lacked take their defaults")
        #expect(conversation.problem(resuming: old.state) == nil)

        guard case .unreadable = try store.load("old:2") else {
            Issue.record("an unknown stage was read")
            return
        }
        guard case .unreadable = try store.load("old:4") else {
            Issue.record("garbage was read")
            return
        }
        guard case .session(let dropped) = try store.load("old:3") else {
            Issue.record("old:3 did not load")
            return
        }
        #expect(conversation.problem(resuming: dropped.state)?.contains("trigger:old_trigger_id") == true)

        // And the old conversation goes on where it was.
        var state = old.state
        let reply = conversation.respond(to: "a few seconds", state: &state)
        #expect(state.findings.present.contains(Finding(.duration, "seconds")))
        #expect(reply.stage == .onset)
    }

    @Test("purge removes sessions and transcripts idle since before the time, and nothing newer")
    func purge() throws {
        let store = try SQLiteSessionStore(path: try temporaryFolder() + "/s.sqlite")
        try save(store, "old", SessionState(), at: 100, said: "old words")
        try save(store, "new", SessionState(), at: 200, said: "new words")
        #expect(try store.purge(updatedBefore: 150) == 1)
        #expect(try store.load("old") == nil)
        #expect(try store.list(limit: 10).map(\.id) == ["new"])
        #expect(try store.transcript("old").isEmpty)
        #expect(try store.transcript("new").map(\.said) == ["new words"])
        store.dropCache()
        #expect(try store.load("old") == nil, "gone from the file too")
    }

    @Test("purge removes thousands of expired sessions (deleted a thousand a transaction) and keeps the rest")
    func purgeMany() throws {
        let store = try SQLiteSessionStore(path: try temporaryFolder() + "/s.sqlite")
        var writes: [SessionWrite] = []
        for index in 0..<2600 {
            writes.append(SessionWrite(id: "s\(index)", change: .save(SessionState()), time: index % 3 == 0 ? 500 : 100, knowledge: "k"))
        }
        try store.commit(writes)
        #expect(try store.purge(updatedBefore: 150) == 2600 - 867)
        store.dropCache()
        #expect(try store.count() == 867)
        #expect(try store.load("s3") != nil)
        #expect(try store.load("s1") == nil)
        #expect(try store.purge(updatedBefore: 150) == 0, "nothing left to purge")
    }

    @Test("a session used between purge finding it expired and deleting it is kept")
    func purgeKeepsASessionUsedMeanwhile() throws {
        let store = try SQLiteSessionStore(path: try temporaryFolder() + "/s.sqlite")
        try save(store, "busy", SessionState(), at: 100)
        try save(store, "idle", SessionState(), at: 100)
        var state = SessionState()
        state.turns = 1
        let removed = try store.purge(updatedBefore: 150) { try save(store, "busy", state, at: 200) }
        #expect(removed == 1)
        store.dropCache()
        guard case .session(let busy) = try store.load("busy") else {
            Issue.record("the session used meanwhile was purged")
            return
        }
        #expect(busy.state.turns == 1)
        #expect(try store.load("idle") == nil)
    }

    /// A conversation's state after each of `lines`.
    static func states(_ lines: [String]) -> [SessionState] {
        var state = SessionState()
        return lines.map { line in
            _ = conversation.respond(to: line, state: &state)
            return state
        }
    }

    @Test("a turn that leaves the undo history as it was writes the state alone; the history kept is the one written before")
    func undoWrittenOnlyWhenChanged() throws {
        let store = try SQLiteSessionStore(path: try temporaryFolder() + "/s.sqlite")
        let states = Self.states(["my left calf cramps at night", "a few seconds", "a few times a week", "is quinine safe?"])
        #expect(states[3].hasSameUndo(as: states[2]) && !states[2].hasSameUndo(as: states[1]), "the question left the history as it was")
        try save(store, "a", states[2])
        var write = SessionWrite(id: "a", change: .save(states[3]), time: 1_800_000_100, knowledge: conversation.knowledge.version)
        write.undoUnchanged = true
        write.encodeState()
        #expect(write.encodedUndo == nil, "no history encoded for an unchanged one")
        try store.commit([write])
        store.dropCache()
        #expect(try store.load("a") == .session(StoredSession(id: "a", state: states[3], updated: 1_800_000_100, knowledge: conversation.knowledge.version)))

        // The store takes the writer's word: a history claimed unchanged is not written. (So the
        // state below reads back with the history of states[3], not its own.)
        var claimed = states[3]
        claimed.turns += 1
        claimed.undo.removeLast()
        write = SessionWrite(id: "a", change: .save(claimed), time: 1_800_000_200, knowledge: conversation.knowledge.version)
        write.undoUnchanged = true
        try store.commit([write])
        store.dropCache()
        guard case .session(let loaded) = try store.load("a") else {
            Issue.record("a did not load")
            return
        }
        #expect(loaded.state.undo == states[3].undo && loaded.state.turns == claimed.turns)
    }

    @Test("an unchanged history is written all the same over a row that is not the turn before: none, an older format, a turn missing")
    func undoWrittenWhenTheRowCannotHoldIt() throws {
        let path = try temporaryFolder() + "/s.sqlite"
        let store = try SQLiteSessionStore(path: path)
        let states = Self.states(["my left calf cramps at night", "a few seconds", "a few times a week", "for years", "is quinine safe?"])
        func write(_ id: String, _ state: SessionState) throws {
            var write = SessionWrite(id: id, change: .save(state), time: 1_800_000_000, knowledge: conversation.knowledge.version)
            write.undoUnchanged = true
            write.encodeState()
            try store.commit([write])
        }
        func reloaded(_ id: String) throws -> SessionState? {
            store.dropCache()
            guard case .session(let stored) = try store.load(id) else { return nil }
            return stored.state
        }
        // No row.
        try write("none", states[4])
        #expect(try reloaded("none") == states[4])
        // A row of format 1, its history inside its state.
        try save(store, "old", states[3])
        try DatabaseQueue(path: path).write { db in
            try db.execute(
                sql: "UPDATE session SET state = ?, undo = NULL, format = 1 WHERE id = 'old'",
                arguments: [String(decoding: states[3].json(), as: UTF8.self)])
        }
        #expect(try reloaded("old") == states[3], "format 1 reads back whole")
        try write("old", states[4])
        #expect(try reloaded("old") == states[4])
        // A row two turns behind (the turn between was never committed).
        try save(store, "behind", states[2])
        try write("behind", states[4])
        #expect(try reloaded("behind") == states[4])
    }

    @Test("a batch commits all together or not at all")
    func atomicBatch() throws {
        let path = try temporaryFolder() + "/s.sqlite"
        let store = try SQLiteSessionStore(path: path)
        try save(store, "a", SessionState())
        // A trigger makes the second write of the batch fail inside the transaction.
        try DatabaseQueue(path: path).write {
            try $0.execute(sql: "CREATE TRIGGER refuse BEFORE INSERT ON session WHEN NEW.id = 'bad' BEGIN SELECT RAISE(ABORT, 'refused'); END")
        }
        var changed = SessionState()
        changed.turns = 5
        #expect(throws: StoreError.self) {
            try store.commit([
                SessionWrite(id: "a", change: .save(changed), time: 2, knowledge: "k"),
                SessionWrite(id: "bad", change: .save(changed), time: 2, knowledge: "k")
            ])
        }
        store.dropCache()
        guard case .session(let a) = try store.load("a") else {
            Issue.record("a is gone")
            return
        }
        #expect(a.state.turns == 0, "the first write of the failed batch was rolled back")
    }
}

@Suite("The in-memory session store")
struct MemorySessionStoreTests {
    @Test("it refuses new sessions beyond its limit, but still saves the ones it has")
    func limit() throws {
        let store = MemorySessionStore(maximumSessions: 2)
        try save(store, "a", SessionState())
        try save(store, "b", SessionState())
        #expect(throws: StoreError.full(2)) { try save(store, "c", SessionState()) }
        try save(store, "a", SessionState())
        #expect(store.count == 2)
    }

    @Test("it keeps transcripts only when a write carries one")
    func transcripts() throws {
        let store = MemorySessionStore()
        try save(store, "a", SessionState())
        try save(store, "a", SessionState(), said: "hello")
        #expect(try store.transcript("a").map(\.said) == ["hello"])
    }
}
