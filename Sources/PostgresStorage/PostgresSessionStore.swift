import Conversation
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Sessions in PostgreSQL, shared by any number of daemons: the same semantics as the SQLite
/// store (the structured state and its undo history in the same JSON, transcripts only when
/// asked, expiry and purge, the operator's list), through PostgresNIO's `PostgresClient`.
///
/// `client` is the connection pool and a `Service`: run it in the daemon's `ServiceGroup`
/// (queries wait while it is not running). `prepare()` checks the server within a bounded time
/// and migrates the schema before the daemon takes its first message.
///
/// Each transaction first takes `pg_advisory_xact_lock` on the stable 64-bit hash of every
/// session it touches (sorted, so two daemons never wait on each other in a circle), then reads
/// them: PostgreSQL's READ COMMITTED gives each statement a new snapshot, so what it reads is
/// what the last holder of the lock committed. The lock covers a session whose row does not exist
/// yet, which `SELECT ... FOR UPDATE` would not.
public final class PostgresSessionStore: SharedSessionStore, @unchecked Sendable {
    /// The version of the state's stored form: the same as SQLite's format 2 (the state without
    /// its undo history in `state`, the history in `undo`).
    public static let stateFormat = 2

    public let location: String
    public let client: PostgresClient
    let place: PostgresLocation
    let logger: Logger
    let connectTimeout: Duration
    /// How long a call waits for a connection of the pool before it fails (nothing was sent).
    let leaseTimeout: Duration

    /// Decoded states by the exact text they were decoded from (or written as). Only a state
    /// whose stored text and undo text are byte for byte what the row read under the lock holds
    /// is taken from here: the store's row always decides, the cache only saves decoding it again
    /// (Foundation's JSONDecoder was the largest cost of a turn on this store).
    private final class DecodedStates: @unchecked Sendable {
        struct Entry {
            var state: String
            var undo: String?
            var decoded: SessionState
        }
        let lock = NSLock()
        var entries: [String: Entry] = [:]
        let limit: Int
        init(limit: Int) { self.limit = limit }

        func remember(_ id: String, _ entry: Entry) {
            guard limit > 0 else { return }
            lock.withLock {
                entries[id] = entry
                if entries.count > limit {
                    for key in Array(entries.keys.prefix(max(entries.count - limit, limit / 10))) { entries[key] = nil }
                }
            }
        }

        func match(_ id: String, state: String, undo: String?) -> SessionState? {
            lock.withLock {
                guard let entry = entries[id], entry.state == state, entry.undo == undo else { return nil }
                return entry.decoded
            }
        }
    }

    private let decodedStates: DecodedStates

    /// Opens a pool for `url` (nothing is sent until `client` runs and a query is made).
    public init(
        url: String, maximumConnections: Int = 10, connectTimeout: Duration = .seconds(5),
        leaseTimeout: Duration = .seconds(5), decodedStates: Int = 10_000,
        logger: Logger = Logger(label: "charley.store")
    ) throws(StoreError) {
        let place: PostgresLocation
        do {
            place = try PostgresLocation(url: url)
        } catch {
            throw .failed(error.description)
        }
        self.place = place
        self.location = place.redacted
        self.logger = logger
        self.connectTimeout = connectTimeout
        self.leaseTimeout = leaseTimeout
        self.decodedStates = DecodedStates(limit: decodedStates)
        // The pool logs every failed connection attempt at info while a server is down; this
        // store reports what a person can act on itself, so the pool's own lines start at warning
        // unless debugging.
        var background = logger
        if background.logLevel > .debug { background.logLevel = max(background.logLevel, .warning) }
        do {
            client = PostgresClient(
                configuration: try place.clientConfiguration(
                    maximumConnections: maximumConnections,
                    connectTimeout: connectTimeout),
                backgroundLogger: background)
        } catch {
            throw .failed("the session store \(place.redacted) cannot be set up: \(error)")
        }
    }

    // MARK: - Start-up and migrations

    /// Connects once, within the connect timeout, and brings the schema up to date (under a lock,
    /// so daemons starting together migrate once). The error names the URL without its password
    /// and says what went wrong: no server, refused, no such database, or a schema from a newer
    /// Charley. Needs no running `client`.
    @discardableResult
    public func prepare() async throws(StoreError) -> [String] {
        let connection: PostgresConnection
        do {
            connection = try await Self.withTimeout(connectTimeout) { [place, connectTimeout, logger] in
                try await PostgresConnection.connect(
                    configuration: try place.connectionConfiguration(connectTimeout: connectTimeout),
                    id: 0, logger: logger)
            }
        } catch is TimedOut {
            throw .failed(
                "cannot reach the PostgreSQL server for the session store \(location) within \(connectTimeout.components.seconds) s; check that it runs and the URL"
            )
        } catch {
            throw .failed("cannot connect to the PostgreSQL session store \(location): \(Self.explain(error))")
        }
        defer { Task { try? await connection.close() } }
        do {
            return try await Self.migrate(connection, logger: logger)
        } catch {
            // The migration's own refusal comes wrapped in the transaction's error.
            if let newer = (error as? SchemaTooNew) ?? ((error as? PostgresTransactionError)?.closureError as? SchemaTooNew) {
                throw .failed(
                    "the session store \(location) has schema version \(newer.found), newer than this Charley's \(newer.known): it was migrated by a newer Charley; upgrade this one"
                )
            }
            throw .failed("cannot prepare the session store \(location): \(Self.explain(error))")
        }
    }

    struct SchemaTooNew: Error {
        var found: Int
        var known: Int
    }

    /// The schema's history, oldest first. Never edit a migration that has shipped: add one.
    static let migrations: [(version: Int, name: String, sql: [String])] = [
        (
            1, "v1-sessions-transcripts",
            [
                // The same columns as SQLite's store after its v4: the state without its history,
                // the history apart. Kept as text, not jsonb: only Charley reads them, and jsonb
                // would parse every state on every turn. No index on `updated`: every turn would
                // move its session in it; purge and the list scan instead (as in SQLite's v3).
                """
                CREATE TABLE session (
                    id text PRIMARY KEY,
                    state text NOT NULL,
                    undo text,
                    updated double precision NOT NULL,
                    format integer NOT NULL,
                    knowledge text NOT NULL,
                    stage text NOT NULL,
                    turns integer NOT NULL,
                    triage text
                )
                """,
                """
                CREATE TABLE transcript (
                    session text NOT NULL,
                    turn integer NOT NULL,
                    said text NOT NULL,
                    reply text NOT NULL,
                    at double precision NOT NULL,
                    seq bigserial PRIMARY KEY
                )
                """,
                "CREATE INDEX transcript_session ON transcript (session, at)"
            ]
        ),
        // Requests a bridge may send again: the reply given to a (session, id), so that the
        // same request is answered the same and not applied twice.
        (
            2, "v2-request-replies",
            [
                """
                CREATE TABLE request (
                    session text NOT NULL,
                    id text NOT NULL,
                    reply text NOT NULL,
                    at double precision NOT NULL,
                    PRIMARY KEY (session, id)
                )
                """
            ]
        ),
        // A turn's lock and read in one round trip: a VOLATILE function takes a new snapshot for
        // each statement it runs (READ COMMITTED), so the read after the locks sees what the last
        // holder of each lock committed, as a separate statement would.
        (
            3, "v3-lock-and-read",
            [
                """
                CREATE FUNCTION charley_lock_and_read(keys bigint[], ids text[])
                RETURNS TABLE (r_id text, r_state text, r_undo text, r_updated double precision, r_format integer, r_knowledge text)
                LANGUAGE plpgsql VOLATILE AS $$
                BEGIN
                    PERFORM pg_advisory_xact_lock(k) FROM unnest(keys) AS k;
                    RETURN QUERY SELECT s.id, s.state, s.undo, s.updated, s.format, s.knowledge FROM session s WHERE s.id = ANY(ids);
                END
                $$
                """
            ]
        )
    ]

    /// The lock key of migrations (one number for every Charley: 'charley-schema' hashed).
    static let migrationLock = stableHash64("charley-schema")

    /// Applies the missing migrations in one transaction; returns the names of those applied
    /// (all of them, with those found done). `upTo` stops early (tests: the first schema).
    @discardableResult
    static func migrate(_ connection: PostgresConnection, upTo last: Int = .max, logger: Logger) async throws -> [String] {
        try await connection.withTransaction(logger: logger) { connection in
            _ = try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            _ = try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS charley_schema (
                    version integer PRIMARY KEY, name text NOT NULL, applied double precision NOT NULL)
                """, logger: logger)
            var done: [Int] = []
            for try await version in try await connection.query("SELECT version FROM charley_schema ORDER BY version", logger: logger)
                .decode(Int.self)
            {
                done.append(version)
            }
            let known = migrations.last!.version
            if let newest = done.last, newest > known { throw SchemaTooNew(found: newest, known: known) }
            for migration in migrations where migration.version <= last && !done.contains(migration.version) {
                for statement in migration.sql {
                    _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                let now = Date().timeIntervalSince1970
                _ = try await connection.query(
                    "INSERT INTO charley_schema (version, name, applied) VALUES (\(migration.version), \(migration.name), \(now))", logger: logger)
                done.append(migration.version)
            }
            return migrations.filter { done.contains($0.version) }.map(\.name)
        }
    }

    /// The migrations applied, oldest first.
    public func appliedMigrations() async throws(StoreError) -> [String] {
        try await run {
            try await withLease { [logger] connection in
                var names: [String] = []
                for try await name in try await connection.query("SELECT name FROM charley_schema ORDER BY version", logger: logger).decode(String.self) {
                    names.append(name)
                }
                return names
            }
        }
    }

    // MARK: - SharedSessionStore

    public func transact(
        sessions: [String], requests: [RequestKey],
        _ body: @escaping @Sendable (SharedSnapshot) -> SharedOutcome
    ) async throws(StoreError) {
        let locks = Array(Set(sessions.map(stableHash64))).sorted()
        var attempt = 0
        while true {
            attempt += 1
            do {
                try await withLease { [logger, decodedStates] connection in
                    try await connection.withTransaction(logger: logger) { connection in
                        var snapshot = SharedSnapshot()
                        let rows = try await connection.query(
                            "SELECT * FROM charley_lock_and_read(\(locks)::int8[], \(sessions)::text[])", logger: logger)
                        for try await (id, state, undo, updated, format, knowledge) in rows.decode((String, String, String?, Double, Int, String).self) {
                            if format == Self.stateFormat, let known = decodedStates.match(id, state: state, undo: undo) {
                                snapshot.sessions[id] = .session(StoredSession(id: id, state: known, updated: updated, knowledge: knowledge))
                                continue
                            }
                            let loaded = Self.decode(id: id, state: state, undo: undo, updated: updated, format: format, knowledge: knowledge)
                            if case .session(let stored) = loaded, format == Self.stateFormat {
                                decodedStates.remember(id, .init(state: state, undo: undo, decoded: stored.state))
                            }
                            snapshot.sessions[id] = loaded
                        }
                        if !requests.isEmpty {
                            let replies = try await connection.query(
                                """
                                SELECT r.session, r.id, r.reply FROM request r
                                JOIN unnest(\(requests.map(\.session))::text[], \(requests.map(\.id))::text[]) AS k(session, id)
                                  ON r.session = k.session AND r.id = k.id
                                """, logger: logger)
                            for try await (session, id, reply) in replies.decode((String, String, String).self) {
                                snapshot.replies[RequestKey(session: session, id: id)] = Array(reply.utf8)
                            }
                        }
                        let written = try await Self.write(body(snapshot), on: connection, logger: logger)
                        // What this transaction wrote is what the next turn will read, unless another
                        // daemon writes first (then the texts differ and the row is decoded).
                        for (id, entry) in written { decodedStates.remember(id, entry) }
                    }
                }
                return
            } catch {
                // Two transactions that took their locks in one order cannot deadlock; a
                // deadlock or serialization failure from elsewhere is tried again.
                if attempt < 3, let state = Self.sqlState(error), state == "40P01" || state == "40001" { continue }
                throw .failed("the session store \(location): \(Self.explain(error))")
            }
        }
    }

    /// Writes an outcome: one upsert for the sessions' last states, one delete, and the
    /// transcripts and replies, each a single statement over arrays.
    @discardableResult
    private static func write(_ outcome: SharedOutcome, on connection: PostgresConnection, logger: Logger) async throws -> [(String, DecodedStates.Entry)] {
        var written: [(String, DecodedStates.Entry)] = []
        var last: [String: Int] = [:]
        for (index, write) in outcome.writes.enumerated() { last[write.id] = index }
        var ids: [String] = []
        var states: [String] = []
        var undos: [String] = []
        var times: [Double] = []
        var knowledges: [String] = []
        var stages: [String] = []
        var turns: [Int] = []
        var triages: [String] = []
        var deleted: [String] = []
        var transcript: (sessions: [String], turns: [Int], said: [String], reply: [String], at: [Double]) = ([], [], [], [], [])
        for (index, write) in outcome.writes.enumerated() {
            if let line = write.transcript {
                transcript.sessions.append(write.id)
                transcript.turns.append(line.turn)
                transcript.said.append(line.said)
                transcript.reply.append(line.reply)
                transcript.at.append(line.at)
            }
            guard last[write.id] == index else { continue }
            switch write.change {
            case .delete:
                deleted.append(write.id)
            case .save(let state):
                ids.append(write.id)
                let text = String(decoding: write.encodedState ?? state.json(undo: false), as: UTF8.self)
                let undo = String(decoding: write.encodedUndo ?? state.undoJSON(), as: UTF8.self)
                states.append(text)
                undos.append(undo)
                written.append((write.id, .init(state: text, undo: undo, decoded: state)))
                times.append(write.time)
                knowledges.append(write.knowledge)
                stages.append(state.stage.rawValue)
                turns.append(state.turns)
                triages.append(state.triage?.rawValue ?? "")
            }
        }
        if !ids.isEmpty {
            _ = try await connection.query(
                """
                INSERT INTO session (id, state, undo, updated, format, knowledge, stage, turns, triage)
                SELECT id, state, undo, updated, \(stateFormat), knowledge, stage, turns, NULLIF(triage, '')
                FROM unnest(\(ids)::text[], \(states)::text[], \(undos)::text[], \(times)::float8[], \(knowledges)::text[],
                            \(stages)::text[], \(turns)::int8[], \(triages)::text[])
                     AS u(id, state, undo, updated, knowledge, stage, turns, triage)
                ON CONFLICT (id) DO UPDATE SET state = excluded.state, undo = excluded.undo, updated = excluded.updated,
                    format = excluded.format, knowledge = excluded.knowledge, stage = excluded.stage,
                    turns = excluded.turns, triage = excluded.triage
                """, logger: logger)
        }
        if !deleted.isEmpty {
            _ = try await connection.query("DELETE FROM session WHERE id = ANY(\(deleted))", logger: logger)
        }
        if !transcript.sessions.isEmpty {
            _ = try await connection.query(
                """
                INSERT INTO transcript (session, turn, said, reply, at)
                SELECT * FROM unnest(\(transcript.sessions)::text[], \(transcript.turns)::int8[], \(transcript.said)::text[],
                                     \(transcript.reply)::text[], \(transcript.at)::float8[])
                """, logger: logger)
        }
        if !outcome.replies.isEmpty {
            let replies = outcome.replies
            _ = try await connection.query(
                """
                INSERT INTO request (session, id, reply, at)
                SELECT * FROM unnest(\(replies.map(\.key.session))::text[], \(replies.map(\.key.id))::text[],
                                     \(replies.map { String(decoding: $0.reply, as: UTF8.self) })::text[], \(replies.map(\.at))::float8[])
                ON CONFLICT (session, id) DO NOTHING
                """, logger: logger)
        }
        return written
    }

    public func load(_ id: String) async throws(StoreError) -> StoredSession.Loaded? {
        try await run {
            try await withLease { [logger] connection in
                let rows = try await connection.query("SELECT state, undo, updated, format, knowledge FROM session WHERE id = \(id)", logger: logger)
                for try await (state, undo, updated, format, knowledge) in rows.decode((String, String?, Double, Int, String).self) {
                    return Self.decode(id: id, state: state, undo: undo, updated: updated, format: format, knowledge: knowledge)
                }
                return nil
            }
        }
    }

    public func purge(updatedBefore time: Double, repliesBefore: Double) async throws(StoreError) -> Int {
        try await run {
            try await withLease { [logger] connection in
                try await connection.withTransaction(logger: logger) { connection in
                    // Under each session's lock, so that a session used in this moment stays: its
                    // turn commits first (and is then not expired) or waits for the purge.
                    var expired: [String] = []
                    for try await id in try await connection.query("SELECT id FROM session WHERE updated < \(time)", logger: logger).decode(String.self) {
                        expired.append(id)
                    }
                    var removed = 0
                    if !expired.isEmpty {
                        let locks = Array(Set(expired.map(stableHash64))).sorted()
                        _ = try await connection.query("SELECT pg_advisory_xact_lock(k) FROM unnest(\(locks)::int8[]) AS k", logger: logger)
                        for try await count in try await connection.query(
                            "WITH d AS (DELETE FROM session WHERE id = ANY(\(expired)) AND updated < \(time) RETURNING 1) SELECT count(*)::int8 FROM d",
                            logger: logger
                        ).decode(Int.self) {
                            removed = count
                        }
                    }
                    _ = try await connection.query("DELETE FROM transcript WHERE at < \(time)", logger: logger)
                    _ = try await connection.query("DELETE FROM request WHERE at < \(repliesBefore)", logger: logger)
                    return removed
                }
            }
        }
    }

    public func list(limit: Int) async throws(StoreError) -> [SessionSummary] {
        try await run {
            var sessions: [SessionSummary] = []
            let rows = try await client.query(
                "SELECT id, stage, turns, triage, updated, knowledge FROM session ORDER BY updated DESC LIMIT \(limit)", logger: logger)
            for try await (id, stage, turns, triage, updated, knowledge) in rows.decode((String, String, Int, String?, Double, String).self) {
                sessions.append(SessionSummary(id: id, stage: stage, turns: turns, triage: triage, updated: updated, knowledge: knowledge))
            }
            return sessions
        }
    }

    public func transcript(_ id: String) async throws(StoreError) -> [TranscriptEntry] {
        try await run {
            var entries: [TranscriptEntry] = []
            let rows = try await client.query(
                "SELECT turn, said, reply, at FROM transcript WHERE session = \(id) ORDER BY at, seq", logger: logger)
            for try await (turn, said, reply, at) in rows.decode((Int, String, String, Double).self) {
                entries.append(TranscriptEntry(turn: turn, said: said, reply: reply, at: at))
            }
            return entries
        }
    }

    public func count() async throws(StoreError) -> Int {
        try await run {
            for try await count in try await client.query("SELECT count(*)::int8 FROM session", logger: logger).decode(Int.self) {
                return count
            }
            return 0
        }
    }

    // MARK: - Helpers

    static func decode(id: String, state text: String, undo: String?, updated: Double, format: Int, knowledge: String) -> StoredSession.Loaded {
        guard format <= stateFormat else {
            return .unreadable(reason: "its state has format \(format), newer than this Charley's \(stateFormat)")
        }
        do {
            var state = try JSONDecoder().decode(SessionState.self, from: Data(text.utf8))
            if let undo { state.undo = try JSONDecoder().decode([SessionState.Snapshot].self, from: Data(undo.utf8)) }
            return .session(StoredSession(id: id, state: state, updated: updated, knowledge: knowledge))
        } catch {
            return .unreadable(reason: "its state cannot be decoded (\(StoredSession.decodingProblem(error)))")
        }
    }

    private func run<T>(_ body: () async throws -> T) async throws(StoreError) -> T {
        do {
            return try await body()
        } catch {
            throw .failed("the session store \(location): \(Self.explain(error))")
        }
    }

    /// The SQLSTATE of a server's error, inside a transaction's error or not.
    static func sqlState(_ error: any Error) -> String? {
        if let error = error as? PostgresTransactionError {
            return [error.closureError, error.commitError, error.beginError].compactMap { $0.flatMap(sqlState) }.first
        }
        return (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// What went wrong, for an operator: PostgresNIO's own description hides everything on
    /// purpose; the server's message, the kind of failure and the system's reason are safe to
    /// show (they hold no state or words of a person).
    static func explain(_ error: any Error) -> String {
        if let error = error as? PostgresTransactionError {
            if let inner = error.closureError ?? error.beginError ?? error.commitError { return explain(inner) }
            return "the transaction failed"
        }
        if let error = error as? StoreError { return error.description }
        guard let error = error as? PSQLError else { return "\(error)" }
        if let info = error.serverInfo, let message = info[.message] {
            return "the server said: \(message)" + (info[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
        }
        let reason = error.underlying.map { " (\($0 is PSQLError ? explain($0) : String(describing: $0)))" } ?? ""
        switch error.code {
        case .connectionError: return "cannot connect to the server\(reason)"
        case .serverClosedConnection: return "the server closed the connection\(reason)"
        case .clientClosedConnection: return "the connection was closed\(reason)"
        case .poolClosed: return "the connection pool is closed (the daemon is stopping)"
        case .authMechanismRequiresPassword: return "the server asks for a password and the URL gives none"
        case .sslUnsupported: return "the server does not offer TLS (sslmode=require)"
        case .uncleanShutdown: return "the connection ended uncleanly\(reason)"
        default: return "\(error.code)\(reason)"
        }
    }

    struct TimedOut: Error {}

    /// No connection of the pool within `leaseTimeout`: the server is down or every connection busy.
    struct NoConnection: Error, CustomStringConvertible {
        var seconds: Int64
        var description: String { "no connection to the server within \(seconds) s (is it running?); nothing was sent" }
    }

    /// A connection was lent but the server did not finish within `leaseTimeout` more: the
    /// connection is closed (a server that stopped mid-query may leave it waiting).
    struct NoAnswer: Error, CustomStringConvertible {
        var seconds: Int64
        var description: String { "the server did not answer within \(seconds) s; the connection was closed" }
    }

    /// Runs `body` on a connection of the pool, and fails with `NoConnection` when none comes
    /// within `leaseTimeout` (the pool itself would wait about a minute while the server is down),
    /// or with `NoAnswer` when the body has not ended `leaseTimeout` after it started. The caller
    /// is answered then and there: neither a lease that is slow to cancel nor a query on a
    /// connection to a server that went away keeps it waiting. A lease that comes after the
    /// caller was answered runs nothing.
    func withLease<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let lease = Lease<T>()
        let limit = leaseTimeout
        return try await withCheckedThrowingContinuation { continuation in
            lease.set(continuation)
            let work = Task { [client] in
                do {
                    let result = try await client.withConnection { connection -> T? in
                        guard lease.lend(connection) else { return nil }
                        defer { lease.finish() }
                        return try await body(connection)
                    }
                    if let result { lease.resume(.success(result)) }
                } catch {
                    lease.resume(.failure(error))
                }
            }
            lease.watch(
                Task {
                    try? await Task.sleep(for: limit)
                    if Task.isCancelled { return }
                    if lease.abandonIfWaiting() {
                        lease.resume(.failure(NoConnection(seconds: limit.components.seconds)))
                        work.cancel()
                        return
                    }
                    try? await Task.sleep(for: limit)
                    if Task.isCancelled { return }
                    if let connection = lease.stillRunning() {
                        lease.resume(.failure(NoAnswer(seconds: limit.components.seconds)))
                        try? await connection.close()
                    }
                })
        }
    }

    /// The body's result, or `TimedOut` after `limit`; the body goes on unawaited when it does not
    /// end with cancellation (a connect to a host that does not answer).
    static func withTimeout<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let box = OnceBox<T>()
        return try await withCheckedThrowingContinuation { continuation in
            box.set(continuation)
            let work = Task {
                do { box.resume(.success(try await body())) } catch { box.resume(.failure(error)) }
            }
            Task {
                try? await Task.sleep(for: limit)
                box.resume(.failure(TimedOut()))
                work.cancel()
            }
        }
    }
}

/// One call of `withLease`: waiting for a connection, running on one, or over (answered by the
/// watch, or finished); its continuation is resumed once, by whichever comes first.
private final class Lease<T: Sendable>: @unchecked Sendable {
    private enum Phase {
        case waiting
        case running(PostgresConnection)
        case over
    }
    private let lock = NSLock()
    private var phase = Phase.waiting
    private var continuation: CheckedContinuation<T, any Error>?
    private var watcher: Task<Void, Never>?

    func set(_ continuation: CheckedContinuation<T, any Error>) { lock.withLock { self.continuation = continuation } }

    func watch(_ task: Task<Void, Never>) {
        let over = lock.withLock { () -> Bool in
            if case .over = phase { return true }
            watcher = task
            return false
        }
        if over { task.cancel() }
    }

    /// The connection came: run, unless the caller was already answered.
    func lend(_ connection: PostgresConnection) -> Bool {
        lock.withLock {
            guard case .waiting = phase else { return false }
            phase = .running(connection)
            return true
        }
    }

    func finish() {
        let watcher = lock.withLock { () -> Task<Void, Never>? in
            phase = .over
            defer { self.watcher = nil }
            return self.watcher
        }
        watcher?.cancel()
    }

    func abandonIfWaiting() -> Bool {
        lock.withLock {
            guard case .waiting = phase else { return false }
            phase = .over
            return true
        }
    }

    func stillRunning() -> PostgresConnection? {
        lock.withLock {
            guard case .running(let connection) = phase else { return nil }
            phase = .over
            return connection
        }
    }

    func resume(_ result: Result<T, any Error>) {
        let taken = lock.withLock { () -> CheckedContinuation<T, any Error>? in
            defer { continuation = nil }
            return continuation
        }
        taken?.resume(with: result)
    }
}

/// A continuation resumed once, by whichever comes first.
private final class OnceBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?

    func set(_ continuation: CheckedContinuation<T, any Error>) { lock.withLock { self.continuation = continuation } }

    func resume(_ result: Result<T, any Error>) {
        let taken = lock.withLock { () -> CheckedContinuation<T, any Error>? in
            defer { continuation = nil }
            return continuation
        }
        taken?.resume(with: result)
    }
}
