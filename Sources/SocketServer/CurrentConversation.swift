import Conversation
import CoreMetrics
import DaemonMetrics
import Knowledge
import NIOConcurrencyHelpers

/// The conversation engine new turns use: one value, replaced whole by a reload once the new
/// knowledge model and lexicon have validated. A turn takes the value once and runs on it to
/// the end, so no turn ever sees half of one model and half of another.
public final class CurrentConversation: Sendable {
    private let box: NIOLockedValueBox<Conversation>

    public init(_ conversation: Conversation) { box = NIOLockedValueBox(conversation) }

    public var value: Conversation { box.withLockedValue { $0 } }

    /// Puts `conversation` in place for the turns from now on.
    public func replace(with conversation: Conversation) { box.withLockedValue { $0 = conversation } }
}

/// What one turn did, for the metrics: only ids and a duration, never the person's words.
struct TurnObservation {
    var stage: Stage
    /// The session's triage level, when the turn set or raised it.
    var raisedTriage: TriageLevel?
    /// Red-flag rules the session matched for the first time in this turn.
    var newRedFlags: [String]
    var nanoseconds: Int64

    init(before: SessionState, after: SessionState, nanoseconds: Int64) {
        stage = after.stage
        raisedTriage = after.triage != before.triage ? after.triage : nil
        newRedFlags = after.redFlags.count == before.redFlags.count ? [] : after.redFlags.filter { !before.redFlags.contains($0) }
        self.nanoseconds = nanoseconds
    }
}

extension DaemonMetrics {
    /// Made with every series of the current ids at zero.
    convenience init(conversation: Conversation) {
        self.init(
            codes: ErrorCode.allCases.map(\.rawValue), stages: Stage.allCases.map(\.rawValue),
            levels: TriageLevel.allCases.map(\.rawValue), rules: conversation.knowledge.triageRules.map(\.id))
    }
}

/// What a turn counts, found by position (a stage's, a level's place in its enum): a turn costs
/// a few atomic increments and one histogram entry, no lookup by name and no lock but the
/// histogram's.
struct TurnMetrics: Sendable {
    let metrics: DaemonMetrics
    private let stages: [CoreMetrics.Counter]
    private let levels: [CoreMetrics.Counter]
    /// Made once: a CaseIterable's `allCases` is a new array at each call.
    private static let stageOrder = Stage.allCases
    private static let levelOrder = TriageLevel.allCases

    init(_ metrics: DaemonMetrics) {
        self.metrics = metrics
        stages = metrics.replyCounters(Self.stageOrder.map(\.rawValue))
        levels = metrics.triageCounters(Self.levelOrder.map(\.rawValue))
    }

    func record(_ turn: TurnObservation) {
        metrics.messages.increment()
        metrics.turnDuration.recordNanoseconds(turn.nanoseconds)
        stages[Self.stageOrder.firstIndex(of: turn.stage)!].increment()
        if let level = turn.raisedTriage { levels[Self.levelOrder.firstIndex(of: level)!].increment() }
        for rule in turn.newRedFlags { metrics.redFlag(rule) }
    }
}
