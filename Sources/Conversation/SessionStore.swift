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
            let added = writes.count == 1
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
                        sessions[write.id] = Entry(state: state, updated: write.time, knowledge: write.knowledge,
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
                SessionSummary(id: $0.key, stage: $0.value.state.stage.rawValue, turns: $0.value.state.turns,
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
