import Conversation
import DaemonMetrics
import Foundation
import Knowledge
import Logging
import NIOCore
import Storage

/// Runs turns against the session store, from any thread: the daemon calls it straight from
/// NIO's event loops, so a turn costs no hand-off between threads. Sessions are spread over
/// shards, each with its own lock: turns of one session run one at a time and in order, turns
/// of different sessions run in parallel.
///
/// A turn's reply is handed back only after its new state is committed. With a memory store
/// that is at once. With a durable store the write goes to the `GroupCommitter`, which commits
/// the writes of concurrent turns together on its own thread and then hands back their replies;
/// meanwhile the states not yet committed are kept in flight, so a session's next turn builds
/// on its last one, and its commit comes after that one's.
///
/// Resuming, the turn itself and its write are `StoredConversation`'s, as for `charley chat
/// --resume`; what is the registry's own is the sharding, the states in flight and the replies
/// remembered for request ids.
///
/// With a store that several daemons share (`SharedSessionStore`), turns go to `SharedTurns`
/// instead: each runs inside a transaction of the store that holds the session's lock, and no
/// state is kept here between turns.
public final class SessionRegistry: Sendable {
    public enum Failure: Error, Equatable {
        case tooManySessions(Int)
        case store(String)
    }

    /// The engine new turns use; a reload replaces it.
    public let current: CurrentConversation
    var conversation: Conversation { current.value }
    /// Sessions resumed from the store, turns run and committed, under the engine in use now.
    var stored: StoredConversation {
        StoredConversation(conversation: current.value, store: store, idleExpiry: expirySeconds, keepTranscripts: keepTranscripts)
    }
    let metrics: DaemonMetrics?
    private let turnMetrics: TurnMetrics?
    let store: any SessionStore
    let idleExpiry: Duration
    let keepTranscripts: Bool
    let logger: Logger
    private let committer: GroupCommitter?
    private let shared: SharedTurns?
    /// The shared store, when there is one.
    public let sharedStore: (any SharedSessionStore)?
    private let shards: [Shard]
    private let now: @Sendable () -> Double

    /// The sessions whose states are computed but not yet committed, for a slice of the ids.
    private final class Shard: @unchecked Sendable {
        let lock = NSLock()
        var inFlight: [String: (state: SessionState, turns: Int, knowledge: String)] = [:]
        /// Replies given to request ids (local stores: this process only), and the requests whose
        /// turn is still on its way to the store, with the retries waiting for its reply.
        var replies: [RequestKey: (reply: ByteBuffer, at: Double)] = [:]
        var answering: [RequestKey: [@Sendable (Result<ByteBuffer, Failure>) -> Void]] = [:]
    }

    /// The most replies to request ids a local store's registry remembers per shard (32 shards).
    static let rememberedRepliesPerShard = 4096

    public init(
        conversation: Conversation, store: any SessionStore, idleExpiry: Duration,
        keepTranscripts: Bool = false, commitDelay: Duration = .zero, logger: Logger = Logger(label: "charley.sessions"),
        metrics: DaemonMetrics? = nil,
        now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.current = CurrentConversation(conversation)
        self.metrics = metrics
        self.turnMetrics = metrics.map(TurnMetrics.init)
        self.store = store
        self.idleExpiry = idleExpiry
        self.keepTranscripts = keepTranscripts
        self.logger = logger
        self.committer = store.isDurable ? GroupCommitter(store: store, delay: commitDelay, metrics: metrics) : nil
        self.shared = nil
        self.sharedStore = nil
        self.shards = (0..<32).map { _ in Shard() }
        self.now = now
    }

    /// A registry over a store that several daemons share: `lanes` transactions at once, each
    /// holding up to `maximumBatch` sessions' turns.
    public init(
        conversation: Conversation, sharedStore: any SharedSessionStore, idleExpiry: Duration,
        keepTranscripts: Bool = false, lanes: Int = 4, maximumBatch: Int = 64,
        logger: Logger = Logger(label: "charley.sessions"), metrics: DaemonMetrics? = nil,
        now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        let current = CurrentConversation(conversation)
        self.current = current
        self.metrics = metrics
        self.turnMetrics = metrics.map(TurnMetrics.init)
        // Not used: every call goes to the shared store.
        self.store = MemorySessionStore(maximumSessions: 0)
        self.idleExpiry = idleExpiry
        self.keepTranscripts = keepTranscripts
        self.logger = logger
        self.committer = nil
        self.sharedStore = sharedStore
        self.shared = SharedTurns(
            store: sharedStore, current: current, idleExpiry: idleExpiry.seconds,
            keepTranscripts: keepTranscripts, logger: logger, metrics: metrics, now: now,
            lanes: lanes, maximumBatch: maximumBatch)
        self.shards = (0..<32).map { _ in Shard() }
        self.now = now
    }

    /// Checks a shared store and migrates it (nothing to do for a local one, opened already).
    public func prepare() async throws(StoreError) {
        if let sharedStore { _ = try await sharedStore.prepare() }
    }

    /// A session expires when it has been idle longer than this.
    var expirySeconds: Double { idleExpiry.seconds }

    private func shard(_ session: String) -> Shard { shards[Int(UInt(bitPattern: session.hashValue) % UInt(shards.count))] }

    /// Runs one turn and calls `done` with its reply once the new state is committed: before
    /// returning for a memory store, later on the writer thread for a durable one.
    public func respond(session: String, text: String, done: @escaping @Sendable (Result<Reply, Failure>) -> Void) {
        respond(session: session, text: text, render: { $0 }, done: done)
    }

    /// Runs one turn; `render` makes what `done` gets from the reply (its JSON, for the daemon)
    /// on the calling thread at once, so a durable store's writer thread, which calls `done`
    /// after the commit, only hands it over. With `loop`, `done` runs on that event loop: the
    /// writer hands each loop the completions of a commit together, one task per loop and
    /// commit instead of one per turn.
    public func respond<Rendered: Sendable>(
        session: String, text: String, render: (Reply) -> Rendered,
        on loop: (any EventLoop)? = nil,
        done: @escaping @Sendable (Result<Rendered, Failure>) -> Void
    ) {
        let shard = shard(session)
        // One engine for the whole turn, even if a reload puts another in place meanwhile.
        let stored = self.stored
        shard.lock.lock()
        let time = now()
        let resumed: Conversation.Resumed
        do {
            resumed = try current(session, in: shard, at: time, stored: stored)
        } catch {
            shard.lock.unlock()
            return done(.failure(error))
        }
        let started = metrics == nil ? 0 : DispatchTime.now().uptimeNanoseconds
        let turn = stored.turn(session, said: text, on: resumed, at: time)
        if let turnMetrics {
            turnMetrics.record(
                TurnObservation(
                    before: resumed.state, after: turn.state,
                    nanoseconds: Int64(DispatchTime.now().uptimeNanoseconds - started)))
        }
        var reply = turn.reply
        reply.session = session
        var write = turn.write
        if committer != nil {
            // The store holds the history the turn began with only when the state came from it.
            // (A memory store keeps the state itself, history and all: nothing to compare.)
            write.undoUnchanged = resumed.isStored && turn.state.hasSameUndo(as: resumed.state)
            write.encodeState()
        }
        let rendered = render(reply)
        commit(write, state: turn.state, in: shard, stored: stored, on: loop) { result in done(result.map { rendered }) }
    }

    /// Runs one turn for the daemon: `done` gets the reply's line (JSON and a newline) once its
    /// state is committed. A `request` id already answered in the session gets the same line
    /// again and runs no turn: with a shared store, as the store remembers it (for every daemon);
    /// with a local one, as this process remembers it.
    public func respondLine(
        session: String, text: String, request: String?, on loop: (any EventLoop)?,
        done: @escaping @Sendable (Result<ByteBuffer, Failure>) -> Void
    ) {
        if let shared {
            return shared.enqueue(session: session, .message(text: text, request: request), on: loop) { result in
                done(result.map { $0 ?? ByteBuffer() })
            }
        }
        let render: (Reply) -> ByteBuffer = { answer in
            var answer = answer
            answer.request = request
            var out = answer.writer()
            out.newline()
            return out.withBytes { ByteBuffer(bytes: $0) }
        }
        guard let request else { return respond(session: session, text: text, render: render, on: loop, done: done) }
        let key = RequestKey(session: session, id: request)
        let shard = shard(session)
        let known: ByteBuffer? = shard.lock.withLock {
            if let given = shard.replies[key] { return given.reply }
            if shard.answering[key] != nil {
                shard.answering[key]!.append(done)
                return ByteBuffer()
            }
            shard.answering[key] = []
            return nil
        }
        if let known {
            // A retry while the first is still on its way waits for the first's reply.
            if known.readableBytes > 0 { done(.success(known)) }
            return
        }
        let time = now()
        respond(session: session, text: text, render: render, on: loop) { result in
            let waiting = shard.lock.withLock { () -> [@Sendable (Result<ByteBuffer, Failure>) -> Void] in
                let waiting = shard.answering.removeValue(forKey: key) ?? []
                if case .success(let line) = result {
                    if shard.replies.count >= Self.rememberedRepliesPerShard {
                        // Over the bound: the oldest half goes.
                        let cut = shard.replies.values.map(\.at).sorted()[shard.replies.count / 2]
                        shard.replies = shard.replies.filter { $0.value.at > cut }
                    }
                    shard.replies[key] = (line, time)
                }
                return waiting
            }
            done(result)
            for retry in waiting { retry(result) }
        }
    }

    /// The session's state, a new one when it is unknown or expired, or a new one and a notice
    /// for the person when the stored one cannot go on (`isStored` also for a state on its way
    /// to the store). Called with the shard locked.
    private func current(
        _ session: String, in shard: Shard, at time: Double,
        stored: StoredConversation
    ) throws(Failure) -> Conversation.Resumed {
        let conversation = stored.conversation
        if let pending = shard.inFlight[session] {
            // Made under a model a reload has replaced since: as a stored state would be.
            if pending.knowledge != conversation.knowledge.version, let problem = conversation.problem(resuming: pending.state) {
                logger.notice("a session cannot go on under the reloaded knowledge model; it starts again")
                logger.debug("why the session could not go on", metadata: ["problem": "\(problem)"])
                return Conversation.Resumed(state: SessionState(), notice: Conversation.restartNotice, problem: problem)
            }
            return Conversation.Resumed(state: pending.state, isStored: true)
        }
        let resumed: Conversation.Resumed
        do {
            resumed = try stored.resume(session, at: time)
        } catch {
            logger.error("cannot read a session", metadata: ["error": "\(error)"])
            throw .store("the session store cannot be read; try again later")
        }
        if let problem = resumed.problem {
            // The problem can name a finding (a condition, a medicine): health data stays out of
            // logs at the default level.
            logger.notice("a stored session cannot go on under this Charley; it starts again")
            logger.debug("why the stored session could not go on", metadata: ["problem": "\(problem)"])
        }
        return resumed
    }

    /// Commits `write`; called with the shard locked, and unlocks it.
    private func commit(
        _ write: SessionWrite, state: SessionState, in shard: Shard, stored: StoredConversation,
        on loop: (any EventLoop)? = nil, done: @escaping @Sendable (Result<Void, Failure>) -> Void
    ) {
        guard let committer else {
            let result: Result<Void, Failure>
            do {
                // A full store makes room from expired sessions once before refusing.
                try stored.commit([write])
                result = .success(())
            } catch .full(let limit) {
                result = .failure(.tooManySessions(limit))
            } catch {
                result = .failure(.store(error.description))
            }
            shard.lock.unlock()
            return done(result)
        }
        shard.inFlight[write.id] = (state, (shard.inFlight[write.id]?.turns ?? 0) + 1, write.knowledge)
        // Queued under the shard's lock, so a session's writes reach the committer in order.
        // The completion keeps the id only, not the whole write (its state and encoded bytes).
        let id = write.id
        committer.enqueue(write, on: loop) { [logger] result in
            shard.lock.withLock {
                if let entry = shard.inFlight[id] {
                    shard.inFlight[id] = entry.turns > 1 ? (entry.state, entry.turns - 1, entry.knowledge) : nil
                }
            }
            if case .failure(let error) = result {
                logger.error("cannot save a session", metadata: ["error": "\(error)"])
                return done(.failure(.store("the session store cannot be written; your last message was not saved, please send it again")))
            }
            done(.success(()))
        }
        shard.lock.unlock()
    }

    /// Forgets a session; `done` once that is committed.
    public func reset(_ session: String, done: @escaping @Sendable (Result<Void, Failure>) -> Void) {
        if let shared {
            return shared.enqueue(session: session, .reset, on: nil) { result in done(result.map { _ in () }) }
        }
        let shard = shard(session)
        shard.lock.lock()
        let stored = self.stored
        commit(
            SessionWrite(id: session, change: .delete, time: now(), knowledge: stored.conversation.knowledge.version),
            state: SessionState(), in: shard, stored: stored, done: done)
    }

    /// The session's state as the next turn would see it (nil when there is none or it expired),
    /// for any store: at once for a local one, after a read of a shared one.
    public func state(_ session: String, done: @escaping @Sendable (Result<SessionState?, Failure>) -> Void) {
        guard let sharedStore else { return done(.success(state(session))) }
        Task { [now, expirySeconds, logger] in
            do {
                let loaded = try await sharedStore.load(session)
                guard case .session(let stored) = loaded, !stored.isExpired(at: now(), idleExpiry: expirySeconds) else { return done(.success(nil)) }
                done(.success(stored.state))
            } catch {
                logger.error("cannot read a session", metadata: ["error": "\(error)"])
                done(.failure(.store("the session store cannot be read; try again later")))
            }
        }
    }

    /// The session's state as the next turn would see it (nil when there is none or it expired);
    /// local stores only.
    public func state(_ session: String) -> SessionState? {
        let shard = shard(session)
        return shard.lock.withLock {
            if let pending = shard.inFlight[session] { return pending.state }
            guard case .session(let stored) = try? store.load(session), !stored.isExpired(at: now(), idleExpiry: expirySeconds) else { return nil }
            return stored.state
        }
    }

    // MARK: - For callers in async code (tests, benchmarks)

    public func respond(session: String, text: String) async throws(Failure) -> Reply {
        if shared != nil {
            let line = try await respond(session: session, text: text, request: nil)
            guard let reply = try? JSONDecoder().decode(Reply.self, from: Data(line.readableBytesView)) else {
                throw .store("a reply could not be read back")
            }
            return reply
        }
        return try await withCheckedContinuation { continuation in
            respond(session: session, text: text) { continuation.resume(returning: $0) }
        }.get()
    }

    /// A turn's reply as the daemon sends it (JSON and a newline), for any store; a `request` id
    /// seen before in the session gets the reply given then, and no second turn.
    public func respond(session: String, text: String, request: String?) async throws(Failure) -> ByteBuffer {
        try await withCheckedContinuation { continuation in
            respondLine(session: session, text: text, request: request, on: nil) { continuation.resume(returning: $0) }
        }.get()
    }

    public func state(_ session: String) async throws(Failure) -> SessionState? {
        try await withCheckedContinuation { continuation in
            state(session) { continuation.resume(returning: $0) }
        }.get()
    }

    public func reset(_ session: String) async throws(Failure) {
        try await withCheckedContinuation { continuation in
            reset(session) { continuation.resume(returning: $0) }
        }.get()
    }

    /// How many sessions the store holds (nil when it cannot tell).
    public func sessionsHeld() async -> Int? {
        if let sharedStore { return try? await sharedStore.count() }
        if let memory = store as? MemorySessionStore { return memory.count }
        if let sqlite = store as? SQLiteSessionStore { return try? sqlite.count() }
        return nil
    }

    /// Transactions and writes committed so far in groups (nil for memory stores).
    public var commitStatistics: (transactions: Int, writes: Int)? { shared?.statistics ?? committer?.statistics }

    /// Removes expired sessions, and replies to request ids older than the expiry, from any store;
    /// returns how many sessions.
    public func purgeExpiredSessions() async -> Int {
        let cutoff = now() - expirySeconds
        guard let sharedStore else {
            for shard in shards {
                shard.lock.withLock { shard.replies = shard.replies.filter { $0.value.at >= cutoff } }
            }
            return purgeExpired()
        }
        do {
            return try await sharedStore.purge(updatedBefore: cutoff, repliesBefore: cutoff)
        } catch {
            logger.error("cannot purge expired sessions", metadata: ["error": "\(error)"])
            return 0
        }
    }

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

/// Groups the commits of concurrent turns: while one transaction is being written on the
/// writer thread, the writes that arrive wait, and then go together in the next. Each write's
/// completion runs only after the transaction holding it has committed (or failed), so a reply
/// always follows its commit: on the writer thread, or on the event loop the write named, where
/// the completions of one commit run together as one task.
final class GroupCommitter: @unchecked Sendable {
    typealias Completion = @Sendable (Result<Void, StoreError>) -> Void

    private struct Waiting {
        var write: SessionWrite
        var loop: (any EventLoop)?
        var completion: Completion
    }

    private let store: any SessionStore
    private let writer = DispatchQueue(label: "charley.store.writer")
    private let lock = NSLock()
    private var waiting: [Waiting] = []
    private var writing = false
    private var transactions = 0
    private var writes = 0
    /// Fault injection for tests: a slow disk, so that a crash lands between commit and reply.
    private let delay: Duration
    private let metrics: DaemonMetrics?

    init(store: any SessionStore, delay: Duration = .zero, metrics: DaemonMetrics? = nil) {
        self.store = store
        self.delay = delay
        self.metrics = metrics
    }

    /// Transactions and writes so far, for benchmarks and tests.
    var statistics: (transactions: Int, writes: Int) { lock.withLock { (transactions, writes) } }

    func enqueue(_ write: SessionWrite, on loop: (any EventLoop)? = nil, completion: @escaping Completion) {
        let start = lock.withLock {
            waiting.append(Waiting(write: write, loop: loop, completion: completion))
            if writing { return false }
            writing = true
            return true
        }
        if start { writer.async { self.drain() } }
    }

    private func drain() {
        // Arrays swapped each round, so a commit allocates no new batch.
        var batch: [Waiting] = []
        var writes: [SessionWrite] = []
        while true {
            lock.withLock {
                swap(&batch, &waiting)
                if batch.isEmpty { writing = false }
            }
            if batch.isEmpty { return }
            if delay > .zero {
                Thread.sleep(forTimeInterval: delay.seconds)
            }
            writes.removeAll(keepingCapacity: true)
            for entry in batch { writes.append(entry.write) }
            let started = DispatchTime.now().uptimeNanoseconds
            let result = Result<Void, StoreError> { () throws(StoreError) in try store.commit(writes) }
            metrics?.commitDuration.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - started))
            lock.withLock {
                transactions += 1
                self.writes += batch.count
            }
            complete(batch, result)
            batch.removeAll(keepingCapacity: true)
        }
    }

    /// Runs the completions: those without a loop here, the others one task per loop (a daemon
    /// has a loop per core, so a short list searched in order).
    private func complete(_ batch: [Waiting], _ result: Result<Void, StoreError>) {
        var groups: [(loop: any EventLoop, completions: [Completion])] = []
        for entry in batch {
            guard let loop = entry.loop else {
                entry.completion(result)
                continue
            }
            if let index = groups.firstIndex(where: { $0.loop === loop }) {
                groups[index].completions.append(entry.completion)
            } else {
                groups.append((loop, [entry.completion]))
            }
        }
        for (loop, completions) in groups {
            loop.execute { for completion in completions { completion(result) } }
        }
    }
}
