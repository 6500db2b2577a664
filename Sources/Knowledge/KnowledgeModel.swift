/// Everything Charley knows about leg cramps: loaded once from the resource files, validated,
/// and shared read-only by every session and front end.
public struct KnowledgeModel: Sendable, Codable, Equatable {
    /// Changes whenever the content changes; reported to bridges by the daemon's `hello`.
    public var version: String
    public var sources: [Source]
    /// The closed lists of values each kind of finding can take (symptoms, triggers, ...).
    public var vocabulary: [FindingKind: [Term]] { didSet { termIndex = Self.index(vocabulary) } }
    /// Each finding's term, by `Finding.id`, kept with `vocabulary` (a reply looks terms up
    /// often: an array read, not a hash of the finding).
    private var termIndex: [Term?] = []
    public var causes: [Cause]
    public var treatments: [Treatment]
    public var prevention: [PreventionTip]
    public var triageRules: [TriageRule]
    public var topics: [Topic]
    /// Questions worth asking the doctor, for the report a person takes with them.
    public var doctorQuestions: [DoctorQuestion]

    enum CodingKeys: String, CodingKey {
        case version, sources, vocabulary, causes, treatments, prevention, topics
        case triageRules = "triage_rules"
        case doctorQuestions = "doctor_questions"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            version: try c.decode(String.self, forKey: .version), sources: try c.decode([Source].self, forKey: .sources),
            vocabulary: try c.decode([FindingKind: [Term]].self, forKey: .vocabulary), causes: try c.decode([Cause].self, forKey: .causes),
            treatments: try c.decode([Treatment].self, forKey: .treatments),
            prevention: try c.decode([PreventionTip].self, forKey: .prevention),
            triageRules: try c.decode([TriageRule].self, forKey: .triageRules), topics: try c.decode([Topic].self, forKey: .topics),
            doctorQuestions: try c.decodeIfPresent([DoctorQuestion].self, forKey: .doctorQuestions) ?? [])
    }

    public init(
        version: String, sources: [Source], vocabulary: [FindingKind: [Term]], causes: [Cause],
        treatments: [Treatment], prevention: [PreventionTip], triageRules: [TriageRule], topics: [Topic],
        doctorQuestions: [DoctorQuestion] = []
    ) {
        self.version = version
        self.sources = sources
        self.vocabulary = vocabulary
        self.termIndex = Self.index(vocabulary)
        self.causes = causes
        self.treatments = treatments
        self.prevention = prevention
        self.triageRules = triageRules
        self.topics = topics
        self.doctorQuestions = doctorQuestions
    }

    // Lookups. Linear scans over a few dozen entries are cheaper than keeping indexes in sync
    // with a value type that tests build and mutate freely.

    public func term(_ finding: Finding) -> Term? {
        let id = Int(finding.id)
        return id < termIndex.count ? termIndex[id] : nil
    }

    private static func index(_ vocabulary: [FindingKind: [Term]]) -> [Term?] {
        var index: [Term?] = []
        for (kind, terms) in vocabulary {
            for term in terms {
                let id = Int(Finding(kind, term.id).id)
                if id >= index.count { index.append(contentsOf: repeatElement(nil, count: id - index.count + 1)) }
                // The first of a kind's terms with the id, as `vocabulary[kind]` lists them.
                if index[id] == nil { index[id] = term }
            }
        }
        return index
    }

    public func terms(_ kind: FindingKind) -> [Term] { vocabulary[kind] ?? [] }

    public func cause(_ id: String) -> Cause? { causes.first { $0.id == id } }
    public func treatment(_ id: String) -> Treatment? { treatments.first { $0.id == id } }
    public func preventionTip(_ id: String) -> PreventionTip? { prevention.first { $0.id == id } }
    public func topic(_ id: String) -> Topic? { topics.first { $0.id == id } }
    public func source(_ id: String) -> Source? { sources.first { $0.id == id } }
    public func rule(_ id: String) -> TriageRule? { triageRules.first { $0.id == id } }

    /// True when `finding` names a value in the vocabulary.
    public func knows(_ finding: Finding) -> Bool { term(finding) != nil }
}

/// Where a fact comes from: one of the seed articles (its id is the file name) or a public
/// source named in knowledge-sources.md.
public struct Source: Sendable, Codable, Equatable, Identifiable {
    public var id: String
    public var title: String
    public var kind: Kind
    /// Where a seed article was published, when known (a reference's title names its publisher).
    public var site: String?

    public enum Kind: String, Sendable, Codable { case seed, reference }

    public init(id: String, title: String, kind: Kind, site: String? = nil) {
        self.id = id
        self.title = title
        self.kind = kind
        self.site = site
    }

    /// How a reply cites it, for people: a reference by its title ("NHS, Leg cramps"), a seed
    /// article by its headline and site; never a file name.
    public var citation: String {
        guard kind == .seed else { return title }
        let headline = title.components(separatedBy: " (").first ?? title
        return site.map { "\($0): \(headline)" } ?? "\(headline) (web article)"
    }
}

/// One value of a kind of finding, e.g. the symptom `numbness`.
public struct Term: Sendable, Codable, Equatable, Identifiable {
    public var id: String
    /// Short lay words, used in lists and in "because you said ..." reasons.
    public var label: String
    /// A word or two for saying back what was understood ("left leg", "at night"); the label
    /// when not given.
    public var noted: String?
    /// How a denial of it is said back ("no medicines", "not at night"); without it, "no" or
    /// "not" and `noted`. A finding with neither is not said back when denied: it is one that
    /// follows from another ("both legs swollen" from "no swelling in her legs").
    public var notedAbsent: String?
    public var description: String?
    /// For findings the interview may ask about directly (conditions): the question, and why
    /// Charley asks it.
    public var question: String?
    public var why: String?
    public var sources: [String]?
    /// Something that happened and was over at once (a faint, a fit): told as the long past, it
    /// is history, even where an ordinary rule counts it.
    public var event: Bool?
    /// It comes and goes with a cause of its own (numb toes in tight boots): told as over and
    /// sorted ("been fine since I loosened the laces") or as the long past, it is history.
    public var transient: Bool?
    /// For conditions: the interview does not ask about it when any of these findings is
    /// known (not whether a child is pregnant).
    public var unless: [Finding]?
    /// A narrower reading of another finding (a leg that has gone red, of red skin): not said
    /// back beside that finding, which says it already.
    public var refines: Finding?

    enum CodingKeys: String, CodingKey {
        case id, label, noted, description, question, why, sources, event, transient, unless, refines
        case notedAbsent = "noted_absent"
    }

    /// How a denial of it, a finding of `kind`, is said back, if it is (`notedAbsent`): "no"
    /// before the symptom, trigger or condition noted ("no swelling"); others only as written.
    public func absentNote(_ kind: FindingKind) -> String? {
        if let notedAbsent { return notedAbsent }
        guard let noted, [.symptom, .trigger, .condition].contains(kind), !noted.hasPrefix("a "), !noted.hasPrefix("an ") else {
            return nil
        }
        return "no " + noted
    }

    public init(
        id: String, label: String, description: String? = nil, question: String? = nil,
        why: String? = nil, sources: [String]? = nil
    ) {
        self.id = id
        self.label = label
        self.description = description
        self.question = question
        self.why = why
        self.sources = sources
    }
}

/// A possible cause of leg cramps, with the evidence that makes it more or less likely.
public struct Cause: Sendable, Codable, Equatable, Identifiable {
    public var id: String
    public var name: String
    /// Plain-language explanation for a lay reader.
    public var summary: String
    /// Who it tends to affect.
    public var affects: String
    /// What the person can do about it, most useful first.
    public var whatToDo: [String]
    /// The lowest triage level this cause calls for when it is the leading possibility.
    public var careLevel: TriageLevel
    /// How common the cause is before anything is known, on the same scale as weights.
    public var prior: Double
    public var evidence: [Evidence]
    public var treatments: [String]
    public var prevention: [String]
    public var sources: [String]
    /// When to see a doctor, for the assessment this cause leads (a child's growing pains have
    /// their own signs); without it, the general line of replies.yaml.
    public var seeDoctorIf: String?

    enum CodingKeys: String, CodingKey {
        case id, name, summary, affects, prior, evidence, treatments, prevention, sources
        case whatToDo = "what_to_do"
        case careLevel = "care_level"
        case seeDoctorIf = "see_doctor_if"
    }

    public init(
        id: String, name: String, summary: String, affects: String, whatToDo: [String],
        careLevel: TriageLevel, prior: Double, evidence: [Evidence], treatments: [String] = [],
        prevention: [String] = [], sources: [String]
    ) {
        self.id = id
        self.name = name
        self.summary = summary
        self.affects = affects
        self.whatToDo = whatToDo
        self.careLevel = careLevel
        self.prior = prior
        self.evidence = evidence
        self.treatments = treatments
        self.prevention = prevention
        self.sources = sources
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        summary = try c.decode(String.self, forKey: .summary)
        affects = try c.decode(String.self, forKey: .affects)
        whatToDo = try c.decode([String].self, forKey: .whatToDo)
        careLevel = try c.decodeIfPresent(TriageLevel.self, forKey: .careLevel) ?? .selfCare
        prior = try c.decodeIfPresent(Double.self, forKey: .prior) ?? 0
        evidence = try c.decode([Evidence].self, forKey: .evidence)
        treatments = try c.decodeIfPresent([String].self, forKey: .treatments) ?? []
        prevention = try c.decodeIfPresent([String].self, forKey: .prevention) ?? []
        sources = try c.decode([String].self, forKey: .sources)
        seeDoctorIf = try c.decodeIfPresent(String.self, forKey: .seeDoctorIf)
    }
}

/// One finding's pull on a cause: a positive weight makes it more likely, a negative one less.
public struct Evidence: Sendable, Codable, Equatable {
    public var finding: FindingTest
    public var weight: Double
    /// How Charley words it: "because <reason>" or, for a negative weight, "against: <reason>".
    public var reason: String?

    public init(_ finding: FindingTest, weight: Double, reason: String? = nil) {
        self.finding = finding
        self.weight = weight
        self.reason = reason
    }
}

/// How soon someone should get help. Ordered mildest first; a conversation never drops back.
public enum TriageLevel: String, Sendable, Codable, CaseIterable, Comparable {
    case selfCare = "self_care"
    case seeDoctor = "see_doctor"
    case urgent
    case emergency

    /// Mildest 0; `allCases` builds an array on every call, too dear for a comparison.
    public var rank: Int {
        switch self {
        case .selfCare: 0
        case .seeDoctor: 1
        case .urgent: 2
        case .emergency: 3
        }
    }

    public static func < (lhs: TriageLevel, rhs: TriageLevel) -> Bool { lhs.rank < rhs.rank }

    /// Levels at which Charley stops the interview and says so at once.
    public var escalates: Bool { self >= .urgent }
}

/// A combination of findings that calls for a triage level, with what to tell the person.
public struct TriageRule: Sendable, Codable, Equatable, Identifiable {
    public var id: String
    public var level: TriageLevel
    public var title: String
    /// What to do, in plain words.
    public var message: String
    /// Why this combination matters.
    public var why: String
    public var match: RuleMatch
    public var sources: [String]
    /// Its signs count even when they have passed ("her face drooped but it's been normal
    /// since": a mini-stroke needs the same call). Without it, a sign told as over and sorted
    /// ("got my breath back", "healed up fine") is history.
    public var evenIfPassed: Bool?

    enum CodingKeys: String, CodingKey {
        case id, level, title, message, why, match, sources
        case evenIfPassed = "even_if_passed"
    }

    public init(
        id: String, level: TriageLevel, title: String, message: String, why: String,
        match: RuleMatch, sources: [String]
    ) {
        self.id = id
        self.level = level
        self.title = title
        self.message = message
        self.why = why
        self.match = match
        self.sources = sources
    }

    /// Rules at `urgent` or `emergency` are red flags: they interrupt whatever is going on.
    public var isRedFlag: Bool { level.escalates }
}

/// When a rule applies: every test in `all`, at least `atLeast` (default one) of `any` when
/// `any` is given, and no finding of `none` present.
public struct RuleMatch: Sendable, Codable, Equatable {
    public var all: [FindingTest]
    public var any: [FindingTest]
    public var atLeast: Int
    public var none: [Finding]

    enum CodingKeys: String, CodingKey {
        case all, any, none
        case atLeast = "at_least"
    }

    public init(all: [FindingTest] = [], any: [FindingTest] = [], atLeast: Int = 1, none: [Finding] = []) {
        self.all = all
        self.any = any
        self.atLeast = atLeast
        self.none = none
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        all = try c.decodeIfPresent([FindingTest].self, forKey: .all) ?? []
        any = try c.decodeIfPresent([FindingTest].self, forKey: .any) ?? []
        atLeast = try c.decodeIfPresent(Int.self, forKey: .atLeast) ?? 1
        none = try c.decodeIfPresent([Finding].self, forKey: .none) ?? []
    }

    public func matches(_ findings: Findings) -> Bool {
        guard !all.isEmpty || !any.isEmpty else { return false }
        return all.allSatisfy { $0.holds(in: findings) }
            && (any.isEmpty || any.count { $0.holds(in: findings) } >= atLeast)
            && !none.contains { findings.present.contains($0) }
    }

    /// Every finding the rule mentions, for validation.
    public var mentioned: [Finding] { all.map(\.finding) + any.map(\.finding) + none }
}

/// Relief, medicine or procedure, from what to do during a cramp to what a doctor may consider.
public struct Treatment: Sendable, Codable, Equatable, Identifiable {
    public var id: String
    public var name: String
    public var kind: Kind
    public var how: String
    /// Warnings that must travel with the advice (e.g. quinine's).
    public var caution: String?
    public var sources: [String]

    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// What to do while a cramp is happening.
        case duringCramp = "during_cramp"
        /// For the soreness afterwards.
        case afterCramp = "after_cramp"
        /// Ongoing self-care between cramps.
        case selfCare = "self_care"
        /// Only a doctor can decide on these.
        case doctorMayConsider = "doctor_may_consider"
    }

    public init(id: String, name: String, kind: Kind, how: String, caution: String? = nil, sources: [String]) {
        self.id = id
        self.name = name
        self.kind = kind
        self.how = how
        self.caution = caution
        self.sources = sources
    }
}

/// A habit that makes cramps less likely.
public struct PreventionTip: Sendable, Codable, Equatable, Identifiable {
    public var id: String
    public var name: String
    public var advice: String
    /// Food sources, for the minerals.
    public var foods: [String]?
    public var sources: [String]

    public init(id: String, name: String, advice: String, foods: [String]? = nil, sources: [String]) {
        self.id = id
        self.name = name
        self.advice = advice
        self.foods = foods
        self.sources = sources
    }
}

/// A question a person may ask at any point, answered in plain words.
public struct Topic: Sendable, Codable, Equatable, Identifiable {
    public var id: String
    /// The kind of question this topic answers (maps to the contract's `ask_*` intents).
    public var kind: QuestionKind
    public var title: String
    public var answer: String
    public var sources: [String]

    public init(id: String, kind: QuestionKind, title: String, answer: String, sources: [String]) {
        self.id = id
        self.kind = kind
        self.title = title
        self.answer = answer
        self.sources = sources
    }
}

/// The kinds of question people ask about cramps; each maps to one `ask_*` intent.
public enum QuestionKind: String, Sendable, Codable, CaseIterable {
    case causes
    case treatment
    case prevention
    case whenDoctor = "when_doctor"
    case condition

    /// The contract's intent id for this kind of question.
    public var intent: String {
        switch self {
        case .causes: "ask_causes"
        case .treatment: "ask_treatment"
        case .prevention: "ask_prevention"
        case .whenDoctor: "ask_when_doctor"
        case .condition: "ask_condition"
        }
    }

    /// The general topic answered when a question of this kind names no particular topic.
    public var generalTopic: String {
        switch self {
        case .causes: "causes"
        case .treatment: "relief"
        case .prevention: "prevention"
        case .whenDoctor: "when_to_see_doctor"
        case .condition: "causes"
        }
    }
}

/// A question worth asking the doctor, for the report a person takes to an appointment. Asked
/// when any of its conditions holds (one of `causes` is named in the assessment, one of
/// `findings` holds, the triage is one of `levels`); one without conditions is always asked.
public struct DoctorQuestion: Sendable, Codable, Equatable, Identifiable {
    public var id: String
    /// The question, written for the person (`{your}` placeholders allowed).
    public var question: String
    public var causes: [String]?
    public var findings: [FindingTest]?
    public var levels: [TriageLevel]?
    public var sources: [String]

    public init(
        id: String, question: String, causes: [String]? = nil, findings: [FindingTest]? = nil,
        levels: [TriageLevel]? = nil, sources: [String]
    ) {
        self.id = id
        self.question = question
        self.causes = causes
        self.findings = findings
        self.levels = levels
        self.sources = sources
    }

    /// Whether it is worth asking for these findings, the causes named and the level.
    public func applies(findings known: Findings, causes named: [String], level: TriageLevel?) -> Bool {
        let conditions = (causes ?? []).count + (findings ?? []).count + (levels ?? []).count
        if conditions == 0 { return true }
        if let causes, causes.contains(where: named.contains) { return true }
        if let findings, findings.contains(where: { $0.holds(in: known) }) { return true }
        if let levels, let level, levels.contains(level) { return true }
        return false
    }
}
