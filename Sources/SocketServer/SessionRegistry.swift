import Conversation
import Foundation
import Knowledge
import Logging

/// Runs turns against the session store. One actor: a turn takes microseconds, so serialising
/// them is cheap, and a session that moves to a new connection finds its state in the store.
///
/// A turn's new state is committed before its reply is returned. With a durable store the
/// commits of concurrent turns are grouped: a turn queues its write and waits; while one
/// transaction is being written on the writer thread, the actor goes on running turns, whose
/// writes then go together in the next transaction. Meanwhile the states not yet committed are
/// kept in `inFlight`, so a session's next turn builds on its last one, and its commit comes
/// after that one's.
public actor SessionRegistry {
    public enum Failure: Error, Equatable {
        case tooManySessions(Int)
        case store(String)
    }

    let conversation: Conversation
    let store: any SessionStore
    let idleExpiry: Duration
    let keepTranscripts: Bool
    let logger: Logger
    private let groupsCommits: Bool
    private var waiting: [(SessionWrite, CheckedContinuation<Result<Void, StoreError>, Never>)] = []
    private var flushScheduled = false
    /// A transaction is being written on `writer`.
    private var writing = false
    private let writer = DispatchQueue(label: "charley.store.writer")
    private var transactions = 0
    private var writes = 0
    /// Fault injection for tests: a slow disk, so that a crash lands between commit and reply.
    private let commitDelay: Duration
    private var inFlight: [String: (state: SessionState, turns: Int)] = [:]
    private let now: @Sendable () -> Double

    public init(conversation: Conversation, store: any SessionStore, idleExpiry: Duration,
                keepTranscripts: Bool = false, commitDelay: Duration = .zero, logger: Logger = Logger(label: "charley.sessions"),
                now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.conversation = conversation
        self.store = store
        self.idleExpiry = idleExpiry
        self.keepTranscripts = keepTranscripts
        self.logger = logger
        self.groupsCommits = store.isDurable
        self.commitDelay = commitDelay
        self.now = now
    }

    /// A session expires when it has been idle longer than this.
    var expirySeconds: Double { Double(idleExpiry.components.seconds) + Double(idleExpiry.components.attoseconds) * 1e-18 }

    public func respond(session: String, text: String) async throws(Failure) -> Reply {
        let time = now()
        var (state, notice) = try current(session, at: time)
        var reply = conversation.respond(to: text, state: &state)
        reply.session = session
        if let notice { reply.reply = notice + "\n\n" + reply.reply }
        let transcript = keepTranscripts ? TranscriptEntry(turn: state.turns, said: text, reply: reply.reply, at: time) : nil
        let write = SessionWrite(id: session, change: state.stage == .ended ? .delete : .save(state), time: time,
                                 knowledge: conversation.knowledge.version, transcript: transcript)
        try await commit(write, state: state)
        return reply
    }

    /// The session's state, a new one when it is unknown or expired, or a new one and a notice
    /// for the person when the stored one cannot go on.
    private func current(_ session: String, at time: Double) throws(Failure) -> (SessionState, String?) {
        if let pending = inFlight[session] { return (pending.state, nil) }
        let loaded: StoredSession.Loaded?
        do {
            loaded = try store.load(session)
        } catch {
            logger.error("cannot read a session", metadata: ["error": "\(error)"])
            throw .store("the session store cannot be read; try again later")
        }
        let resumed = conversation.resume(loaded, at: time, idleExpiry: expirySeconds)
        if let problem = resumed.problem {
            // The problem can name a finding (a condition, a medicine): health data stays out of
            // logs at the default level.
            logger.notice("a stored session cannot go on under this Charley; it starts again")
            logger.debug("why the stored session could not go on", metadata: ["problem": "\(problem)"])
        }
        return (resumed.state, resumed.notice)
    }

    private func commit(_ write: SessionWrite, state: SessionState) async throws(Failure) {
        guard groupsCommits else {
            do {
                try store.commit([write])
            } catch .full(let limit) {
                // Make room from expired sessions once before refusing.
                _ = try? store.purge(updatedBefore: write.time - expirySeconds)
                do { try store.commit([write]) } catch { throw .tooManySessions(limit) }
            } catch {
                throw .store(error.description)
            }
            return
        }
        inFlight[write.id] = (state, (inFlight[write.id]?.turns ?? 0) + 1)
        let result = await withCheckedContinuation { continuation in
            waiting.append((write, continuation))
            if !flushScheduled {
                flushScheduled = true
                Task { await self.flush() }
            }
        }
        if let entry = inFlight[write.id] {
            inFlight[write.id] = entry.turns > 1 ? (entry.state, entry.turns - 1) : nil
        }
        if case .failure(let error) = result {
            logger.error("cannot save a session", metadata: ["error": "\(error)"])
            throw .store("the session store cannot be written; your last message was not saved, please send it again")
        }
    }

    public func reset(_ session: String) async throws(Failure) {
        try await commit(SessionWrite(id: session, change: .delete, time: now(), knowledge: conversation.knowledge.version),
                         state: SessionState())
    }

    /// The session's state as the next turn would see it (nil when there is none or it expired).
    public func state(_ session: String) throws(Failure) -> SessionState? {
        let time = now()
        if let pending = inFlight[session] { return pending.state }
        guard case .session(let stored) = try? store.load(session), time - stored.updated <= expirySeconds else { return nil }
        return stored.state
    }

    /// Starts a transaction for every waiting write, unless one is being written: then they go
    /// in the next. The transaction runs on the writer thread, so the actor goes on running
    /// turns meanwhile (their writes join the next transaction).
    private func flush() {
        flushScheduled = false
        guard !writing, !waiting.isEmpty else { return }
        writing = true
        let batch = waiting
        waiting = []
        let store = self.store, delay = commitDelay
        writer.async {
            if delay > .zero {
                Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) * 1e-18)
            }
            let result = Result<Void, StoreError> { () throws(StoreError) in try store.commit(batch.map(\.0)) }
            for (_, continuation) in batch { continuation.resume(returning: result) }
            Task { await self.written(batch.count) }
        }
    }

    private func written(_ count: Int) {
        writing = false
        transactions += 1
        writes += count
        flush()
    }

    /// Transactions and writes committed so far in groups (nil for memory stores).
    public var commitStatistics: (transactions: Int, writes: Int)? { groupsCommits ? (transactions, writes) : nil }

    /// Removes expired sessions from the store; returns how many.
    @discardableResult
    public func purgeExpired() -> Int {
        do {
            return try store.purge(updatedBefore: now() - expirySeconds)
        } catch {
            logger.error("cannot purge expired sessions", metadata: ["error": "\(error)"])
            return 0
        }
    }
}
