import Knowledge
import Understanding
import WireFormat

/// One reply of Charley's: the text for the person and the contract's structured fields, the
/// same from every front end.
public struct Reply: Sendable, Equatable, Codable {
    public struct CauseScore: Sendable, Equatable, Codable {
        public var id: String
        public var score: Double
        public var because: [String]
    }

    /// Filled in by the front end that carries sessions (the socket daemon, `chat --json`).
    public var session: String?
    public var reply: String
    public var stage: Stage
    public var understood: Understood
    /// Everything known so far (for a reply read from JSON, only what its slots say).
    public var known: Findings
    /// Everything known so far, in the shape of `understood`'s slots: worked out when read or
    /// written as JSON.
    public var slots: Slots { Slots(findings: known) }
    public var triage: TriageLevel?
    public var redFlags: [String]
    public var causes: [CauseScore]
    public var suggestions: [String]
    public var done: Bool
    /// Who the conversation is about, once said (`{"who": "other", "relation": "mother", ...}`).
    public var subject: Subject? = nil
    /// The id of the interview question waiting for an answer, if any.
    public var question: String? = nil
    /// The request's `id`, when the client gave one (the socket daemon): echoed so that a bridge
    /// can match a reply to the request it retried.
    public var request: String? = nil

    enum CodingKeys: String, CodingKey {
        case session, reply, stage, understood, slots, triage, causes, suggestions, done, subject, question, known
        case request = "id"
        case redFlags = "red_flags"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(session, forKey: .session)
        try c.encode(reply, forKey: .reply)
        try c.encode(stage, forKey: .stage)
        try c.encode(understood, forKey: .understood)
        try c.encode(slots, forKey: .slots)
        try c.encode(triage, forKey: .triage)  // null until there is a basis for one
        try c.encode(redFlags, forKey: .redFlags)
        try c.encode(causes, forKey: .causes)
        try c.encode(suggestions, forKey: .suggestions)
        try c.encode(done, forKey: .done)
        try c.encode(KnownFindings(known), forKey: .known)
        try c.encode(question, forKey: .question)
        try c.encodeIfPresent(subject, forKey: .subject)
        try c.encodeIfPresent(request, forKey: .request)
    }
}

extension Reply {
    /// Read from contract JSON (`charley connect`): the findings known are those its slots name.
    /// In an extension, so the memberwise initialiser stays.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        session = try c.decodeIfPresent(String.self, forKey: .session)
        reply = try c.decode(String.self, forKey: .reply)
        stage = try c.decode(Stage.self, forKey: .stage)
        understood = try c.decode(Understood.self, forKey: .understood)
        known = Findings(present: try c.decode(Slots.self, forKey: .slots).findings)
        triage = try c.decodeIfPresent(TriageLevel.self, forKey: .triage)
        redFlags = try c.decode([String].self, forKey: .redFlags)
        causes = try c.decode([CauseScore].self, forKey: .causes)
        suggestions = try c.decode([String].self, forKey: .suggestions)
        done = try c.decode(Bool.self, forKey: .done)
        subject = try c.decodeIfPresent(Subject.self, forKey: .subject)
        question = try c.decodeIfPresent(String.self, forKey: .question)
        request = try c.decodeIfPresent(String.self, forKey: .request)
        if let all = try c.decodeIfPresent(KnownFindings.self, forKey: .known) { known = all.findings }
    }

    /// The reply as contract JSON, byte for byte what `ContractJSON.data(self)` makes (sorted
    /// keys), written directly: the daemon writes one per message.
    public func json() -> [UInt8] { writer().bytes }

    /// A writer holding the reply's JSON, for a caller that adds to it or copies it elsewhere
    /// (the daemon: a newline, then the socket's buffer) without an array between.
    public func writer() -> JSONWriter {
        var out = JSONWriter(capacity: reply.utf8.count + 1024)
        write(to: &out)
        return out
    }

    public func write(to out: inout JSONWriter) {
        out.beginObject()
        out.key("causes")
        out.beginArray()
        for cause in causes {
            out.beginObject()
            out.key("because")
            out.strings(cause.because)
            out.key("id")
            out.string(cause.id)
            out.key("score")
            out.double(cause.score)
            out.endObject()
        }
        out.endArray()
        out.key("done")
        out.bool(done)
        if let request {
            out.key("id")
            out.string(request)
        }
        out.key("known")
        KnownFindings(known).write(to: &out)
        out.key("question")
        out.string(orNull: question)
        out.key("red_flags")
        out.strings(redFlags)
        out.key("reply")
        out.string(reply)
        if let session {
            out.key("session")
            out.string(session)
        }
        out.key("slots")
        slots.write(to: &out)
        out.key("stage")
        out.string(stage.rawValue)
        if let subject {
            out.key("subject")
            subject.write(to: &out)
        }
        out.key("suggestions")
        out.strings(suggestions)
        out.key("triage")
        out.string(orNull: triage?.rawValue)
        out.key("understood")
        understood.write(to: &out)
        out.endObject()
    }
}

/// Everything known so far, in the shape of `understood`'s finding fields (slots, triggers,
/// conditions, symptoms present and absent, denied), for the reply's `known` field: a bridge
/// sees what Charley knows without keeping the conversation itself.
struct KnownFindings: Codable {
    var findings: Findings

    init(_ findings: Findings) { self.findings = findings }

    private var fields: Understood { Understood(intent: .describe, findings: findings, confidence: 1) }

    enum CodingKeys: String, CodingKey { case slots, triggers, conditions, symptoms, denied }

    func encode(to encoder: any Encoder) throws {
        let fields = fields
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(fields.slots, forKey: .slots)
        try c.encode(fields.triggers, forKey: .triggers)
        try c.encode(fields.conditions, forKey: .conditions)
        try c.encode(fields.symptoms, forKey: .symptoms)
        try c.encode(fields.denied, forKey: .denied)
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var present = try c.decode(Slots.self, forKey: .slots).findings
        for value in try c.decode([String].self, forKey: .triggers) { present.insert(Finding(.trigger, value)) }
        for value in try c.decode([String].self, forKey: .conditions) { present.insert(Finding(.condition, value)) }
        for value in try c.decode(SymptomLists.self, forKey: .symptoms).present { present.insert(Finding(.symptom, value)) }
        let denied = try c.decode([String].self, forKey: .denied).compactMap { Finding(parsing: $0) }
        findings = Findings(present: present, absent: FindingSet(denied))
    }

    /// Contract JSON, sorted keys.
    func write(to out: inout JSONWriter) {
        let fields = fields
        out.beginObject()
        out.key("conditions")
        out.strings(fields.conditions)
        out.key("denied")
        out.strings(fields.denied)
        out.key("slots")
        fields.slots.write(to: &out)
        let symptoms = fields.symptoms
        out.key("symptoms")
        out.beginObject()
        out.key("absent")
        out.strings(symptoms.absent)
        out.key("present")
        out.strings(symptoms.present)
        out.endObject()
        out.key("triggers")
        out.strings(fields.triggers)
        out.endObject()
    }
}
