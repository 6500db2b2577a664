import Foundation
import Knowledge
import Understanding
import Yams

/// One question of the interview, loaded from interview.yaml (or made from a condition of the
/// knowledge model for the history stage). Immutable and shared: a class, so that choosing and
/// asking a question on every turn passes one reference instead of copying a dozen fields.
public final class InterviewQuestion: Sendable, Decodable {
    public struct Suggestion: Sendable, Equatable, Decodable {
        public var label: String {
            didSet { normalisedLabel = Words.normalised(label) }
        }
        public var means: [Finding]
        /// The label as a typed answer is compared with it (`Words.normalised`), made once.
        public private(set) var normalisedLabel: String
        /// Other whole answers that mean the same, to this question only ("ages", "forever" to
        /// "how long does one cramp last?"), normalised.
        public private(set) var also: [String]

        public init(label: String, means: [Finding], also: [String] = []) {
            self.label = label
            self.means = means
            self.normalisedLabel = Words.normalised(label)
            self.also = also.map(Words.normalised)
        }

        /// Whether a typed answer is this suggestion: its label or one of the other answers.
        public func isAnswered(by text: String) -> Bool { isAnswered(by: Words.Answer(text)) }

        /// The same for an answer compared with several suggestions (normalised once).
        public func isAnswered(by answer: Words.Answer) -> Bool {
            answer.matches(normalisedLabel) || also.contains { answer.matches($0) }
        }

        enum CodingKeys: String, CodingKey { case label, means, also }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                label: try c.decode(String.self, forKey: .label), means: try c.decode([Finding].self, forKey: .means),
                also: try c.decodeIfPresent([String].self, forKey: .also) ?? [])
        }
    }

    public struct Answer: Sendable, Equatable, Decodable {
        public var present: [Finding]?
        public var absent: [Finding]?
    }

    public let id: String
    public let stage: Stage
    public let fills: FindingKind
    public let text: String
    /// For a question asked as a group: how it is asked when some of its suggestions are already
    /// known, with `{rest}` for the others ("{Do_you} have any of the others: {rest}?"), so
    /// that "no swelling or numbness" is not asked about again.
    public let textRest: String?
    /// The same question in other words (`text_again`), asked with its answers when the first
    /// answer was not understood, so that the person does not read the same sentence twice.
    /// Condition questions have none: they are asked once more as they were, with yes and no.
    public let textAgain: String?
    /// For a question asked as a group (`rest_denied_by`): words that, said with a "no" to one
    /// of its signs, deny the rest too ("no numbness or swelling or anything"), each normalised
    /// and split into words, to be matched against the message's words.
    private let restDeniedWords: [[Substring]]
    /// `all_denied_by`: words that deny the whole group wherever they come ("no other symptoms
    /// at all"), as word lists.
    private let allDeniedWords: [[Substring]]
    /// The first words of both lists: a message with none of them denies nothing, and is not
    /// searched phrase by phrase.
    private let denialFirstWords: Set<Substring>
    /// Their `Words.hash(ofWord:)`: an ASCII message is tested against them without being
    /// normalised and split.
    private let denialFirstHashes: [UInt64]
    /// The words of both lists by `Words.hash(ofWord:)`: a phrase is looked for in an ASCII
    /// message by comparing numbers first.
    private let restDeniedHashes: [[UInt64]]
    private let allDeniedHashes: [[UInt64]]
    /// `text` for the person writing (its placeholders read once, not on every ask).
    public let textForSelf: String
    public let why: String
    public let suggestions: [Suggestion]
    /// The suggestions shown with the question: the labels, and "not sure" except for a
    /// condition (made once, not on every turn that asks).
    public let offered: [String]
    public let onYes: Answer?
    public let onNo: Answer?
    /// What "no" denies (`onNo.absent`), as a set: a symptom group counts as answered once
    /// most of it is known either way.
    public let deniedByNo: FindingSet
    public let requires: [Finding]?
    public let unless: [Finding]?
    /// Asked before every other question once one of these is known (and then even when
    /// `unless` holds): "which leg?" as soon as a swelling is mentioned, so that the warning
    /// sign can be judged at once.
    public let firstWhen: [Finding]?
    /// `requires`, `unless` and `firstWhen` as sets, for choosing the next question on every
    /// turn with word operations.
    let requiredSet: FindingSet
    let unlessSet: FindingSet
    let firstWhenSet: FindingSet
    /// Asked even when no answer could change the assessment: the question that looks for
    /// warning signs.
    public let always: Bool
    /// A check of a warning sign that goes with a finding (weak muscles on a statin, numbness
    /// with back pain): answered only by its own signs, not by any symptom the message names.
    public var isCheck: Bool { always && !requiredSet.isEmpty }
    /// One of the signs this question asks about (what its "yes", "no" or a suggestion records).
    func asksAbout(_ finding: Finding) -> Bool {
        deniedByNo.contains(finding) || (onYes?.present ?? []).contains(finding) || suggestions.contains { $0.means.contains(finding) }
    }
    /// What each possible answer would record (a suggestion's findings, or what a plain "no"
    /// records when it has none), to judge whether the question is worth asking.
    let possibleAnswers: [(present: [Finding], absent: [Finding])]

    enum CodingKeys: String, CodingKey {
        case id, stage, fills, text, why, suggestions, requires, unless
        case onYes = "on_yes"
        case onNo = "on_no"
        case firstWhen = "first_when"
        case always
        case textRest = "text_rest"
        case textAgain = "text_again"
        case restDeniedBy = "rest_denied_by"
        case allDeniedBy = "all_denied_by"
    }

    public init(
        id: String, stage: Stage, fills: FindingKind, text: String, why: String, suggestions: [Suggestion],
        onYes: Answer? = nil, onNo: Answer? = nil, requires: [Finding]? = nil, unless: [Finding]? = nil,
        firstWhen: [Finding]? = nil, always: Bool = false, textRest: String? = nil, textAgain: String? = nil, restDeniedBy: [String] = [],
        allDeniedBy: [String] = []
    ) {
        self.id = id
        self.textRest = textRest
        self.textAgain = textAgain
        self.restDeniedWords = restDeniedBy.map { Words.normalised($0).split(separator: " ") }
        self.allDeniedWords = allDeniedBy.map { Words.normalised($0).split(separator: " ") }
        self.denialFirstWords = Set((restDeniedWords + allDeniedWords).compactMap(\.first))
        self.denialFirstHashes = denialFirstWords.map(Words.hash(ofWord:)).sorted()
        self.restDeniedHashes = restDeniedWords.map { $0.map(Words.hash(ofWord:)) }
        self.allDeniedHashes = allDeniedWords.map { $0.map(Words.hash(ofWord:)) }
        self.stage = stage
        self.fills = fills
        self.text = text
        self.textForSelf = Wording.render(text, for: nil)
        self.why = why
        self.suggestions = suggestions
        self.offered = suggestions.map(\.label) + (fills == .condition ? [] : ["not sure"])
        self.onYes = onYes
        self.onNo = onNo
        self.deniedByNo = FindingSet(onNo?.absent ?? [])
        self.requires = requires
        self.unless = unless
        self.firstWhen = firstWhen
        self.requiredSet = FindingSet(requires ?? [])
        self.unlessSet = FindingSet(unless ?? [])
        self.firstWhenSet = FindingSet(firstWhen ?? [])
        self.always = always
        var answers: [(present: [Finding], absent: [Finding])] = suggestions.compactMap { $0.means.isEmpty ? nil : ($0.means, []) }
        for answer in [onYes, onNo].compactMap({ $0 }) { answers.append((answer.present ?? [], answer.absent ?? [])) }
        self.possibleAnswers = answers
    }

    public convenience init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id), stage: try c.decode(Stage.self, forKey: .stage),
            fills: try c.decode(FindingKind.self, forKey: .fills), text: try c.decode(String.self, forKey: .text),
            why: try c.decode(String.self, forKey: .why), suggestions: try c.decode([Suggestion].self, forKey: .suggestions),
            onYes: try c.decodeIfPresent(Answer.self, forKey: .onYes), onNo: try c.decodeIfPresent(Answer.self, forKey: .onNo),
            requires: try c.decodeIfPresent([Finding].self, forKey: .requires),
            unless: try c.decodeIfPresent([Finding].self, forKey: .unless),
            firstWhen: try c.decodeIfPresent([Finding].self, forKey: .firstWhen),
            always: try c.decodeIfPresent(Bool.self, forKey: .always) ?? false,
            textRest: try c.decodeIfPresent(String.self, forKey: .textRest),
            textAgain: try c.decodeIfPresent(String.self, forKey: .textAgain),
            restDeniedBy: try c.decodeIfPresent([String].self, forKey: .restDeniedBy) ?? [],
            allDeniedBy: try c.decodeIfPresent([String].self, forKey: .allDeniedBy) ?? [])
    }

    /// Whether the message denies this group's signs: the rest of them, said with a "no" to one
    /// (`deniesOne`), or all of them.
    /// `message` makes the message's words (normalised) and their hashes only when needed, once
    /// for every question that asks.
    /// (A message of ASCII with none of the first words is told apart without its words.)
    func deniesTheRest(_ message: inout MessageWords, deniesOne: Bool) -> Bool {
        guard !allDeniedWords.isEmpty || deniesOne && !restDeniedWords.isEmpty else { return false }
        // The words' numbers, to rule out a start without comparing text (equal ASCII words hash alike).
        guard let hashes = message.hashes() else { return slowDeniesTheRest(message.words(), deniesOne: deniesOne) }
        guard hashes.contains(where: denialFirstHashes.contains) else { return false }
        let words = message.words()
        func holds(_ phrase: [Substring], _ phraseHashes: [UInt64]) -> Bool {
            guard phrase.count <= words.count else { return false }
            return (0...(words.count - phrase.count)).contains { start in
                phraseHashes.indices.allSatisfy { hashes[start + $0] == phraseHashes[$0] } && phrase.indices.allSatisfy { words[start + $0] == phrase[$0] }
            }
        }
        return allDeniedWords.indices.contains { holds(allDeniedWords[$0], allDeniedHashes[$0]) }
            || deniesOne && restDeniedWords.indices.contains { holds(restDeniedWords[$0], restDeniedHashes[$0]) }
    }

    /// `deniesTheRest` for a message beyond ASCII, whose words are compared as text.
    private func slowDeniesTheRest(_ words: [Substring], deniesOne: Bool) -> Bool {
        guard words.contains(where: denialFirstWords.contains) else { return false }
        func holds(_ phrase: [Substring]) -> Bool {
            guard phrase.count <= words.count else { return false }
            return (0...(words.count - phrase.count)).contains { start in phrase.indices.allSatisfy { words[start + $0] == phrase[$0] } }
        }
        return allDeniedWords.contains(where: holds) || deniesOne && restDeniedWords.contains(where: holds)
    }

    /// The suggestions whose findings are not known yet either way, when some are and the
    /// question has a `text_rest`; nil when the whole question is to be asked.
    func rest(_ findings: Findings) -> [Suggestion]? {
        guard textRest != nil else { return nil }
        func isOpen(_ index: Int) -> Bool { !suggestions[index].means.contains { findings.present.contains($0) || findings.absent.contains($0) } }
        // Counted first, in place: most asks have none known, and make no list.
        var signs = 0
        var open = 0
        for index in suggestions.indices where !suggestions[index].means.isEmpty {
            signs += 1
            if isOpen(index) { open += 1 }
        }
        guard open < signs && open > 0 else { return nil }
        return suggestions.indices.filter { !suggestions[$0].means.isEmpty && isOpen($0) }.map { suggestions[$0] }
    }

    /// The place of the first of `question`'s suggestions that `matches` accepts, each read in
    /// place (a loop over the array copies each suggestion, retaining its four strings and lists,
    /// and a typed answer is compared with every suggestion of a question, or of every question).
    static func firstSuggestion(of question: InterviewQuestion, where matches: (borrowing Suggestion) -> Bool) -> Int? {
        question.suggestions.withUnsafeBufferPointer { suggestions in
            for index in suggestions.indices where matches(suggestions[index]) { return index }
            return nil
        }
    }

    /// Condition questions ask about one finding: yes means present, no means absent.
    static func condition(_ term: Term) -> InterviewQuestion {
        let finding = Finding(.condition, term.id)
        return InterviewQuestion(
            id: "condition:\(term.id)", stage: .history, fills: .condition, text: term.question ?? "",
            why: term.why ?? "", suggestions: [Suggestion(label: "yes", means: [finding]), Suggestion(label: "no", means: [])],
            onYes: Answer(present: [finding], absent: nil), onNo: Answer(present: nil, absent: [finding]),
            unless: term.unless)
    }
}

/// A message's words as `InterviewQuestion.deniesTheRest` reads them, each made once, when
/// first asked for: a turn asks for every symptom question, and most messages need neither.
struct MessageWords {
    let text: String
    private var madeHashes: [UInt64]??
    private var madeWords: [Substring]?

    init(_ text: String) { self.text = text }

    /// `Words.wordHashes(in: text)`: nil for a text beyond ASCII.
    mutating func hashes() -> [UInt64]? {
        if madeHashes == nil { madeHashes = .some(Words.wordHashes(in: text)) }
        return madeHashes!
    }

    /// The words of `Words.normalised(text)`.
    mutating func words() -> [Substring] {
        if madeWords == nil { madeWords = Words.normalised(text).split(separator: " ") }
        return madeWords!
    }
}

/// The interview's questions, in order.
public struct Interview: Sendable {
    public var questions: [InterviewQuestion]
    /// Condition questions, by condition id.
    public var conditionQuestions: [String: InterviewQuestion]

    public static func loadBundled(knowledge: KnowledgeModel) throws(KnowledgeError) -> Interview {
        guard let url = Bundle.module.url(forResource: "interview", withExtension: "yaml"),
            let data = FileManager.default.contents(atPath: url.path)
        else {
            throw KnowledgeError(issues: [KnowledgeIssue(file: "interview.yaml", problem: "the interview is missing from Charley's resources")])
        }
        return try load(text: String(decoding: data, as: UTF8.self), file: "interview.yaml", knowledge: knowledge)
    }

    public static func load(text: String, file: String, knowledge: KnowledgeModel) throws(KnowledgeError) -> Interview {
        struct File: Decodable { var questions: [InterviewQuestion] }
        let (parsed, root) = try KnowledgeLoader.decodeYAML(File.self, text: text, file: file)
        var issues: [KnowledgeIssue] = []
        var seen = Set<String>()
        for (index, question) in parsed.questions.enumerated() {
            let line = root["questions"]?.sequence.flatMap { index < $0.count ? $0[index].mark?.line : nil }
            func report(_ problem: String) {
                issues.append(KnowledgeIssue(file: file, line: line, entry: "question '\(question.id)'", problem: problem))
            }
            if !seen.insert(question.id).inserted { report("the id is used twice") }
            if question.text.isEmpty { report("'text' is empty") }
            if (question.textAgain ?? "").isEmpty { report("'text_again' (the question in other words, for an answer not understood) is missing or empty") }
            if question.why.isEmpty { report("'why' is empty") }
            let mentioned =
                question.suggestions.flatMap(\.means) + (question.onYes?.present ?? []) + (question.onYes?.absent ?? [])
                + (question.onNo?.present ?? []) + (question.onNo?.absent ?? []) + (question.requires ?? []) + (question.unless ?? [])
                + (question.firstWhen ?? [])
            for finding in mentioned where !knowledge.knows(finding) {
                report("names the unknown finding '\(finding)'")
            }
            if ![.onset, .location, .triggers, .symptoms, .history].contains(question.stage) {
                report("the stage must be onset, location, triggers, symptoms or history")
            }
        }
        // Sentences are written for every person with placeholders ({your}, {do_you}): a
        // misspelt one would be shown as it is, so it is an error here.
        for (index, question) in parsed.questions.enumerated() {
            for name in Wording.unknownPlaceholders(
                in: question.text + (question.textRest ?? "").replacingOccurrences(of: "{rest}", with: "") + (question.textAgain ?? ""))
            {
                let line = root["questions"]?.sequence.flatMap { index < $0.count ? $0[index].mark?.line : nil }
                issues.append(
                    KnowledgeIssue(file: file, line: line, entry: "question '\(question.id)'", problem: "'{\(name)}' is not a placeholder Charley knows"))
            }
        }
        for term in knowledge.terms(.condition) {
            for name in Wording.unknownPlaceholders(in: (term.question ?? "") + (term.label)) {
                issues.append(
                    KnowledgeIssue(file: "vocabulary.yaml", entry: "condition '\(term.id)'", problem: "'{\(name)}' is not a placeholder Charley knows"))
            }
        }
        for cause in knowledge.causes {
            for evidence in cause.evidence {
                for name in Wording.unknownPlaceholders(in: evidence.reason ?? "") {
                    issues.append(
                        KnowledgeIssue(
                            file: "causes.yaml", entry: "cause '\(cause.id)'",
                            problem: "the reason '\(evidence.reason ?? "")' has '{\(name)}', which is not a placeholder Charley knows"))
                }
            }
        }
        // The ids the code of Conversation names must be in the model it reads.
        issues += CodeNames.conversation.issues(in: knowledge)
        guard issues.isEmpty else { throw KnowledgeError(issues: issues) }
        var conditionQuestions: [String: InterviewQuestion] = [:]
        for term in knowledge.terms(.condition) { conditionQuestions[term.id] = .condition(term) }
        return Interview(questions: parsed.questions, conditionQuestions: conditionQuestions)
    }

    public func question(_ id: String) -> InterviewQuestion? {
        questions.first { $0.id == id } ?? (id.hasPrefix("condition:") ? conditionQuestions[String(id.dropFirst(10))] : nil)
    }
}

/// Walking the interview: which question comes next, and whether one is worth asking.
extension Conversation {
    // MARK: - Choosing the next question

    /// `rank` ranks the causes for the state's findings (the turn keeps the result for its
    /// assessment and reply).
    func nextQuestion(_ state: SessionState, rank: () -> [RankedCause]) -> InterviewQuestion? {
        let findings = state.findings
        // A question is a class: each `questions[index]` read retains it, so each is read once.
        for question in interview.questions where !question.firstWhenSet.isDisjoint(with: findings.present) {
            if !state.asked.contains(question.id) && !isAnswered(question, findings) { return question }
        }
        var outlook: Outlook?
        for (index, question) in interview.questions.enumerated()
        where question.requiredSet.isSubset(of: findings.present) && question.unlessSet.isDisjoint(with: findings.present) {
            if !state.asked.contains(question.id) && !isAnswered(question, findings) {
                if question.always { return question }
                if outlook == nil { outlook = Outlook(self, findings) }
                if outlook!.couldChange(with: questionEffects[index], self) { return question }
            }
        }
        guard let question = conditionQuestion(state, rank: rank) else { return nil }
        if outlook == nil { outlook = Outlook(self, findings) }
        return outlook!.couldChange(with: answerEffects[question.id] ?? [], self) ? question : nil
    }

    /// What the assessment would say now, as far as the interview's choice goes: the leading
    /// possible cause and the triage level. A question is worth asking only while one of its
    /// answers could change either; when none can, the assessment would read the same.
    struct Outlook {
        let findings: Findings
        let standing: CauseIndex.Standing
        let leader: Int?
        let level: TriageLevel?

        init(_ conversation: Conversation, _ findings: Findings) {
            self.findings = findings
            standing = conversation.causeIndex.standing(for: findings)
            leader = conversation.causeIndex.leader(standing)
            level = conversation.ruleIndex.highestLevel(findings)
        }

        /// `effects`: the question's `answerEffects`.
        func couldChange(with effects: [AnswerEffect], _ conversation: Conversation) -> Bool {
            // A question is asked only while its findings are unknown, so an answer's effect made
            // once holds (a plain "no" never takes back what was said, and changes little).
            for effect in effects {
                if effect.present.isSubset(of: findings.present) && effect.absent.isSubset(of: findings.absent) { continue }
                if conversation.causeIndex.leader(standing, after: effect.change) != leader { return true }
                // A rule above the level now that holds after the answer did not hold before, so it
                // tests one of the answer's findings (`effect.rules`): only those are read.
                let now = level ?? .selfCare
                guard conversation.ruleIndex.mayHold(anyOf: effect.rules, above: now) else { continue }
                var after = findings
                after.present.formUnion(effect.present)
                after.absent.formUnion(effect.absent)
                if conversation.ruleIndex.holds(anyOf: effect.rules, above: now, after) { return true }
            }
            return false
        }
    }

    /// What one possible answer of a question does (`answerEffects`): the change to the causes'
    /// totals, the findings it adds, and the positions of the rules that test them. A class, so
    /// that weighing a question on every turn passes one reference, not four arrays.
    final class AnswerEffect: Sendable {
        let change: CauseIndex.Change
        let present: FindingSet
        let absent: FindingSet
        let rules: [Int]

        init(change: CauseIndex.Change, present: FindingSet, absent: FindingSet, rules: [Int]) {
            self.change = change
            self.present = present
            self.absent = absent
            self.rules = rules
        }
    }

    func isAnswered(_ question: InterviewQuestion, _ findings: Findings) -> Bool {
        switch question.fills {
        case .symptom:
            // Asked as a group: skip once most of the group is known either way.
            // (A check of one or two warning signs: once all of them are known.)
            // (One without a list of signs a "no" denies is never answered by the signs.)
            return question.deniedByNo.count > 0
                && findings.present.union(findings.absent).intersection(question.deniedByNo).count >= min(3, question.deniedByNo.count)
        case .trigger:
            return findings.present.contains(kind: .trigger) || findings.present.contains(Self.noObviousTrigger)
        default:
            return findings.present.contains(kind: question.fills)
        }
    }

    /// Only the conditions that matter for what was said: those that would raise one of the
    /// leading causes, when the story is not already clear.
    private func conditionQuestion(_ state: SessionState, rank: () -> [RankedCause]) -> InterviewQuestion? {
        var askedConditions = 0
        for id in state.asked where id.hasPrefix("condition:") { askedConditions += 1 }
        guard askedConditions < Self.maximumConditionQuestions else { return nil }
        let ranked = rank()
        let clear = (ranked.first?.score ?? 0) >= 0.8 && !state.findings.present.contains(Self.noObviousTrigger)
        if clear { return nil }
        // The first condition not yet known or asked about, of the leading causes in turn.
        for cause in ranked.prefix(4) {
            guard let index = causeIndex.position(of: cause.id) else { continue }
            for candidate in conditionCandidates[index]
            where !state.findings.present.contains(candidate.finding) && !state.findings.absent.contains(candidate.finding)
                && !state.asked.contains(candidate.question.id) && candidate.question.unlessSet.isDisjoint(with: state.findings.present)
            {
                return candidate.question
            }
        }
        return nil
    }

    static let noObviousTrigger = Finding(.context, "no_obvious_trigger")
}
