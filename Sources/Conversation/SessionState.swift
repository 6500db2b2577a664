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
        Array(findings.present) + Array(findings.absent) + undo.flatMap(\.allFindings)
    }

    /// What `back` restores. The newest is whole; each older one is kept as its difference
    /// from the one above it (a few findings), so twenty steps of undo cost little memory and
    /// little to store. A state saved before diffs existed holds whole snapshots only, which
    /// work the same.
    public struct Snapshot: Sendable, Codable, Equatable {
        public var stage: Stage
        public var pending: String?
        /// Whole: the findings and the questions asked.
        public var findings: Findings?
        public var asked: [String]?
        /// Or a difference from the snapshot above it.
        public var diff: Diff?

        public struct Diff: Sendable, Codable, Equatable {
            /// Present here but not above (given back on restore), present above but not here
            /// (taken away); the same for absent findings.
            public var present: [Finding] = []
            public var presentDropped: [Finding] = []
            public var absent: [Finding] = []
            public var absentDropped: [Finding] = []
            /// How many of the questions asked above had been asked here.
            public var asked: Int
        }

        init(stage: Stage, findings: Findings, asked: [String], pending: String?) {
            self.stage = stage
            self.findings = findings
            self.asked = asked
            self.pending = pending
        }

        /// This whole snapshot as a difference from `newer` (whole), or itself when the
        /// questions asked here are not the start of those asked there.
        func relative(to newer: Snapshot) -> Snapshot {
            guard let findings, let asked, let newerFindings = newer.findings, let newerAsked = newer.asked,
                  newerAsked.starts(with: asked) else { return self }
            var copy = self
            copy.findings = nil
            copy.asked = nil
            copy.diff = Diff(present: Array(findings.present.subtracting(newerFindings.present)),
                             presentDropped: Array(newerFindings.present.subtracting(findings.present)),
                             absent: Array(findings.absent.subtracting(newerFindings.absent)),
                             absentDropped: Array(newerFindings.absent.subtracting(findings.absent)),
                             asked: asked.count)
            return copy
        }

        /// This snapshot made whole again from `newer` (whole), the one that was above it.
        func whole(from newer: Snapshot) -> Snapshot {
            guard let diff, var findings = newer.findings, let newerAsked = newer.asked else { return self }
            findings.present.subtract(diff.presentDropped)
            findings.present.formUnion(diff.present)
            findings.absent.subtract(diff.absentDropped)
            findings.absent.formUnion(diff.absent)
            return Snapshot(stage: stage, findings: findings, asked: Array(newerAsked.prefix(diff.asked)), pending: pending)
        }

        var allFindings: [Finding] {
            Array(findings?.present ?? []) + Array(findings?.absent ?? [])
                + (diff.map { $0.present + $0.presentDropped + $0.absent + $0.absentDropped } ?? [])
        }
    }

    static let undoLimit = 20

    var snapshot: Snapshot { Snapshot(stage: stage, findings: findings, asked: asked, pending: pending) }

    /// Keeps `before` for `back`; the snapshot it covers becomes a difference from it.
    mutating func pushUndo(_ before: Snapshot) {
        if let top = undo.indices.last { undo[top] = undo[top].relative(to: before) }
        undo.append(before)
        if undo.count > Self.undoLimit { undo.removeFirst() }
    }

    /// The newest snapshot, whole; the one under it is made whole for the next `back`.
    mutating func popUndo() -> Snapshot? {
        guard let top = undo.popLast() else { return nil }
        if let next = undo.indices.last { undo[next] = undo[next].whole(from: top) }
        return top
    }

    mutating func restore(_ snapshot: Snapshot) {
        stage = snapshot.stage
        findings = snapshot.findings ?? findings
        asked = snapshot.asked ?? asked
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
            if let pending = snapshot.pending { out.key("pending"); out.string(pending) }
            if let findings = snapshot.findings { out.key("findings"); Self.write(findings, to: &out) }
            if let asked = snapshot.asked { out.key("asked"); out.strings(asked) }
            if let diff = snapshot.diff {
                out.key("diff")
                out.beginObject()
                out.key("present"); out.strings(diff.present.lazy.map(\.description))
                out.key("presentDropped"); out.strings(diff.presentDropped.lazy.map(\.description))
                out.key("absent"); out.strings(diff.absent.lazy.map(\.description))
                out.key("absentDropped"); out.strings(diff.absentDropped.lazy.map(\.description))
                out.key("asked"); out.int(diff.asked)
                out.endObject()
            }
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
