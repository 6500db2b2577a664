import Conversation
import Foundation
import GRDB
import GRDBSQLite

/// Sessions in a SQLite file through GRDB: WAL mode, `synchronous = FULL` (a commit is on disk
/// before it returns), file 0600 in a folder 0700. Keeps the structured state, and the person's
/// words only when transcripts are on. Recently used states are also held in memory so that a
/// turn reads nothing from disk; only committed states enter that cache.
public final class SQLiteSessionStore: SessionStore, @unchecked Sendable {
    /// The version of the state's stored form (`SessionState`'s JSON). A state of a newer form is
    /// unreadable here; an older one is read with defaults for what it lacks.
    /// 1: the whole state in `state`. 2: the state without its undo history in `state`, the
    /// history in `undo` (written only on the turns that change it).
    public static let stateFormat = 2

    public let path: String
    private let pool: DatabasePool
    private let cacheLimit: Int
    private var cache: [String: StoredSession] = [:]
    private let lock = NSLock()

    public var isDurable: Bool { true }

    /// Opens (creating if needed) the store at `path`. A file that is not a readable Charley
    /// store is an error naming the file and the way out, never silently replaced; with
    /// `recover` it is moved aside first (see `moveAside`).
    public init(
        path: String, cacheLimit: Int = 100_000, createFolder: Bool = false, recover: Bool = false,
        durability: Durability = .full
    ) throws(StoreError) {
        self.path = path
        self.cacheLimit = max(cacheLimit, 0)
        try Self.prepareFile(path, createFolder: createFolder)
        do {
            pool = try Self.open(path, durability: durability)
        } catch {
            guard recover else {
                throw .failed(
                    """
                    the session store \(path) cannot be used: \(error). Start with --store-recover to move it \
                    aside and begin with an empty store, or restore the file from a backup
                    """)
            }
            let aside = try Self.moveAside(path)
            try Self.prepareFile(path, createFolder: createFolder)
            do {
                pool = try Self.open(path, durability: durability)
            } catch {
                throw .failed("the session store \(path) was moved aside to \(aside) but a new one cannot be created: \(error)")
            }
            recoveredTo = aside
        }
    }

    /// Where an unusable store was moved by `recover`, if it was.
    public private(set) var recoveredTo: String?

    /// How hard a commit works to reach the disk.
    public enum Durability: String, Sendable, CaseIterable {
        /// fsync on every commit: survives a crash of the process and of the machine.
        case full
        /// WAL with `synchronous = NORMAL`: survives a crash of the process (kill -9); a power cut
        /// may lose the last commits.
        case normal
    }

    // MARK: - Opening

    static func prepareFile(_ path: String, createFolder: Bool) throws(StoreError) {
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
            guard createFolder else {
                throw .failed("the folder \(folder) for the session store does not exist; create it or choose another --store path")
            }
            do {
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
            } catch {
                throw .failed("cannot create the folder \(folder) for the session store: \(error.localizedDescription)")
            }
        } else if !isDirectory.boolValue {
            throw .failed("\(folder) is not a folder")
        }
        // SQLite gives its -wal and -shm files the database file's mode, so creating the file
        // 0600 first keeps all three private.
        let descriptor = Foundation.open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .failed("cannot open the session store \(path): \(String(cString: strerror(errno)))")
        }
        fchmod(descriptor, 0o600)
        close(descriptor)
    }

    static func open(_ path: String, durability: Durability) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.label = "charley.sessions"
        let synchronous = durability == .full ? "FULL" : "NORMAL"
        let pool = try DatabasePool(path: path, configuration: configuration)
        // GRDB sets NORMAL when it turns WAL on, after prepareDatabase: set ours on the writer now.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(synchronous)") }
        let migrator = Self.migrator
        try pool.read { db in
            let check = try String.fetchOne(db, sql: "PRAGMA quick_check") ?? "no answer"
            guard check == "ok" else { throw OpenFailure("the integrity check failed (\(check))") }
            if try migrator.hasBeenSuperseded(db) {
                throw OpenFailure("it was written by a newer Charley (its schema has migrations this one does not know)")
            }
        }
        try migrator.migrate(pool)
        return pool
    }

    struct OpenFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The schema's history. Never edit a migration that has shipped: add one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        // The first store: a state per session id.
        migrator.registerMigration("v1-sessions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE session (
                        id TEXT PRIMARY KEY NOT NULL,
                        state TEXT NOT NULL,
                        updated REAL NOT NULL
                    )
                    """)
        }
        // What operators list without decoding states, the state's format and knowledge version,
        // expiry by index, and optional transcripts.
        migrator.registerMigration("v2-metadata-transcripts") { db in
            try db.execute(
                sql: """
                    ALTER TABLE session ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
                    ALTER TABLE session ADD COLUMN knowledge TEXT NOT NULL DEFAULT '';
                    ALTER TABLE session ADD COLUMN stage TEXT NOT NULL DEFAULT '';
                    ALTER TABLE session ADD COLUMN turns INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE session ADD COLUMN triage TEXT;
                    UPDATE session SET
                        stage = CASE WHEN json_valid(state) THEN coalesce(json_extract(state, '$.stage'), '') ELSE '' END,
                        turns = CASE WHEN json_valid(state) THEN coalesce(json_extract(state, '$.turns'), 0) ELSE 0 END,
                        triage = CASE WHEN json_valid(state) THEN json_extract(state, '$.triage') END;
                    CREATE INDEX session_updated ON session(updated);
                    CREATE TABLE transcript (
                        session TEXT NOT NULL,
                        turn INTEGER NOT NULL,
                        said TEXT NOT NULL,
                        reply TEXT NOT NULL,
                        at REAL NOT NULL
                    );
                    CREATE INDEX transcript_session ON transcript(session, at);
                    CREATE INDEX transcript_at ON transcript(at);
                    """)
        }
        // Every turn moved its session's entry in this index: a page of the index written per
        // turn besides the session's own page, and a third of a durable turn's cost in SQLite
        // and the kernel (`charley bench store`: 9.6 -> 6.8 µs a write in groups of 32, no
        // sync). Its only users, purge and the operator's list, scan the table instead.
        migrator.registerMigration("v3-no-updated-index") { db in
            try db.execute(sql: "DROP INDEX IF EXISTS session_updated")
        }
        // The undo history apart from the state (format 2): most turns after the interview leave
        // it as it was, and need not encode and write it again. NULL: the history, if any, is in
        // `state` (format 1).
        migrator.registerMigration("v4-undo-column") { db in
            try db.execute(sql: "ALTER TABLE session ADD COLUMN undo TEXT")
        }
        return migrator
    }

    /// Moves the store and its -wal and -shm files aside, to `PATH.unusable-TIMESTAMP`; returns
    /// the new path of the main file.
    @discardableResult
    public static func moveAside(_ path: String) throws(StoreError) -> String {
        let stamp = Int(Date().timeIntervalSince1970)
        let aside = "\(path).unusable-\(stamp)"
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            guard rename(path + suffix, aside + suffix) == 0 else {
                throw .failed("cannot move \(path + suffix) aside: \(String(cString: strerror(errno)))")
            }
        }
        return aside
    }

    /// The migrations applied to the store, oldest first.
    public func appliedMigrations() throws(StoreError) -> [String] {
        try run { try pool.read { db in try Self.migrator.appliedMigrations(db) } }
    }

    // MARK: - SessionStore

    public func load(_ id: String) throws(StoreError) -> StoredSession.Loaded? {
        if let cached = lock.withLock({ cache[id] }) { return .session(cached) }
        let row = try run {
            try pool.read { db in
                try Row.fetchOne(db.cachedStatement(sql: "SELECT state, undo, updated, format, knowledge FROM session WHERE id = ?"), arguments: [id])
            }
        }
        guard let row else { return nil }
        let format: Int = row["format"]
        guard format <= Self.stateFormat else {
            return .unreadable(reason: "its state has format \(format), newer than this Charley's \(Self.stateFormat)")
        }
        let text: String = row["state"]
        let undo: String? = row["undo"]
        var state: SessionState
        do {
            state = try JSONDecoder().decode(SessionState.self, from: Data(text.utf8))
            if let undo { state.undo = try JSONDecoder().decode([SessionState.Snapshot].self, from: Data(undo.utf8)) }
        } catch {
            return .unreadable(reason: "its state cannot be decoded (\(StoredSession.decodingProblem(error)))")
        }
        let stored = StoredSession(id: id, state: state, updated: row["updated"], knowledge: row["knowledge"])
        remember([stored])
        return .session(stored)
    }

    public func commit(_ writes: [SessionWrite]) throws(StoreError) {
        guard !writes.isEmpty else { return }
        try run {
            try pool.write { db in
                // Looked up once a transaction (the cache is keyed by the whole SQL text).
                let save = try db.cachedStatement(sql: Self.saveSQL)
                let update = try db.cachedStatement(sql: Self.updateSQL)
                for write in writes {
                    switch write.change {
                    case .delete:
                        try db.cachedStatement(sql: "DELETE FROM session WHERE id = ?").execute(arguments: [write.id])
                    case .save(let state):
                        try Self.save(write, state, save: save, update: update)
                    }
                    if let line = write.transcript {
                        try db.cachedStatement(sql: "INSERT INTO transcript (session, turn, said, reply, at) VALUES (?, ?, ?, ?, ?)")
                            .execute(arguments: [write.id, line.turn, line.said, line.reply, line.at])
                    }
                }
            }
        }
        lock.withLock {
            for write in writes {
                switch write.change {
                case .delete: cache[write.id] = nil
                case .save(let state): cache[write.id] = StoredSession(id: write.id, state: state, updated: write.time, knowledge: write.knowledge)
                }
            }
            trimCache()
        }
    }

    /// Saves a state: with `updateSQL` when the write says the undo history is unchanged and the
    /// row holds the turn just before this one in this format (so its `undo` is that history);
    /// otherwise, or when that finds no such row, with `saveSQL`, history and all.
    private static func save(_ write: SessionWrite, _ state: SessionState, save: Statement, update: Statement) throws {
        let json = write.encodedState ?? state.json(undo: false)
        if write.undoUnchanged {
            try run(update, write, state, json: json, undo: nil)
            if sqlite3_changes(sqlite3_db_handle(update.sqliteStatement)) > 0 { return }
        }
        try run(save, write, state, json: json, undo: write.encodedUndo ?? state.undoJSON())
    }

    /// Binds and runs a save statement through SQLite's C interface: GRDB's general path boxed
    /// and converted eight values a write, two fifths of the writer thread's time in a profile.
    /// Text is bound from its UTF-8, so it is stored as TEXT exactly as before. Both statements
    /// number their parameters alike; `undo` is the ninth, when there is one.
    private static func run(_ statement: Statement, _ write: SessionWrite, _ state: SessionState, json: [UInt8], undo: [UInt8]?) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        func text(_ index: Int32, _ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
            // An empty buffer may have no address, which SQLite would read as NULL.
            guard let start = bytes.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, transient) }
            return start.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(handle, index, $0, Int32(bytes.count), transient)
            }
        }
        func text(_ index: Int32, _ string: String) -> Int32 {
            var string = string
            return string.withUTF8 { text(index, $0) }
        }
        var code = text(1, write.id)
        if code == SQLITE_OK { code = json.withUnsafeBufferPointer { text(2, $0) } }
        if code == SQLITE_OK { code = sqlite3_bind_double(handle, 3, write.time) }
        if code == SQLITE_OK { code = sqlite3_bind_int64(handle, 4, Int64(stateFormat)) }
        if code == SQLITE_OK { code = text(5, write.knowledge) }
        if code == SQLITE_OK { code = text(6, state.stage.rawValue) }
        if code == SQLITE_OK { code = sqlite3_bind_int64(handle, 7, Int64(state.turns)) }
        if code == SQLITE_OK { code = state.triage.map { text(8, $0.rawValue) } ?? sqlite3_bind_null(handle, 8) }
        if code == SQLITE_OK, let undo { code = undo.withUnsafeBufferPointer { text(9, $0) } }
        if code == SQLITE_OK { code = sqlite3_step(handle) }
        let message = code == SQLITE_DONE ? nil : String(cString: sqlite3_errmsg(sqlite3_db_handle(handle)))
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        if let message { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql) }
    }

    /// SQLite copies what is bound with this destructor.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    static let saveSQL = """
        INSERT INTO session (id, state, updated, format, knowledge, stage, turns, triage, undo)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
        ON CONFLICT(id) DO UPDATE SET state = excluded.state, updated = excluded.updated,
            format = excluded.format, knowledge = excluded.knowledge, stage = excluded.stage,
            turns = excluded.turns, triage = excluded.triage, undo = excluded.undo
        """

    /// The state without its history, only over the row of the turn before, in this format.
    static let updateSQL = """
        UPDATE session SET state = ?2, updated = ?3, knowledge = ?5, stage = ?6, turns = ?7, triage = ?8
        WHERE id = ?1 AND format = ?4 AND turns = ?7 - 1
        """

    public func purge(updatedBefore time: Double) throws(StoreError) -> Int {
        try purge(updatedBefore: time, between: nil)
    }

    /// `between` runs after the expired ids are found and before they are deleted (tests: a
    /// session used in that moment).
    func purge(updatedBefore time: Double, between: (() throws -> Void)?) throws(StoreError) -> Int {
        let expired = try run {
            try pool.read { db in try String.fetchAll(db, sql: "SELECT id FROM session WHERE updated < ?", arguments: [time]) }
        }
        try run { try between?() }
        var removed = 0
        var next = expired.startIndex
        repeat {
            let chunk = expired[next..<min(next + 1000, expired.endIndex)]
            next = chunk.endIndex
            removed += try run {
                try pool.write { db in
                    var count = 0
                    let delete = try db.cachedStatement(sql: "DELETE FROM session WHERE id = ? AND updated < ?")
                    for id in chunk {
                        try delete.execute(arguments: [id, time])
                        count += db.changesCount
                    }
                    if chunk.endIndex == expired.endIndex {
                        try db.execute(sql: "DELETE FROM transcript WHERE at < ?", arguments: [time])
                    }
                    return count
                }
            }
        } while next < expired.endIndex
        lock.withLock { cache = cache.filter { $0.value.updated >= time } }
        return removed
    }

    public func list(limit: Int) throws(StoreError) -> [SessionSummary] {
        try run {
            try pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, stage, turns, triage, updated, knowledge FROM session ORDER BY updated DESC LIMIT ?
                        """, arguments: [limit]
                ).map {
                    SessionSummary(
                        id: $0["id"], stage: $0["stage"], turns: $0["turns"], triage: $0["triage"],
                        updated: $0["updated"], knowledge: $0["knowledge"])
                }
            }
        }
    }

    public func transcript(_ id: String) throws(StoreError) -> [TranscriptEntry] {
        try run {
            try pool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT turn, said, reply, at FROM transcript WHERE session = ? ORDER BY at, rowid",
                    arguments: [id]
                ).map {
                    TranscriptEntry(turn: $0["turn"], said: $0["said"], reply: $0["reply"], at: $0["at"])
                }
            }
        }
    }

    /// Moves the WAL's pages into the database file and empties the WAL (benchmarks, backups).
    public func checkpoint() throws(StoreError) {
        try run { try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") } }
    }

    /// The writer's `PRAGMA synchronous` (2 is FULL, 1 NORMAL).
    func synchronousSetting() throws -> Int {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// How many sessions the file holds.
    public func count() throws(StoreError) -> Int {
        try run { try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM session") ?? 0 } }
    }

    /// Forgets the in-memory copies (tests; and what an operator's purge from another process
    /// cannot reach).
    public func dropCache() { lock.withLock { cache = [:] } }

    // MARK: - Helpers

    private func remember(_ sessions: [StoredSession]) {
        lock.withLock {
            for session in sessions { cache[session.id] = session }
            trimCache()
        }
    }

    /// Drops about a tenth of the cache when it is over its limit: every entry is on disk, so
    /// any may go.
    private func trimCache() {
        guard cache.count > cacheLimit else { return }
        for key in Array(cache.keys.prefix(max(cache.count - cacheLimit, cacheLimit / 10))) { cache[key] = nil }
    }

    private func run<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch {
            throw .failed("the session store \(path): \(error)")
        }
    }
}
