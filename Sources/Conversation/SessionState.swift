import Knowledge
import Understanding

/// Where a conversation is. Raw values are the contract's stage ids.
public enum Stage: String, Sendable, Codable, CaseIterable {
    case greeting, onset, location, triggers, symptoms, history, assessment, followup, escalated, ended
}

/// Everything a conversation remembers between turns: a small Codable value, so it can be
/// stored and sent between processes. No words of the person are kept, only findings.
public struct SessionState: Sendable, Codable, Equatable {
    public var stage: Stage = .greeting
    public var findings = Findings()
    /// Ids of interview questions already asked (answered, skipped or not understood twice).
    public var asked: [String] = []
    /// The question waiting for an answer.
    public var pending: String?
    /// The pending question was not understood once and has been asked again with examples.
    public var reasked = false
    /// The highest triage level reached; it never drops within a conversation.
    public var triage: TriageLevel?
    /// Red-flag rules that have fired, in order.
    public var redFlags: [String] = []
    /// Earlier states, for `back`; bounded.
    public var undo: [Snapshot] = []
    public var turns = 0

    public init() {}

    /// Reads states saved by this Charley and by older ones: a field an older version did not
    /// have takes its default. An unknown stage or finding kind still fails, and the caller
    /// starts the conversation again.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        stage = try c.decode(Stage.self, forKey: .stage)
        findings = try c.decodeIfPresent(Findings.self, forKey: .findings) ?? Findings()
        asked = try c.decodeIfPresent([String].self, forKey: .asked) ?? []
        pending = try c.decodeIfPresent(String.self, forKey: .pending)
        reasked = try c.decodeIfPresent(Bool.self, forKey: .reasked) ?? false
        triage = try c.decodeIfPresent(TriageLevel.self, forKey: .triage)
        redFlags = try c.decodeIfPresent([String].self, forKey: .redFlags) ?? []
        undo = try c.decodeIfPresent([Snapshot].self, forKey: .undo) ?? []
        turns = try c.decodeIfPresent(Int.self, forKey: .turns) ?? 0
    }

    /// Every finding the state refers to, undo history included.
    var allFindings: [Finding] {
        ([findings] + undo.map(\.findings)).flatMap { Array($0.present) + Array($0.absent) }
    }

    /// What `back` restores.
    public struct Snapshot: Sendable, Codable, Equatable {
        public var stage: Stage
        public var findings: Findings
        public var asked: [String]
        public var pending: String?
    }

    static let undoLimit = 20

    var snapshot: Snapshot { Snapshot(stage: stage, findings: findings, asked: asked, pending: pending) }

    mutating func restore(_ snapshot: Snapshot) {
        stage = snapshot.stage
        findings = snapshot.findings
        asked = snapshot.asked
        pending = snapshot.pending
        reasked = false
    }

    /// Raises the triage level; never lowers it.
    mutating func raise(to level: TriageLevel) {
        triage = max(triage ?? level, level)
    }

    /// Records what an utterance said. Single-valued kinds are replaced ("actually it's my
    /// left leg"); a denied finding is removed from what is present ("no, not at night").
    mutating func record(_ new: Findings) {
        for finding in new.present {
            if finding.kind.isSingleValued {
                findings.present = findings.present.filter { $0.kind != finding.kind }
            }
            findings.present.insert(finding)
            findings.absent.remove(finding)
        }
        for finding in new.absent {
            findings.present.remove(finding)
            findings.absent.insert(finding)
        }
    }
}

extension SessionState {
    /// The state as JSON, written directly: the document `JSONEncoder` makes (and
    /// `JSONDecoder` reads back), at a fraction of its cost on Linux, where the store writes one
    /// per turn.
    public func json() -> [UInt8] {
        var out = JSONWriter(capacity: 256 + undo.count * 160)
        out.beginObject()
        out.key("stage"); out.string(stage.rawValue)
        out.key("findings"); Self.write(findings, to: &out)
        out.key("asked"); out.strings(asked)
        if let pending { out.key("pending"); out.string(pending) }
        out.key("reasked"); out.bool(reasked)
        if let triage { out.key("triage"); out.string(triage.rawValue) }
        out.key("redFlags"); out.strings(redFlags)
        out.key("undo")
        out.beginArray()
        for snapshot in undo {
            out.beginObject()
            out.key("stage"); out.string(snapshot.stage.rawValue)
            out.key("findings"); Self.write(snapshot.findings, to: &out)
            out.key("asked"); out.strings(snapshot.asked)
            if let pending = snapshot.pending { out.key("pending"); out.string(pending) }
            out.endObject()
        }
        out.endArray()
        out.key("turns"); out.int(turns)
        out.endObject()
        return out.bytes
    }

    private static func write(_ findings: Findings, to out: inout JSONWriter) {
        out.beginObject()
        out.key("present"); out.strings(findings.present.lazy.map(\.description))
        out.key("absent"); out.strings(findings.absent.lazy.map(\.description))
        out.endObject()
    }
}
