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
    /// The state as JSON, written directly: the same document `JSONEncoder` makes (and
    /// `JSONDecoder` reads back), at a fraction of its cost on Linux, where the store writes one
    /// per turn.
    public func json() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + undo.count * 160)
        out.append(contentsOf: #"{"stage":"#.utf8)
        JSONText.string(stage.rawValue, into: &out)
        out.append(contentsOf: #","findings":"#.utf8)
        JSONText.findings(findings, into: &out)
        out.append(contentsOf: #","asked":"#.utf8)
        JSONText.strings(asked, into: &out)
        if let pending {
            out.append(contentsOf: #","pending":"#.utf8)
            JSONText.string(pending, into: &out)
        }
        out.append(contentsOf: reasked ? #","reasked":true"#.utf8 : #","reasked":false"#.utf8)
        if let triage {
            out.append(contentsOf: #","triage":"#.utf8)
            JSONText.string(triage.rawValue, into: &out)
        }
        out.append(contentsOf: #","redFlags":"#.utf8)
        JSONText.strings(redFlags, into: &out)
        out.append(contentsOf: #","undo":["#.utf8)
        for (index, snapshot) in undo.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"stage":"#.utf8)
            JSONText.string(snapshot.stage.rawValue, into: &out)
            out.append(contentsOf: #","findings":"#.utf8)
            JSONText.findings(snapshot.findings, into: &out)
            out.append(contentsOf: #","asked":"#.utf8)
            JSONText.strings(snapshot.asked, into: &out)
            if let pending = snapshot.pending {
                out.append(contentsOf: #","pending":"#.utf8)
                JSONText.string(pending, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: #"],"turns":"#.utf8)
        out.append(contentsOf: String(turns).utf8)
        out.append(UInt8(ascii: "}"))
        return out
    }
}

/// Writing JSON values by hand.
enum JSONText {
    static func string(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xf)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    static func strings(_ texts: some Sequence<String>, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, text) in texts.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            string(text, into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    static func findings(_ findings: Findings, into out: inout [UInt8]) {
        out.append(contentsOf: #"{"present":"#.utf8)
        strings(findings.present.lazy.map(\.description), into: &out)
        out.append(contentsOf: #","absent":"#.utf8)
        strings(findings.absent.lazy.map(\.description), into: &out)
        out.append(UInt8(ascii: "}"))
    }
}
