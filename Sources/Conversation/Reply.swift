import Knowledge
import Understanding

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
    /// Everything known so far, in the shape of `understood`'s slots.
    public var slots: Slots
    public var triage: TriageLevel?
    public var redFlags: [String]
    public var causes: [CauseScore]
    public var suggestions: [String]
    public var done: Bool

    enum CodingKeys: String, CodingKey {
        case session, reply, stage, understood, slots, triage, causes, suggestions, done
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
    }
}
