import Knowledge
import Understanding
import WireFormat

/// Where a conversation is. Raw values are the contract's stage ids.
public enum Stage: String, Sendable, Codable, CaseIterable {
    case greeting, onset, location, triggers, symptoms, history, assessment, followup, escalated, ended

    /// The interview is over: assessed, escalated or ended (no question is pending).
    public var isPastInterview: Bool {
        switch self {
        case .assessment, .followup, .escalated, .ended: true
        default: false
        }
    }

    /// The stages whose replies show the ranked causes.
    var showsCauses: Bool { self == .assessment || self == .followup }
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
    /// How many times running the pending question has been asked (resumed after a question
    /// included): at two, Charley moves on rather than ask it a third time.
    public var timesAsked = 0
    /// Who the conversation is about (nil: not said, read as the person writing).
    public var subject: Subject?
    /// The highest triage level reached; it never drops within a conversation.
    public var triage: TriageLevel?
    /// Red-flag rules that have fired, in order.
    public var redFlags: [String] = []
    /// Red-flag rules a question asked about ("is a swollen red calf serious?") and the person
    /// was asked whether it is happening now: a yes escalates them at once.
    public var redFlagsAsked: [String] = []
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
        timesAsked = try c.decodeIfPresent(Int.self, forKey: .timesAsked) ?? 0
        subject = try c.decodeIfPresent(Subject.self, forKey: .subject)
        triage = try c.decodeIfPresent(TriageLevel.self, forKey: .triage)
        redFlags = try c.decodeIfPresent([String].self, forKey: .redFlags) ?? []
        redFlagsAsked = try c.decodeIfPresent([String].self, forKey: .redFlagsAsked) ?? []
        undo = try c.decodeIfPresent([Snapshot].self, forKey: .undo) ?? []
        turns = try c.decodeIfPresent(Int.self, forKey: .turns) ?? 0
    }

    /// Every finding the state refers to, undo history included.
    var allFindings: [Finding] {
        Array(findings.present) + Array(findings.absent) + undo.flatMap(\.allFindings)
    }

    /// What `back` restores, each kept as its difference from the step after it (the newest from
    /// the state now): a few findings, so twenty steps of undo cost little memory and little to
    /// store. A state saved before differences existed holds whole snapshots, which work the same.
    public struct Snapshot: Sendable, Equatable {
        public var stage: Stage
        public var pending: String?
        public var content: Content

        public enum Content: Sendable, Equatable {
            /// The findings and the questions asked.
            case whole(Findings, asked: [String])
            /// How this snapshot differs from the one above it: findings to give back or take
            /// away, and how many of the questions asked above had been asked here.
            case diff([Change], asked: Int)
        }

        public enum Change: Sendable, Equatable {
            case present(Finding)
            case presentDropped(Finding)
            case absent(Finding)
            case absentDropped(Finding)
        }

        init(stage: Stage, findings: Findings, asked: [String], pending: String?) {
            self.stage = stage
            self.pending = pending
            self.content = .whole(findings, asked: asked)
        }

        public var findings: Findings? {
            if case .whole(let findings, _) = content { findings } else { nil }
        }

        public var asked: [String]? {
            if case .whole(_, let asked) = content { asked } else { nil }
        }

        /// This whole snapshot as a difference from `newer` (whole), or itself when the
        /// questions asked here are not the start of those asked there.
        func relative(to newer: Snapshot) -> Snapshot {
            guard case .whole(let findings, let asked) = content, case .whole(let newerFindings, let newerAsked) = newer.content,
                newerAsked.starts(with: asked)
            else { return self }
            // One array, sized once (a turn changes a few findings).
            let present = findings.present.subtracting(newerFindings.present)
            let presentDropped = newerFindings.present.subtracting(findings.present)
            let absent = findings.absent.subtracting(newerFindings.absent)
            let absentDropped = newerFindings.absent.subtracting(findings.absent)
            var changes: [Change] = []
            changes.reserveCapacity(present.count + presentDropped.count + absent.count + absentDropped.count)
            for finding in present { changes.append(.present(finding)) }
            for finding in presentDropped { changes.append(.presentDropped(finding)) }
            for finding in absent { changes.append(.absent(finding)) }
            for finding in absentDropped { changes.append(.absentDropped(finding)) }
            var copy = self
            copy.content = .diff(changes, asked: asked.count)
            return copy
        }

        /// This snapshot made whole again from `newer` (whole), the one that was above it.
        func whole(from newer: Snapshot) -> Snapshot {
            guard case .diff(let changes, let count) = content, case .whole(var findings, let newerAsked) = newer.content else { return self }
            for change in changes {
                switch change {
                case .presentDropped(let finding): findings.present.remove(finding)
                case .absentDropped(let finding): findings.absent.remove(finding)
                default: break
                }
            }
            for change in changes {
                switch change {
                case .present(let finding): findings.present.insert(finding)
                case .absent(let finding): findings.absent.insert(finding)
                default: break
                }
            }
            return Snapshot(stage: stage, findings: findings, asked: Array(newerAsked.prefix(count)), pending: pending)
        }

        var allFindings: [Finding] {
            switch content {
            case .whole(let findings, _):
                return Array(findings.present) + Array(findings.absent)
            case .diff(let changes, _):
                return changes.map {
                    switch $0 {
                    case .present(let f), .presentDropped(let f), .absent(let f), .absentDropped(let f): f
                    }
                }
            }
        }
    }

    static let undoLimit = 20

    var snapshot: Snapshot { Snapshot(stage: stage, findings: findings, asked: asked, pending: pending) }

    /// Keeps `before` (the state as it was before this turn's answer was recorded) for `back`,
    /// as its difference from the state now. Every older step is already a difference from the
    /// one after it, so no whole copy of the findings is kept at all.
    mutating func pushUndo(_ before: Snapshot) {
        undo.append(before.relative(to: snapshot))
        if undo.count > Self.undoLimit { undo.removeFirst() }
    }

    /// The newest step, made whole from the state now; the step under it is a difference from
    /// this one, which `restore` makes the state.
    mutating func popUndo() -> Snapshot? {
        undo.popLast()?.whole(from: snapshot)
    }

    mutating func restore(_ snapshot: Snapshot) {
        stage = snapshot.stage
        if case .whole(let findings, let asked) = snapshot.content {
            self.findings = findings
            self.asked = asked
        }
        pending = snapshot.pending
        reasked = false
        timesAsked = 0
    }

    /// Raises the triage level; never lowers it.
    mutating func raise(to level: TriageLevel) {
        triage = max(triage ?? level, level)
    }

    /// Records what an utterance said. Single-valued kinds are replaced ("actually it's my
    /// left leg"); a denied finding is removed from what is present ("no, not at night").
    mutating func record(_ new: Findings) {
        for finding in new.present {
            // (Only when one of the kind is there: the filter walks every finding.)
            if finding.kind.isSingleValued && findings.present.contains(kind: finding.kind) {
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
    /// per turn. Without `undo`, the history is left out (`"undo"` absent reads back as none):
    /// the SQLite store keeps it apart and writes it only on the turns that change it.
    public func json(undo includeUndo: Bool = true) -> [UInt8] {
        var out = JSONWriter(capacity: 256 + (includeUndo ? undo.count * 160 : 0))
        out.beginObject()
        out.key("stage")
        out.string(stage.rawValue)
        out.key("findings")
        Self.write(findings, to: &out)
        out.key("asked")
        out.strings(asked)
        if let pending {
            out.key("pending")
            out.string(pending)
        }
        out.key("reasked")
        out.bool(reasked)
        if timesAsked != 0 {
            out.key("timesAsked")
            out.int(timesAsked)
        }
        if let subject {
            out.key("subject")
            subject.write(to: &out)
        }
        if let triage {
            out.key("triage")
            out.string(triage.rawValue)
        }
        out.key("redFlags")
        out.strings(redFlags)
        if !redFlagsAsked.isEmpty {
            out.key("redFlagsAsked")
            out.strings(redFlagsAsked)
        }
        if includeUndo {
            out.key("undo")
            writeUndo(to: &out)
        }
        out.key("turns")
        out.int(turns)
        out.endObject()
        return out.bytes
    }

    /// The undo history alone, as the JSON array `json()` holds under `"undo"`.
    public func undoJSON() -> [UInt8] {
        var out = JSONWriter(capacity: 16 + undo.count * 160)
        writeUndo(to: &out)
        return out.bytes
    }

    private func writeUndo(to out: inout JSONWriter) {
        out.beginArray()
        // By index, each snapshot read in place (`for snapshot in undo` copied every one).
        for index in undo.indices {
            out.beginObject()
            out.key("stage")
            out.string(undo[index].stage.rawValue)
            if let pending = undo[index].pending {
                out.key("pending")
                out.string(pending)
            }
            switch undo[index].content {
            case .whole(let findings, let asked):
                out.key("findings")
                Self.write(findings, to: &out)
                out.key("asked")
                out.strings(asked)
            case .diff(let changes, let asked):
                out.key("diff")
                out.beginObject()
                // Empty lists are left out (most differences change one or two findings).
                Self.list("present", changes, to: &out) { if case .present(let f) = $0 { f } else { nil } }
                Self.list("presentDropped", changes, to: &out) { if case .presentDropped(let f) = $0 { f } else { nil } }
                Self.list("absent", changes, to: &out) { if case .absent(let f) = $0 { f } else { nil } }
                Self.list("absentDropped", changes, to: &out) { if case .absentDropped(let f) = $0 { f } else { nil } }
                out.key("asked")
                out.int(asked)
                out.endObject()
            }
            out.endObject()
        }
        out.endArray()
    }

    /// Whether `other` has the same undo history. Steps are only ever added or taken at the
    /// ends (and the oldest dropped past the limit), so the count and the two ends decide it
    /// without comparing every step. A turn that left the history alone still shares its
    /// storage with the state it began from: then no step is looked at (comparing two steps
    /// copies and compares their findings).
    public func hasSameUndo(as other: SessionState) -> Bool {
        guard undo.count == other.undo.count else { return false }
        guard let last = undo.indices.last else { return true }
        let shared = undo.withUnsafeBufferPointer { mine in
            other.undo.withUnsafeBufferPointer { theirs in mine.baseAddress == theirs.baseAddress }
        }
        return shared || (undo[last] == other.undo[last] && undo[0] == other.undo[0])
    }

    /// One list of a difference's findings, when it has any. Two passes over a few changes
    /// instead of an array per list.
    private static func list(
        _ key: StaticString, _ changes: [Snapshot.Change], to out: inout JSONWriter,
        _ pick: (Snapshot.Change) -> Finding?
    ) {
        guard changes.contains(where: { pick($0) != nil }) else { return }
        out.key(key)
        out.beginArray()
        for change in changes { if let finding = pick(change) { out.finding(finding) } }
        out.endArray()
    }

    private static func write(_ findings: Findings, to out: inout JSONWriter) {
        out.beginObject()
        out.key("present")
        out.findings(findings.present)
        out.key("absent")
        out.findings(findings.absent)
        out.endObject()
    }
}

extension SessionState.Snapshot: Codable {
    /// The stored form of a difference: four lists of findings and a count.
    struct DiffForm: Codable {
        var present: [String] = []
        var presentDropped: [String] = []
        var absent: [String] = []
        var absentDropped: [String] = []
        var asked: Int

        init(_ changes: [Change], asked: Int) {
            self.asked = asked
            for change in changes {
                switch change {
                case .present(let f): present.append(f.description)
                case .presentDropped(let f): presentDropped.append(f.description)
                case .absent(let f): absent.append(f.description)
                case .absentDropped(let f): absentDropped.append(f.description)
                }
            }
        }

        enum CodingKeys: String, CodingKey { case present, presentDropped, absent, absentDropped, asked }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            present = try c.decodeIfPresent([String].self, forKey: .present) ?? []
            presentDropped = try c.decodeIfPresent([String].self, forKey: .presentDropped) ?? []
            absent = try c.decodeIfPresent([String].self, forKey: .absent) ?? []
            absentDropped = try c.decodeIfPresent([String].self, forKey: .absentDropped) ?? []
            asked = try c.decode(Int.self, forKey: .asked)
        }

        func changes() throws -> [Change] {
            func parse(_ list: [String], _ make: (Finding) -> Change) throws -> [Change] {
                try list.map { text in
                    guard let finding = Finding(parsing: text) else {
                        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not a finding"))
                    }
                    return make(finding)
                }
            }
            return try parse(present, Change.present) + parse(presentDropped, Change.presentDropped)
                + parse(absent, Change.absent) + parse(absentDropped, Change.absentDropped)
        }
    }

    enum CodingKeys: String, CodingKey { case stage, pending, findings, asked, diff }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        stage = try c.decode(Stage.self, forKey: .stage)
        pending = try c.decodeIfPresent(String.self, forKey: .pending)
        if let diff = try c.decodeIfPresent(DiffForm.self, forKey: .diff) {
            content = .diff(try diff.changes(), asked: diff.asked)
        } else {
            content = .whole(try c.decode(Findings.self, forKey: .findings), asked: try c.decode([String].self, forKey: .asked))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(stage, forKey: .stage)
        try c.encodeIfPresent(pending, forKey: .pending)
        switch content {
        case .whole(let findings, let asked):
            try c.encode(findings, forKey: .findings)
            try c.encode(asked, forKey: .asked)
        case .diff(let changes, let asked):
            try c.encode(DiffForm(changes, asked: asked), forKey: .diff)
        }
    }
}
