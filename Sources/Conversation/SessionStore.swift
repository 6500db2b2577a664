import Foundation
import Knowledge

/// Where conversations are kept between turns: in memory, or on disk so that they survive a
/// restart (the Storage target's SQLite store). The core defines the protocol; front ends and
/// the daemon choose the implementation.
///
/// Stores keep the structured state, never the person's words, unless a write carries a
/// transcript entry (only when the operator asked for transcripts).
public protocol SessionStore: AnyObject, Sendable {
    /// Whether a commit reaches the disk. The daemon groups the commits of concurrent turns
    /// into one transaction for such stores.
    var isDurable: Bool { get }

    /// The stored session, `.unreadable` when it is there but cannot be decoded (saved by a
    /// Charley whose state format this one cannot read), or nil.
    func load(_ id: String) throws(StoreError) -> StoredSession.Loaded?

    /// Applies the writes all together or not at all.
    func commit(_ writes: [SessionWrite]) throws(StoreError)

    /// Removes sessions last used before `time` (seconds since 1970); returns how many.
    func purge(updatedBefore time: Double) throws(StoreError) -> Int

    /// Sessions, the most recently used first.
    func list(limit: Int) throws(StoreError) -> [SessionSummary]

    /// The transcript of a session (empty unless transcripts are kept).
    func transcript(_ id: String) throws(StoreError) -> [TranscriptEntry]
}

/// A session as stored.
public struct StoredSession: Sendable, Equatable {
    public var id: String
    public var state: SessionState
    /// When it was last used, in seconds since 1970.
    public var updated: Double
    /// The version of the knowledge model the state was made with.
    public var knowledge: String

    public init(id: String, state: SessionState, updated: Double, knowledge: String) {
        self.id = id
        self.state = state
        self.updated = updated
        self.knowledge = knowledge
    }

    /// Whether it has been idle longer than `idleExpiry` seconds at `time`: the one rule for
    /// expiry, used when a session is loaded and when its state is asked for.
    public func isExpired(at time: Double, idleExpiry: Double) -> Bool { time - updated > idleExpiry }

    /// Why a stored state could not be decoded, without the values it saw (they could be health
    /// data): for the `unreadable` reason of every store.
    public static func decodingProblem(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not JSON" }
        switch error {
        case .dataCorrupted(let context), .keyNotFound(_, let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "not a state" : "at '\(path)'"
        @unknown default:
            return "not a state"
        }
    }

    public enum Loaded: Sendable, Equatable {
        case session(StoredSession)
        /// The row is there but its state cannot be read; `reason` is for operators' logs and
        /// never holds health data.
        case unreadable(reason: String)
    }
}

/// What an operator sees of a session without opening it.
public struct SessionSummary: Sendable, Equatable, Codable {
    public var id: String
    public var stage: String
    public var turns: Int
    public var triage: String?
    public var updated: Double
    public var knowledge: String

    public init(id: String, stage: String, turns: Int, triage: String?, updated: Double, knowledge: String) {
        self.id = id
        self.stage = stage
        self.turns = turns
        self.triage = triage
        self.updated = updated
        self.knowledge = knowledge
    }
}

/// One exchange, kept only with transcripts turned on.
public struct TranscriptEntry: Sendable, Equatable, Codable {
    public var turn: Int
    public var said: String
    public var reply: String
    public var at: Double

    public init(turn: Int, said: String, reply: String, at: Double) {
        self.turn = turn
        self.said = said
        self.reply = reply
        self.at = at
    }
}

/// One change to a store.
public struct SessionWrite: Sendable {
    public enum Change: Sendable {
        case save(SessionState)
        case delete
    }

    public var id: String
    public var change: Change
    /// Seconds since 1970.
    public var time: Double
    public var transcript: TranscriptEntry?
    /// The knowledge model's version the state was made with.
    public var knowledge: String
    /// The saved state's stored JSON without its undo history (`SessionState.json(undo: false)`),
    /// when the caller made it already: the daemon makes it on the connection's thread, so the
    /// store's single writer thread only writes.
    public var encodedState: [UInt8]?
    /// The undo history's JSON (`SessionState.undoJSON()`), made with `encodedState` unless
    /// `undoUnchanged`.
    public var encodedUndo: [UInt8]?
    /// The caller knows the store already holds this session with the same undo history (the
    /// turn did not change it), so a store that keeps the history apart need not write it again.
    /// A store that finds otherwise (no row, or one of an older format) writes it all the same.
    public var undoUnchanged = false

    public init(id: String, change: Change, time: Double, knowledge: String, transcript: TranscriptEntry? = nil) {
        self.id = id
        self.change = change
        self.time = time
        self.knowledge = knowledge
        self.transcript = transcript
    }

    var isSave: Bool { if case .save = change { true } else { false } }

    /// Makes `encodedState` (and `encodedUndo`, unless `undoUnchanged`) now, for a store that
    /// keeps states as JSON.
    public mutating func encodeState() {
        guard case .save(let state) = change else { return }
        encodedState = state.json(undo: false)
        if !undoUnchanged { encodedUndo = state.undoJSON() }
    }
}

/// Why a store failed, in words an operator can act on.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The store holds as many sessions as it may (in-memory stores only).
    case full(Int)
    /// The store could not be read or written; the message names the file.
    case failed(String)

    public var description: String {
        switch self {
        case .full(let limit): "the store already holds its maximum of \(limit) sessions"
        case .failed(let message): message
        }
    }
}

/// Sessions in this process only: for tests, `--store memory` and the plain REPL. Holds states
/// as values, so a turn costs a dictionary lookup and store.
public final class MemorySessionStore: SessionStore, @unchecked Sendable {
    private struct Entry {
        var state: SessionState
        var updated: Double
        var knowledge: String
        var transcript: [TranscriptEntry] = []
    }

    public let maximumSessions: Int
    private var sessions: [String: Entry] = [:]
    // The daemon calls a store from one actor, but nothing in the protocol promises that.
    private let lock = Lock()

    public init(maximumSessions: Int = .max) {
        self.maximumSessions = maximumSessions
    }

    public var isDurable: Bool { false }

    public var count: Int { lock.withLock { sessions.count } }

    public func load(_ id: String) throws(StoreError) -> StoredSession.Loaded? {
        lock.withLock { sessions[id].map { .session(StoredSession(id: id, state: $0.state, updated: $0.updated, knowledge: $0.knowledge)) } }
    }

    public func commit(_ writes: [SessionWrite]) throws(StoreError) {
        try lock.withLock { () throws(StoreError) in
            let added =
                writes.count == 1
                ? (writes[0].isSave && sessions[writes[0].id] == nil ? 1 : 0)
                : Set(writes.filter { $0.isSave && sessions[$0.id] == nil }.map(\.id)).count
            if sessions.count + added > maximumSessions { throw .full(maximumSessions) }
            for write in writes {
                switch write.change {
                case .delete:
                    sessions[write.id] = nil
                case .save(let state):
                    // Changed in place: no copy of the entry (or its transcript) on the way.
                    if let index = sessions.index(forKey: write.id) {
                        sessions.values[index].state = state
                        sessions.values[index].updated = write.time
                        sessions.values[index].knowledge = write.knowledge
                        if let line = write.transcript { sessions.values[index].transcript.append(line) }
                    } else {
                        sessions[write.id] = Entry(
                            state: state, updated: write.time, knowledge: write.knowledge,
                            transcript: write.transcript.map { [$0] } ?? [])
                    }
                }
            }
        }
    }

    public func purge(updatedBefore time: Double) throws(StoreError) -> Int {
        lock.withLock {
            let before = sessions.count
            sessions = sessions.filter { $0.value.updated >= time }
            return before - sessions.count
        }
    }

    public func list(limit: Int) throws(StoreError) -> [SessionSummary] {
        lock.withLock {
            sessions.sorted { $0.value.updated > $1.value.updated }.prefix(limit).map {
                SessionSummary(
                    id: $0.key, stage: $0.value.state.stage.rawValue, turns: $0.value.state.turns,
                    triage: $0.value.state.triage?.rawValue, updated: $0.value.updated, knowledge: $0.value.knowledge)
            }
        }
    }

    public func transcript(_ id: String) throws(StoreError) -> [TranscriptEntry] {
        lock.withLock { sessions[id]?.transcript ?? [] }
    }
}

/// NSLock with a body that may throw a typed error.
final class Lock: @unchecked Sendable {
    private let lock = NSLock()

    func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}

extension Duration {
    /// The duration in seconds, as a Double (expiry times, benchmark figures).
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

// MARK: - Stores shared by several daemons

/// A store that several daemons share (PostgreSQL): a turn's load, the turn itself and its save
/// happen inside one transaction of the store that holds the session's lock, so two daemons
/// never run turns of one session on the same old state, and no daemon keeps a state of its
/// own between turns. Asynchronous, unlike `SessionStore`: the daemon awaits it off its event
/// loops.
public protocol SharedSessionStore: AnyObject, Sendable {
    /// Where the store is, for people: the URL without its password.
    var location: String { get }

    /// Checks that the store can be reached and brings its schema up to date, within a bounded
    /// time: before a daemon takes its first message.
    func prepare() async throws(StoreError) -> [String]

    /// Runs one transaction over `sessions`: takes each session's lock (in one fixed order, so
    /// two daemons never wait on each other in a circle), reads the sessions and the replies
    /// already given to `requests`, calls `body` with them, writes what it returns, and commits.
    /// `body` may run more than once when the transaction has to be tried again, so it must not
    /// act on the world: its outcome is acted on only after `transact` has returned.
    func transact(
        sessions: [String], requests: [RequestKey],
        _ body: @escaping @Sendable (SharedSnapshot) -> SharedOutcome) async throws(StoreError)

    /// The stored session, as the next turn would read it (without taking its lock).
    func load(_ id: String) async throws(StoreError) -> StoredSession.Loaded?

    /// Removes sessions last used before `time`, and replies remembered for request ids given
    /// before `repliesBefore`; returns how many sessions.
    func purge(updatedBefore time: Double, repliesBefore: Double) async throws(StoreError) -> Int

    /// Sessions, the most recently used first.
    func list(limit: Int) async throws(StoreError) -> [SessionSummary]

    /// The transcript of a session (empty unless transcripts are kept).
    func transcript(_ id: String) async throws(StoreError) -> [TranscriptEntry]

    /// How many sessions the store holds.
    func count() async throws(StoreError) -> Int
}

/// A request a client named with an `id`, within its session.
public struct RequestKey: Hashable, Sendable {
    public var session: String
    public var id: String

    public init(session: String, id: String) {
        self.session = session
        self.id = id
    }
}

/// What a shared store's transaction read, under the sessions' locks.
public struct SharedSnapshot: Sendable {
    /// The sessions found (an id that is absent has no stored session).
    public var sessions: [String: StoredSession.Loaded]
    /// The replies already given to requests with these keys: the bytes sent then.
    public var replies: [RequestKey: [UInt8]]

    public init(sessions: [String: StoredSession.Loaded] = [:], replies: [RequestKey: [UInt8]] = [:]) {
        self.sessions = sessions
        self.replies = replies
    }
}

/// What a shared store's transaction writes: the sessions' changes, in the order of their turns
/// (the last change of a session is the one that stays; every transcript entry is kept), and the
/// replies to remember for request ids.
public struct SharedOutcome: Sendable {
    public var writes: [SessionWrite]
    public var replies: [RememberedReply]

    public init(writes: [SessionWrite] = [], replies: [RememberedReply] = []) {
        self.writes = writes
        self.replies = replies
    }
}

/// A reply kept so that the same request sent again gets it instead of a second turn.
public struct RememberedReply: Sendable {
    public var key: RequestKey
    public var reply: [UInt8]
    /// Seconds since 1970.
    public var at: Double

    public init(key: RequestKey, reply: [UInt8], at: Double) {
        self.key = key
        self.reply = reply
        self.at = at
    }
}

/// FNV-1a, 64 bits, over a string's UTF-8: the same number in every process and on every
/// machine (Swift's `hashValue` is seeded per process), for keys that several daemons must
/// agree on, such as a session's lock.
public func stableHash64(_ text: String) -> Int64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash &*= 0x0000_0100_0000_01b3
    }
    return Int64(bitPattern: hash)
}
