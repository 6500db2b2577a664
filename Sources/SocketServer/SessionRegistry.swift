import Conversation
import Foundation
import Knowledge
import Logging

/// Runs turns against the session store. One actor: a turn takes microseconds, so serialising
/// them is cheap, and a session that moves to a new connection finds its state in the store.
///
/// A turn's new state is committed before its reply is returned. With a durable store the
/// commits of concurrent turns are grouped into one transaction (`GroupCommitter`); meanwhile the
/// states not yet committed are kept in `inFlight`, so a session's next turn builds on its last
/// one, and its commit comes after that one's.
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
    private let committer: GroupCommitter?
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
        self.committer = store.isDurable ? GroupCommitter(store: store, delay: commitDelay) : nil
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
            logger.notice("a stored session cannot go on; starting it again", metadata: ["problem": "\(problem)"])
        }
        return (resumed.state, resumed.notice)
    }

    private func commit(_ write: SessionWrite, state: SessionState) async throws(Failure) {
        guard let committer else {
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
        let result = await committer.commit(write)
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

    /// Transactions and writes committed so far by the group committer (nil for memory stores).
    public var commitStatistics: (transactions: Int, writes: Int)? { committer?.statistics }

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

/// Groups the commits of concurrent turns: while one transaction is being written, the writes
/// that arrive wait and then go together in the next. Each caller resumes only after the
/// transaction holding its write has committed (or failed), so a reply always follows its
/// commit. Commits run on a thread of their own, never on the cooperative pool.
final class GroupCommitter: @unchecked Sendable {
    private let store: any SessionStore
    private let queue = DispatchQueue(label: "charley.store.commit")
    private let lock = NSLock()
    private var waiting: [(SessionWrite, CheckedContinuation<Result<Void, StoreError>, Never>)] = []
    private var running = false
    private var transactions = 0
    private var writes = 0

    /// Transactions and writes so far, for benchmarks and tests.
    var statistics: (transactions: Int, writes: Int) { lock.withLock { (transactions, writes) } }

    /// Fault injection for tests: a slow disk, so that a crash lands between commit and reply.
    private let delay: Duration

    init(store: any SessionStore, delay: Duration = .zero) {
        self.store = store
        self.delay = delay
    }

    func commit(_ write: SessionWrite) async -> Result<Void, StoreError> {
        await withCheckedContinuation { continuation in
            let start = lock.withLock {
                waiting.append((write, continuation))
                if running { return false }
                running = true
                return true
            }
            if start { queue.async { self.drain() } }
        }
    }

    private func drain() {
        while true {
            let batch = lock.withLock {
                defer { waiting = [] }
                if waiting.isEmpty { running = false }
                return waiting
            }
            if batch.isEmpty { return }
            if delay > .zero { Thread.sleep(forTimeInterval: Double(delay.components.attoseconds) * 1e-18 + Double(delay.components.seconds)) }
            let result: Result<Void, StoreError>
            do {
                try store.commit(batch.map(\.0))
                result = .success(())
            } catch {
                result = .failure(error)
            }
            lock.withLock {
                transactions += 1
                writes += batch.count
            }
            for (_, continuation) in batch { continuation.resume(returning: result) }
        }
    }
}
