import Knowledge
import WireFormat

/// What a person wants from one utterance. Raw values are the contract's intent ids; `back` and
/// `ask_why` are added for the interview's commands ("undo", "why do you ask?").
public enum Intent: String, Sendable, Codable, CaseIterable {
    case describe
    case askCauses = "ask_causes"
    case askTreatment = "ask_treatment"
    case askPrevention = "ask_prevention"
    case askWhenDoctor = "ask_when_doctor"
    case askCondition = "ask_condition"
    case greet, affirm, deny
    case unknownAnswer = "unknown_answer"
    case help, restart, summary, goodbye
    case back
    case askWhy = "ask_why"
    case unrecognized

    /// Questions about cramps, answered from a topic.
    public var isQuestion: Bool {
        switch self {
        case .askCauses, .askTreatment, .askPrevention, .askWhenDoctor, .askCondition: true
        default: false
        }
    }

    /// Short answers to the pending question.
    public var isAnswer: Bool { self == .affirm || self == .deny || self == .unknownAnswer }

    /// Commands that steer the conversation rather than inform it.
    public var isCommand: Bool {
        switch self {
        case .help, .restart, .summary, .goodbye, .back, .askWhy: true
        default: false
        }
    }

    /// For a question intent, the topic that answers it when no particular topic is named.
    public var generalTopic: String? {
        QuestionKind.allCases.first { Intent(questionKind: $0) == self }?.generalTopic
    }

    public init(questionKind: QuestionKind) {
        switch questionKind {
        case .causes: self = .askCauses
        case .treatment: self = .askTreatment
        case .prevention: self = .askPrevention
        case .whenDoctor: self = .askWhenDoctor
        case .condition: self = .askCondition
        }
    }
}

/// The slot values of the contract: what is known about timing, duration, frequency, how long,
/// where and which side (plus age group and medicines, which the contract allows us to add).
/// Absent values are left out of the JSON.
public struct Slots: Sendable, Equatable, Codable {
    public var timing: String?
    public var duration: String?
    public var frequency: String?
    public var since: String?
    public var location: [String]?
    public var side: String?
    public var ageGroup: String?
    public var medicines: [String]?

    enum CodingKeys: String, CodingKey {
        case timing, duration, frequency, since, location, side, medicines
        case ageGroup = "age_group"
    }

    public init() {}

    /// The slots that a set of findings fills.
    public init(findings: Findings) {
        var others: Others?
        self.init(findings.present, others: &others)
    }

    /// Values of the kinds that are not slots, each list sorted.
    struct Others {
        var triggers: [String] = []
        var conditions: [String] = []
        var symptoms: [String] = []
    }

    /// One pass over the findings; a kind's values sorted, a single-valued slot takes the first.
    /// The other kinds' values go to `others` when it is given.
    init(_ present: FindingSet, others: inout Others?) {
        func first(_ slot: inout String?, _ value: String) {
            if let old = slot, old <= value { return }
            slot = value
        }
        func add(_ list: inout [String]?, _ value: String) {
            if list == nil { list = [value] } else { list!.append(value) }
        }
        for finding in present {
            switch finding.kind {
            case .timing: first(&timing, finding.value)
            case .duration: first(&duration, finding.value)
            case .frequency: first(&frequency, finding.value)
            case .since: first(&since, finding.value)
            case .side: first(&side, finding.value)
            case .ageGroup: first(&ageGroup, finding.value)
            case .location: add(&location, finding.value)
            case .medicine: add(&medicines, finding.value)
            case .trigger: others?.triggers.append(finding.value)
            case .condition: others?.conditions.append(finding.value)
            case .symptom: others?.symptoms.append(finding.value)
            case .context: break
            }
        }
        location?.sort()
        medicines?.sort()
        others?.triggers.sort()
        others?.conditions.sort()
        others?.symptoms.sort()
    }

    public var isEmpty: Bool { self == Slots() }

    /// The findings the slots name.
    public var findings: FindingSet {
        var present = FindingSet()
        for (kind, value) in [
            (FindingKind.timing, timing), (.duration, duration), (.frequency, frequency), (.since, since),
            (.side, side), (.ageGroup, ageGroup)
        ] {
            if let value { present.insert(Finding(kind, value)) }
        }
        for value in location ?? [] { present.insert(Finding(.location, value)) }
        for value in medicines ?? [] { present.insert(Finding(.medicine, value)) }
        return present
    }
}

/// Symptoms the person said they have, and those they said they do not have.
public struct SymptomLists: Sendable, Equatable, Codable {
    public var present: [String]
    public var absent: [String]

    public init(present: [String] = [], absent: [String] = []) {
        self.present = present
        self.absent = absent
    }
}

/// What one utterance said on its own: the contract's `understood` object. The contract's
/// finding fields (slots, triggers, conditions, symptoms, denied) are worked out from `findings`
/// when they are read or written as JSON: a turn in-process reads only the findings.
public struct Understood: Sendable, Equatable, Codable {
    public var intent: Intent
    public var topic: String?
    /// Ids of the red-flag (urgent or emergency) triage rules this utterance alone matches.
    public var redFlags: [String]
    public var confidence: Double
    /// A yes, no or "not sure" at the start, even when the utterance says more
    /// ("no, but my calf is swollen"). Not in the contract's example; added for the interview.
    public var answer: Intent?
    /// Misspelt words that were read as lexicon words, e.g. "numbnes" -> "numbness".
    public var corrections: [String: String]
    /// Ids of the red-flag rules a hypothetical asks about ("what if my calf goes red and hot?"):
    /// what to do if it happens, nothing recorded. Added to the contract's shape; left out when empty.
    public var redFlagsAsked: [String] = []
    /// Who the utterance speaks of, when it says (another person, or the writer's own legs).
    /// Added to the contract's shape; left out when nil.
    public var subject: Subject?
    /// It says thank you ("thanks", "cheers", "ta"), whatever else it says. Added to the
    /// contract's shape; left out when false.
    public var thanks = false
    /// It says the person will act and may be going ("I'll book in", "I'll mention it at
    /// clinic"). Added to the contract's shape; left out when false.
    public var closing = false
    /// Findings (`kind:value`) that a harmless cause named here explains, said in this message or
    /// before ("ohh, new navy socks" explains blue feet). Added to the contract's shape; left out
    /// when empty.
    public var explains: [String] = []
    /// Findings that, already known, keep `explains` from taking anything back (the lexicon's
    /// `unless_known`): `explains_unless_known`, left out when empty.
    public var explainsUnlessKnown: [String] = []

    /// The findings in structured form: what the person said.
    public private(set) var findings: Findings

    /// The slot values among the findings.
    public var slots: Slots { Slots(findings: findings) }
    /// What the person says of the circumstances ("nothing seems to bring them on":
    /// `no_obvious_trigger`), sorted. Added to the contract's shape; left out when empty.
    public var context: [String] { findings.present.filter { $0.kind == .context }.map(\.value).sorted() }
    /// Triggers named, sorted.
    public var triggers: [String] { presentFields.others.triggers }
    /// Conditions named, sorted.
    public var conditions: [String] { presentFields.others.conditions }
    /// Symptoms said to be there and said not to be, each sorted.
    public var symptoms: SymptomLists {
        SymptomLists(
            present: presentFields.others.symptoms,
            absent: findings.absent.sorted().filter { $0.kind == .symptom }.map(\.value))
    }
    /// Every finding the person denied, as kind:value (symptoms.absent lists the symptoms again).
    public var denied: [String] { findings.absent.sorted().map(\.description) }

    /// The contract's fields of what is present, from one pass over the findings (the JSON
    /// writer takes all of them at once).
    private var presentFields: (slots: Slots, others: Slots.Others) {
        var others: Slots.Others? = Slots.Others()
        let slots = Slots(findings.present, others: &others)
        return (slots, others!)
    }

    /// The findings that the contract's fields name (for an `Understood` read from JSON).
    private static func findings(
        slots: Slots, triggers: [String], conditions: [String], symptoms: SymptomLists,
        context: [String], denied: [String]
    ) -> Findings {
        var present = slots.findings
        for value in context { present.insert(Finding(.context, value)) }
        for value in triggers { present.insert(Finding(.trigger, value)) }
        for value in conditions { present.insert(Finding(.condition, value)) }
        for value in symptoms.present { present.insert(Finding(.symptom, value)) }
        return Findings(present: present, absent: FindingSet(denied.compactMap { Finding(parsing: $0) }))
    }

    enum CodingKeys: String, CodingKey {
        case intent, topic, slots, triggers, conditions, symptoms, confidence, answer, denied, corrections, context
        case redFlags = "red_flags"
        case redFlagsAsked = "red_flags_asked"
        case subject, thanks, explains, closing
        case explainsUnlessKnown = "explains_unless_known"
    }

    public init(
        intent: Intent, topic: String? = nil, findings: Findings = Findings(), redFlags: [String] = [],
        confidence: Double, answer: Intent? = nil, corrections: [String: String] = [:]
    ) {
        self.intent = intent
        self.topic = topic
        // What the person said; a context finding ("nothing seems to bring them on") is kept for
        // the conversation, though the contract's fields leave it out.
        self.findings = findings
        self.redFlags = redFlags
        self.confidence = confidence
        self.answer = answer
        self.corrections = corrections
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(intent, forKey: .intent)
        try c.encode(topic, forKey: .topic)  // null when none, as in the contract
        try c.encode(slots, forKey: .slots)
        try c.encode(triggers, forKey: .triggers)
        try c.encode(conditions, forKey: .conditions)
        try c.encode(symptoms, forKey: .symptoms)
        try c.encode(redFlags, forKey: .redFlags)
        try c.encode(confidence, forKey: .confidence)
        if !context.isEmpty { try c.encode(context, forKey: .context) }
        try c.encodeIfPresent(answer, forKey: .answer)
        let denied = denied
        if !denied.isEmpty { try c.encode(denied, forKey: .denied) }
        if !corrections.isEmpty { try c.encode(corrections, forKey: .corrections) }
        if !redFlagsAsked.isEmpty { try c.encode(redFlagsAsked, forKey: .redFlagsAsked) }
        try c.encodeIfPresent(subject, forKey: .subject)
        if thanks { try c.encode(true, forKey: .thanks) }
        if closing { try c.encode(true, forKey: .closing) }
        if !explains.isEmpty { try c.encode(explains, forKey: .explains) }
        if !explainsUnlessKnown.isEmpty { try c.encode(explainsUnlessKnown, forKey: .explainsUnlessKnown) }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        intent = try c.decode(Intent.self, forKey: .intent)
        topic = try c.decodeIfPresent(String.self, forKey: .topic)
        redFlags = try c.decode([String].self, forKey: .redFlags)
        confidence = try c.decode(Double.self, forKey: .confidence)
        answer = try c.decodeIfPresent(Intent.self, forKey: .answer)
        corrections = try c.decodeIfPresent([String: String].self, forKey: .corrections) ?? [:]
        redFlagsAsked = try c.decodeIfPresent([String].self, forKey: .redFlagsAsked) ?? []
        subject = try c.decodeIfPresent(Subject.self, forKey: .subject)
        thanks = try c.decodeIfPresent(Bool.self, forKey: .thanks) ?? false
        closing = try c.decodeIfPresent(Bool.self, forKey: .closing) ?? false
        explains = try c.decodeIfPresent([String].self, forKey: .explains) ?? []
        explainsUnlessKnown = try c.decodeIfPresent([String].self, forKey: .explainsUnlessKnown) ?? []
        findings = Self.findings(
            slots: try c.decode(Slots.self, forKey: .slots), triggers: try c.decode([String].self, forKey: .triggers),
            conditions: try c.decode([String].self, forKey: .conditions),
            symptoms: try c.decode(SymptomLists.self, forKey: .symptoms),
            context: try c.decodeIfPresent([String].self, forKey: .context) ?? [],
            denied: try c.decodeIfPresent([String].self, forKey: .denied) ?? [])
    }
}

extension Slots {
    /// Contract JSON, sorted keys, absent values left out (as `ContractJSON` writes it).
    public func write(to out: inout JSONWriter) {
        out.beginObject()
        if let ageGroup {
            out.key("age_group")
            out.string(ageGroup)
        }
        if let duration {
            out.key("duration")
            out.string(duration)
        }
        if let frequency {
            out.key("frequency")
            out.string(frequency)
        }
        if let location {
            out.key("location")
            out.strings(location)
        }
        if let medicines {
            out.key("medicines")
            out.strings(medicines)
        }
        if let side {
            out.key("side")
            out.string(side)
        }
        if let since {
            out.key("since")
            out.string(since)
        }
        if let timing {
            out.key("timing")
            out.string(timing)
        }
        out.endObject()
    }
}

extension Understood {
    /// Contract JSON, sorted keys (as `ContractJSON` writes it). The finding fields come from one
    /// pass over what is present (as `slots`, `triggers`, `conditions` and `symptoms` would each
    /// make), denied findings written from the finding table's quoted text.
    public func write(to out: inout JSONWriter) {
        let (slots, found) = presentFields
        let denied = findings.absent.sorted()
        out.beginObject()
        if let answer {
            out.key("answer")
            out.string(answer.rawValue)
        }
        if closing {
            out.key("closing")
            out.bool(true)
        }
        out.key("conditions")
        out.strings(found.conditions)
        out.key("confidence")
        out.double(confidence)
        let context = context
        if !context.isEmpty {
            out.key("context")
            out.strings(context)
        }
        if !corrections.isEmpty {
            out.key("corrections")
            out.beginObject()
            for (word, correction) in corrections.sorted(by: { $0.key < $1.key }) {
                out.key(text: word)
                out.string(correction)
            }
            out.endObject()
        }
        if !denied.isEmpty {
            out.key("denied")
            out.beginArray()
            for finding in denied { out.finding(finding) }
            out.endArray()
        }
        if !explains.isEmpty {
            out.key("explains")
            out.strings(explains)
        }
        if !explainsUnlessKnown.isEmpty {
            out.key("explains_unless_known")
            out.strings(explainsUnlessKnown)
        }
        out.key("intent")
        out.string(intent.rawValue)
        out.key("red_flags")
        out.strings(redFlags)
        if !redFlagsAsked.isEmpty {
            out.key("red_flags_asked")
            out.strings(redFlagsAsked)
        }
        out.key("slots")
        slots.write(to: &out)
        if let subject {
            out.key("subject")
            subject.write(to: &out)
        }
        out.key("symptoms")
        out.beginObject()
        out.key("absent")
        out.beginArray()
        for finding in denied where finding.kind == .symptom { out.string(finding.value) }
        out.endArray()
        out.key("present")
        out.strings(found.symptoms)
        out.endObject()
        if thanks {
            out.key("thanks")
            out.bool(true)
        }
        out.key("topic")
        out.string(orNull: topic)
        out.key("triggers")
        out.strings(found.triggers)
        out.endObject()
    }
}
