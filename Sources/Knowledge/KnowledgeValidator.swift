/// The ids that bridges and scripts read (docs/PROTOCOL.md, "Canonical ids"; a test keeps the two equal). The model may add more; it may
/// not lose any of these.
public enum ContractIDs {
    public static let vocabulary: [FindingKind: [String]] = [
        .timing: ["night", "exercise", "rest", "any"],
        .duration: ["seconds", "minutes", "long"],
        .frequency: ["once", "occasional", "frequent"],
        .since: ["today", "days", "weeks", "months", "years"],
        .location: ["calf", "foot", "toes", "thigh", "shin", "whole_leg"],
        .side: ["left", "right", "both"],
        .trigger: [
            "exercise", "dehydration", "heat", "cold", "prolonged_sitting", "prolonged_standing",
            "medication", "alcohol", "tight_clothing", "injury"
        ],
        .symptom: [
            "numbness", "tingling", "swelling", "redness", "warmth", "cold_skin", "weakness",
            "back_pain", "twitching", "difficulty_walking", "visible_veins", "dark_urine",
            "chest_pain", "breathlessness"
        ],
        .condition: [
            "diabetes", "kidney_disease", "liver_disease", "thyroid_disease", "pregnancy",
            "varicose_veins", "lumbar_disc_or_stenosis", "peripheral_artery_disease",
            "peripheral_neuropathy"
        ]
    ]

    public static let causes = [
        "overexertion", "dehydration", "electrolyte_imbalance", "cold_exposure", "prolonged_posture",
        "idiopathic_nocturnal", "pregnancy", "medication_side_effect", "alcohol_tobacco", "muscle_injury",
        "infection", "varicose_veins", "peripheral_artery_disease", "peripheral_neuropathy",
        "lumbar_disc_or_stenosis", "kidney_disease", "liver_disease", "thyroid_disease",
        "cramp_fasciculation_syndrome"
    ]

    public static let stages = [
        "greeting", "onset", "location", "triggers", "symptoms", "history", "assessment", "followup",
        "escalated", "ended"
    ]

    public static let intents = [
        "describe", "ask_causes", "ask_treatment", "ask_prevention", "ask_when_doctor", "ask_condition",
        "greet", "affirm", "deny", "unknown_answer", "help", "restart", "summary", "goodbye", "unrecognized"
    ]
}

/// Checks a merged model for everything a careless edit could break.
struct KnowledgeValidator {
    var model: KnowledgeModel
    var locations: EntryLocations

    private var issues: [KnowledgeIssue] = []

    private init(model: KnowledgeModel, locations: EntryLocations) {
        self.model = model
        self.locations = locations
    }

    static func validate(_ model: KnowledgeModel, locations: EntryLocations) -> [KnowledgeIssue] {
        var validator = KnowledgeValidator(model: model, locations: locations)
        return validator.validate()
    }

    private mutating func validate() -> [KnowledgeIssue] {
        issues = []
        checkContract()
        for source in model.sources {
            let at = place(.sources, source.id)
            nonEmpty(source.title, "title", at)
        }
        for (kind, terms) in model.vocabulary.sorted(by: { $0.key < $1.key }) {
            for term in terms { check(term, kind: kind) }
        }
        for cause in model.causes { check(cause) }
        for treatment in model.treatments {
            let at = place(.treatments, treatment.id)
            nonEmpty(treatment.name, "name", at)
            text(treatment.how, "how", at)
            if let caution = treatment.caution { text(caution, "caution", at) }
            cited(treatment.sources, at)
        }
        for tip in model.prevention {
            let at = place(.prevention, tip.id)
            nonEmpty(tip.name, "name", at)
            text(tip.advice, "advice", at)
            cited(tip.sources, at)
        }
        for rule in model.triageRules { check(rule) }
        for topic in model.topics {
            let at = place(.topics, topic.id)
            nonEmpty(topic.title, "title", at)
            text(topic.answer, "answer", at)
            cited(topic.sources, at)
        }
        for question in model.doctorQuestions { check(question) }
        return issues
    }

    // MARK: - Entries

    private mutating func check(_ term: Term, kind: FindingKind) {
        let at = Place(
            location: locations[.vocabulary, "\(kind.rawValue)/\(term.id)"],
            entry: "\(kind.rawValue) '\(term.id)'")
        nonEmpty(term.id, "id", at)
        nonEmpty(term.label, "label", at)
        if let description = term.description { text(description, "description", at) }
        if let sources = term.sources { cited(sources, at) }
        if kind == .condition {
            if (term.question ?? "").isBlank { report(at, "a condition needs a 'question' for the interview") }
            if (term.why ?? "").isBlank { report(at, "a condition needs 'why' (why Charley asks)") }
        } else if term.unless != nil {
            report(at, "'unless' is only for conditions (when the interview does not ask about one)")
        }
        for finding in term.unless ?? [] { known(finding, at) }
    }

    private mutating func check(_ cause: Cause) {
        let at = place(.causes, cause.id)
        nonEmpty(cause.name, "name", at)
        text(cause.summary, "summary", at)
        text(cause.affects, "affects", at)
        if cause.whatToDo.isEmpty { report(at, "'what_to_do' is empty") }
        for item in cause.whatToDo { text(item, "what_to_do", at) }
        if let seeDoctorIf = cause.seeDoctorIf { text(seeDoctorIf, "see_doctor_if", at) }
        cited(cause.sources, at)
        if !cause.prior.isFinite { report(at, "'prior' must be a number") }
        if !cause.evidence.contains(where: { $0.weight > 0 }) {
            report(at, "no evidence with a positive weight: nothing could ever suggest this cause")
        }
        for evidence in cause.evidence {
            known(evidence.finding.finding, at)
            if !evidence.weight.isFinite || evidence.weight == 0 {
                report(at, "evidence '\(evidence.finding)' needs a non-zero weight")
            }
            if let reason = evidence.reason { nonEmpty(reason, "reason", at) }
        }
        for id in cause.treatments where model.treatment(id) == nil {
            report(at, "names the unknown treatment '\(id)'")
        }
        for id in cause.prevention where model.preventionTip(id) == nil {
            report(at, "names the unknown prevention tip '\(id)'")
        }
    }

    private mutating func check(_ rule: TriageRule) {
        let at = place(.triageRules, rule.id)
        nonEmpty(rule.title, "title", at)
        text(rule.message, "message", at)
        text(rule.why, "why", at)
        cited(rule.sources, at)
        if rule.match.all.isEmpty && rule.match.any.isEmpty {
            report(at, "'match' needs 'all' or 'any': a rule with neither never applies")
        }
        if rule.match.atLeast < 1 || (!rule.match.any.isEmpty && rule.match.atLeast > rule.match.any.count) {
            report(at, "'at_least' must be between 1 and the number of findings in 'any'")
        }
        for finding in rule.match.mentioned { known(finding, at) }
    }

    private mutating func check(_ question: DoctorQuestion) {
        let at = place(.doctorQuestions, question.id)
        nonEmpty(question.id, "id", at)
        text(question.question, "question", at)
        for name in Wording.unknownPlaceholders(in: question.question) {
            report(at, "'{\(name)}' is not a placeholder Charley knows")
        }
        cited(question.sources, at)
        for id in question.causes ?? [] where model.cause(id) == nil {
            report(at, "names the unknown cause '\(id)'")
        }
        for finding in question.findings ?? [] { known(finding.finding, at) }
        if question.causes?.isEmpty == true || question.findings?.isEmpty == true || question.levels?.isEmpty == true {
            report(at, "an empty list of 'causes', 'findings' or 'levels' never applies; leave it out")
        }
    }

    private mutating func checkContract() {
        let at = Place(location: nil, entry: nil)
        for (kind, ids) in ContractIDs.vocabulary.sorted(by: { $0.key < $1.key }) {
            for id in ids where model.term(Finding(kind, id)) == nil {
                report(at, "the contract id \(kind.rawValue):\(id) is missing from the vocabulary")
            }
        }
        for id in ContractIDs.causes where model.cause(id) == nil {
            report(at, "the contract cause '\(id)' is missing")
        }
        for kind in QuestionKind.allCases where model.topic(kind.generalTopic) == nil {
            report(at, "the general topic '\(kind.generalTopic)' (for \(kind.intent)) is missing")
        }
    }

    // MARK: - Helpers

    struct Place {
        var location: EntryLocation?
        var entry: String?
    }

    private func place(_ section: KnowledgeLoader.Section, _ id: String) -> Place {
        Place(location: locations[section, id], entry: section.entryName(id: id))
    }

    private mutating func report(_ place: Place, _ problem: String) {
        issues.append(
            KnowledgeIssue(
                file: place.location?.file ?? "knowledge", line: place.location?.line,
                entry: place.entry, problem: problem))
    }

    private mutating func nonEmpty(_ value: String, _ field: String, _ at: Place) {
        if value.isBlank { report(at, "'\(field)' is empty") }
    }

    /// Prose shown to people: not empty, and never a dose.
    private mutating func text(_ value: String, _ field: String, _ at: Place) {
        nonEmpty(value, field, at)
        if let dose = DoseDetector.firstDose(in: value) {
            report(at, "'\(field)' gives a dose ('\(dose)'); Charley never gives doses")
        }
    }

    private mutating func cited(_ sources: [String], _ at: Place) {
        if sources.isEmpty { report(at, "no sources: every entry cites a seed file or a reference") }
        for id in sources where model.source(id) == nil {
            report(at, "cites the unknown source '\(id)'")
        }
    }

    private mutating func known(_ finding: Finding, _ at: Place) {
        if !model.knows(finding) {
            let near = model.terms(finding.kind).map(\.id)
                .filter { EditDistance.distance($0, finding.value, limit: 2) != nil }
            let hint = near.isEmpty ? "" : " (did you mean \(near.map { "\(finding.kind.rawValue):\($0)" }.joined(separator: " or "))?)"
            report(at, "names the unknown finding '\(finding)'\(hint)")
        }
    }
}

/// Finds amounts of medicine in text ("200 mg", "2 tablets"), which Charley must never give.
public enum DoseDetector {
    static let units: Set<String> = [
        "mg", "mcg", "µg", "ug", "g", "gram", "grams", "milligram", "milligrams", "ml", "iu", "units",
        "tablet", "tablets", "capsule", "capsules", "pill", "pills", "drops", "puffs"
    ]

    public static func firstDose(in text: String) -> String? {
        // A dose needs a number: ASCII text without a digit (most prose) is passed at once.
        if text.utf8.allSatisfy({ $0 < 0x80 && !($0 >= 0x30 && $0 <= 0x39) }) { return nil }
        let tokens = text.lowercased().split { !$0.isLetter && !$0.isNumber && $0 != "." && $0 != "µ" }
        for (index, token) in tokens.enumerated() {
            let digits = token.prefix { $0.isNumber || $0 == "." }
            guard !digits.isEmpty, digits.first!.isNumber else { continue }
            let rest = token.dropFirst(digits.count)
            if !rest.isEmpty, units.contains(String(rest)) { return String(token) }
            if rest.isEmpty, index + 1 < tokens.count, units.contains(String(tokens[index + 1])) {
                return "\(token) \(tokens[index + 1])"
            }
        }
        return nil
    }
}

extension String {
    var isBlank: Bool { allSatisfy(\.isWhitespace) }
}
