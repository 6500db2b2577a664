import Conversation
import DaemonMetrics
import Foundation
import Knowledge
import Logging
import NIOCore

/// Runs turns on a store that several daemons share. A turn's load, the turn and its save are
/// one transaction of the store that holds the session's lock, so the state it starts from is
/// always the last one committed by any daemon; nothing is cached here between turns.
///
/// Turns that arrive while transactions are running wait and then go together: a transaction
/// takes up to `maximumBatch` sessions, each with all its waiting turns in the order they came
/// (a session is in one transaction at a time, so its turns stay in order), and at most
/// `lanes` transactions run at once. Each turn's reply is handed back only after the
/// transaction holding it has committed.
final class SharedTurns: @unchecked Sendable {
    enum Work: Sendable {
        case message(text: String, request: String?)
        /// `reset` or `end`: the session is forgotten.
        case reset
    }

    typealias Completion = @Sendable (Result<ByteBuffer?, SessionRegistry.Failure>) -> Void

    struct Pending {
        var work: Work
        var loop: (any EventLoop)?
        var done: Completion
    }

    let store: any SharedSessionStore
    /// The engine new batches use; a reload replaces it.
    let current: CurrentConversation
    let metrics: DaemonMetrics?
    private let turnMetrics: TurnMetrics?
    let idleExpiry: Double
    let keepTranscripts: Bool
    let logger: Logger
    let now: @Sendable () -> Double
    let lanes: Int
    let maximumBatch: Int

    private let lock = NSLock()
    /// The turns waiting, per session, in the order they came.
    private var queues: [String: [Pending]] = [:]
    /// Sessions with turns waiting and none running, oldest first.
    private var ready: [String] = []
    private var readyHead = 0
    /// Sessions in a running transaction.
    private var busy: Set<String> = []
    private var running = 0
    private var transactions = 0
    private var turns = 0

    init(
        store: any SharedSessionStore, current: CurrentConversation, idleExpiry: Double, keepTranscripts: Bool,
        logger: Logger, metrics: DaemonMetrics? = nil, now: @escaping @Sendable () -> Double, lanes: Int = 4, maximumBatch: Int = 64
    ) {
        self.store = store
        self.current = current
        self.metrics = metrics
        self.turnMetrics = metrics.map(TurnMetrics.init)
        self.idleExpiry = idleExpiry
        self.keepTranscripts = keepTranscripts
        self.logger = logger
        self.now = now
        self.lanes = max(lanes, 1)
        self.maximumBatch = max(maximumBatch, 1)
    }

    /// Transactions and turns so far, for benchmarks and tests.
    var statistics: (transactions: Int, writes: Int) { lock.withLock { (transactions, turns) } }

    func enqueue(session: String, _ work: Work, on loop: (any EventLoop)?, done: @escaping Completion) {
        let start = lock.withLock { () -> Bool in
            queues[session, default: []].append(Pending(work: work, loop: loop, done: done))
            if queues[session]!.count == 1 && !busy.contains(session) { ready.append(session) }
            guard running < lanes, readyHead < ready.count else { return false }
            running += 1
            return true
        }
        if start { Task { await self.lane() } }
    }

    /// Takes batches until none waits.
    private func lane() async {
        while true {
            let batch = lock.withLock { () -> [(session: String, turns: [Pending])] in
                var batch: [(session: String, turns: [Pending])] = []
                while batch.count < maximumBatch, readyHead < ready.count {
                    let session = ready[readyHead]
                    readyHead += 1
                    busy.insert(session)
                    batch.append((session, queues.removeValue(forKey: session) ?? []))
                }
                if readyHead > 1024, readyHead * 2 > ready.count {
                    ready.removeFirst(readyHead)
                    readyHead = 0
                }
                if batch.isEmpty { running -= 1 }
                return batch
            }
            if batch.isEmpty { return }
            await run(batch)
            lock.withLock {
                transactions += 1
                for (session, pending) in batch {
                    turns += pending.count
                    busy.remove(session)
                    if queues[session] != nil { ready.append(session) }
                }
            }
        }
    }

    /// What a transaction's body made for each turn, kept outside it (the body may run again).
    private final class Outputs: @unchecked Sendable {
        let lock = NSLock()
        var replies: [[ByteBuffer?]] = []
        var problems: [String] = []
        var turns: [TurnObservation] = []
    }

    private func run(_ batch: [(session: String, turns: [Pending])]) async {
        let time = now()
        var requests: [RequestKey] = []
        for (session, pending) in batch {
            for turn in pending {
                if case .message(_, let request?) = turn.work { requests.append(RequestKey(session: session, id: request)) }
            }
        }
        let outputs = Outputs()
        let work = batch.map { ($0.session, $0.turns.map(\.work)) }
        let conversation = current.value
        let result: Result<Void, StoreError>
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            try await store.transact(sessions: batch.map(\.session), requests: requests) { [self] snapshot in
                let (outcome, replies, problems, turns) = self.apply(
                    work, to: snapshot, at: time, conversation: conversation,
                    observing: metrics != nil)
                outputs.lock.withLock {
                    outputs.replies = replies
                    outputs.problems = problems
                    outputs.turns = turns
                }
                return outcome
            }
            result = .success(())
        } catch {
            result = .failure(error)
        }
        switch result {
        case .success:
            let (replies, problems, turns) = outputs.lock.withLock { (outputs.replies, outputs.problems, outputs.turns) }
            if let metrics {
                // Counted once the transaction has committed: a body the store ran again counts once.
                metrics.commitDuration.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - started))
                for turn in turns { turnMetrics?.record(turn) }
            }
            for problem in problems {
                logger.notice("a stored session cannot go on under this Charley; it starts again")
                logger.debug("why the stored session could not go on", metadata: ["problem": "\(problem)"])
            }
            var completions: [(Pending, Result<ByteBuffer?, SessionRegistry.Failure>)] = []
            for (index, (_, pending)) in batch.enumerated() {
                for (turn, reply) in zip(pending, replies[index]) { completions.append((turn, .success(reply))) }
            }
            complete(completions)
        case .failure(let error):
            logger.error("cannot run turns on the session store", metadata: ["error": "\(error)", "turns": "\(batch.map(\.turns.count).reduce(0, +))"])
            let failure = SessionRegistry.Failure.store("the session store cannot be reached; send the message again (with the same id it is applied once)")
            complete(batch.flatMap { $0.turns.map { ($0, .failure(failure)) } })
        }
    }

    /// The turns of a batch on the states read under their locks: the writes, each turn's reply
    /// (nil for a reset), and problems of stored states for the logs. Pure.
    func apply(
        _ work: [(session: String, turns: [Work])], to snapshot: SharedSnapshot, at time: Double,
        conversation: Conversation, observing: Bool = false
    )
        -> (SharedOutcome, [[ByteBuffer?]], [String], [TurnObservation])
    {
        var observed: [TurnObservation] = []
        var outcome = SharedOutcome()
        var given = snapshot.replies
        var replies: [[ByteBuffer?]] = []
        var problems: [String] = []
        for (session, turns) in work {
            let resumed = conversation.resume(snapshot.sessions[session], at: time, idleExpiry: idleExpiry)
            if let problem = resumed.problem { problems.append(problem) }
            var state = resumed.state
            var notice = resumed.notice
            var out: [ByteBuffer?] = []
            for turn in turns {
                switch turn {
                case .reset:
                    state = SessionState()
                    notice = nil
                    outcome.writes.append(SessionWrite(id: session, change: .delete, time: time, knowledge: conversation.knowledge.version))
                    out.append(nil)
                case .message(let text, let request):
                    let key = request.map { RequestKey(session: session, id: $0) }
                    if let key, let bytes = given[key] {
                        out.append(ByteBuffer(bytes: bytes))
                        continue
                    }
                    var next = state
                    let started = observing ? DispatchTime.now().uptimeNanoseconds : 0
                    var reply = conversation.respond(to: text, state: &next)
                    if observing {
                        observed.append(TurnObservation(before: state, after: next, nanoseconds: Int64(DispatchTime.now().uptimeNanoseconds - started)))
                    }
                    reply.session = session
                    reply.request = request
                    if let text = notice { reply.reply = text + "\n\n" + reply.reply }
                    notice = nil
                    let transcript = keepTranscripts ? TranscriptEntry(turn: next.turns, said: text, reply: reply.reply, at: time) : nil
                    outcome.writes.append(
                        SessionWrite(
                            id: session, change: next.stage == .ended ? .delete : .save(next), time: time,
                            knowledge: conversation.knowledge.version, transcript: transcript))
                    state = next.stage == .ended ? SessionState() : next
                    var writer = reply.writer()
                    writer.newline()
                    let bytes = writer.bytes
                    if let key {
                        given[key] = bytes
                        outcome.replies.append(RememberedReply(key: key, reply: bytes, at: time))
                    }
                    out.append(ByteBuffer(bytes: bytes))
                }
            }
            replies.append(out)
        }
        return (outcome, replies, problems, observed)
    }

    /// Runs the completions: those without a loop here, the others one task per loop.
    private func complete(_ completions: [(Pending, Result<ByteBuffer?, SessionRegistry.Failure>)]) {
        var groups: [(loop: any EventLoop, items: [(Completion, Result<ByteBuffer?, SessionRegistry.Failure>)])] = []
        for (pending, result) in completions {
            guard let loop = pending.loop else {
                pending.done(result)
                continue
            }
            if let index = groups.firstIndex(where: { $0.loop === loop }) {
                groups[index].items.append((pending.done, result))
            } else {
                groups.append((loop, [(pending.done, result)]))
            }
        }
        for (loop, items) in groups {
            loop.execute { for (done, result) in items { done(result) } }
        }
    }
}
