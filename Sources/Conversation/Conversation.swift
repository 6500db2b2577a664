import Foundation
import Knowledge
import Understanding

/// The dialogue engine: `(state, utterance) -> (new state, reply)`, pure and deterministic.
/// One value serves every session and front end.
public final class Conversation: Sendable {
    public let knowledge: KnowledgeModel
    public let interpreter: Interpreter
    public let interview: Interview
    /// What the conversation says, by id (replies.yaml).
    public let replies: Replies

    /// How many condition questions the history stage asks at most.
    static let maximumConditionQuestions = 2

    /// Lines and names an assessment quotes, made once from the knowledge model.
    let assessmentText: AssessmentText
    /// The causes and triage rules laid out for a turn's ranking and matching, made once.
    let causeIndex: CauseIndex
    let ruleIndex: RuleIndex
    /// For each cause (by its place in the model), the condition questions its evidence points
    /// to, heaviest evidence first (of equal weights, the one written first).
    let conditionCandidates: [[(finding: Finding, question: InterviewQuestion)]]
    /// For each question (by id), what each of its possible answers does to the causes' totals
    /// and the findings it adds, made once: judging whether a question is worth asking then
    /// costs no lookup or allocation.
    let answerEffects: [String: [AnswerEffect]]
    /// `answerEffects` of `interview.questions`, by their place: choosing the next question
    /// reads them without hashing an id for every question it weighs.
    let questionEffects: [[AnswerEffect]]

    public init(knowledge: KnowledgeModel, interpreter: Interpreter, interview: Interview, replies: Replies) {
        self.knowledge = knowledge
        self.replies = replies
        self.interpreter = interpreter
        self.interview = interview
        self.assessmentText = AssessmentText(knowledge)
        self.causeIndex = CauseIndex(knowledge)
        self.ruleIndex = RuleIndex(knowledge.triageRules)
        var effects: [String: [AnswerEffect]] = [:]
        let causes = self.causeIndex
        let ruleIndex = self.ruleIndex
        for question in interview.questions + Array(interview.conditionQuestions.values) {
            effects[question.id] = question.possibleAnswers.map {
                AnswerEffect(
                    change: causes.change(adding: $0.present, absent: $0.absent), present: FindingSet($0.present),
                    absent: FindingSet($0.absent), rules: ruleIndex.positions(naming: $0.present + $0.absent))
            }
        }
        self.answerEffects = effects
        self.questionEffects = interview.questions.map { effects[$0.id] ?? [] }
        self.conditionCandidates = knowledge.causes.map { cause in
            let pointing = cause.evidence.enumerated().compactMap { position, evidence -> (Double, Int, Finding, InterviewQuestion)? in
                let finding = evidence.finding.finding
                guard evidence.weight > 0, finding.kind == .condition, !evidence.finding.expectsAbsent,
                    let question = interview.conditionQuestions[finding.value]
                else { return nil }
                return (evidence.weight, position, finding, question)
            }
            return pointing.sorted { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }.map { ($0.2, $0.3) }
        }
    }

    /// The shipped knowledge model, lexicon and interview.
    public static func bundled() throws(KnowledgeError) -> Conversation {
        let interpreter = try Interpreter.bundled()
        return Conversation(
            knowledge: interpreter.knowledge, interpreter: interpreter,
            interview: try Interview.loadBundled(knowledge: interpreter.knowledge), replies: try Replies.loadBundled())
    }

    /// The knowledge model from the `.yaml` files of `knowledgeDirectory` and the lexicon from
    /// `lexicon` (nil: the shipped ones), with the shipped interview and replies: what
    /// `charley serve` loads at start and again on a reload. Every problem is listed with its
    /// file, line and entry.
    public static func load(knowledgeDirectory: URL?, lexicon: URL?) throws(KnowledgeError) -> Conversation {
        let knowledge: KnowledgeModel
        if let knowledgeDirectory {
            knowledge = try KnowledgeLoader.load(directory: knowledgeDirectory)
        } else {
            knowledge = try KnowledgeLoader.loadBundled()
        }
        let interpreter = Interpreter(knowledge: knowledge, lexicon: try Lexicon.load(file: lexicon, knowledge: knowledge))
        return Conversation(
            knowledge: knowledge, interpreter: interpreter,
            interview: try Interview.loadBundled(knowledge: knowledge), replies: try Replies.loadBundled())
    }

    /// What Charley says before the person has said anything.
    public var greeting: String {
        """
        Hello, I'm Charley. I can help you make sense of leg cramps: tell me about yours and I'll ask \
        a few questions, then explain possible causes, what you can do, and when to see a doctor. \
        I can't diagnose, and I'm not for emergencies: if you have chest pain, trouble breathing, or a \
        swollen, red and warm leg, call emergency services now.
        """
    }

    /// Answers one utterance, updating `state`.
    public func respond(to text: String, state: inout SessionState) -> Reply {
        if state.stage == .ended { state = SessionState() }
        state.turns += 1
        let understood = interpreter.interpret(text)
        var turn = Turn(conversation: self, understood: understood, text: text)
        turn.run(&state)
        return reply(&turn, state: state)
    }

    /// What a person is told when their stored conversation cannot be continued.
    public static let restartNotice = """
        Sorry, I couldn't pick up our earlier conversation (Charley has been updated since), so let's \
        start again. Nothing is wrong on your side.
        """

    /// Why a stored state cannot go on under this knowledge model and interview (a finding,
    /// question or rule it names is gone), or nil when it can. For operators' logs: it names
    /// ids only, never what the person said.
    public func problem(resuming state: SessionState) -> String? {
        if let finding = state.allFindings.first(where: { !knowledge.knows($0) }) {
            return "it names the finding '\(finding)', which the knowledge model \(knowledge.version) does not have"
        }
        if let id = (state.asked + [state.pending].compactMap { $0 } + state.undo.flatMap { ($0.asked ?? []) + [$0.pending].compactMap { $0 } })
            .first(where: { interview.question($0) == nil })
        {
            return "it names the question '\(id)', which the interview does not have"
        }
        if let id = state.redFlags.first(where: { knowledge.rule($0) == nil }) {
            return "it names the triage rule '\(id)', which the knowledge model \(knowledge.version) does not have"
        }
        return nil
    }

    private func reply(_ turn: inout Turn, state: SessionState) -> Reply {
        // Causes are ranked only when the reply shows them, and only once a turn.
        let showCauses = state.stage.showsCauses || turn.assessed
        let ranked = showCauses ? (turn.ranked ?? Turn.worthNaming(turn.rankCauses(state.findings))).prefix(3) : []
        // Every sentence for the person it is about: "{your} cramps" is "your", "her", "his", "their".
        let subject = state.subject
        // The lines, each for the person it is about, joined by blank lines (in one string, not
        // an array of them joined).
        var text = ""
        for (position, line) in turn.lines.enumerated() {
            if position > 0 { text += "\n\n" }
            text += Wording.render(line, for: subject)
        }
        return Reply(
            session: nil, reply: text, stage: state.stage,
            understood: turn.understood, known: state.findings, triage: state.triage, redFlags: state.redFlags,
            causes: ranked.map { Reply.CauseScore(id: $0.id, score: $0.score, because: $0.because.map { Wording.render($0, for: subject) }) },
            suggestions: turn.suggestions, done: state.stage == .ended, subject: subject,
            question: state.stage.isPastInterview ? nil : state.pending)
    }

    /// What Charley knows so far, in words (`summary`, and welcoming a person back).
    public func summary(of state: SessionState) -> String {
        let known = state.findings.present.sorted().filter { $0.kind != .context }.compactMap { knowledge.term($0)?.label }
        let denied = state.findings.absent.sorted().compactMap { knowledge.term($0)?.label }
        if known.isEmpty && denied.isEmpty { return "You haven't told me anything about your cramps yet." }
        var text = "So far I know: " + (known.isEmpty ? "nothing yet" : known.joined(separator: "; ")) + "."
        if !denied.isEmpty { text += " You don't have: " + denied.joined(separator: "; ") + "." }
        if let triage = state.triage { text += " Triage so far: \(triage.rawValue.replacingOccurrences(of: "_", with: " "))." }
        return text
    }

    /// Greets a person who comes back to a stored conversation: what Charley knows, and the
    /// question it was waiting on.
    public func welcomeBack(_ state: SessionState) -> String {
        var lines = [
            "Welcome back. Let's carry on where we left off. As before: I can't diagnose, and in an emergency call emergency services.",
            summary(of: state)
        ]
        if let question = state.pending.flatMap(interview.question),
            !state.stage.isPastInterview
        {
            lines.append(Wording.render(question.text, for: state.subject))
        } else if state.stage == .escalated, let triage = state.triage {
            lines.append(Turn.triageLine(triage, rules: state.redFlags.compactMap(knowledge.rule), text: assessmentText))
        } else {
            lines.append("You can ask me anything else, or say \"restart\" to start again.")
        }
        return lines.joined(separator: "\n\n")
    }

    /// What a front end continues from: the stored state, a new one (unknown or idle longer than
    /// the expiry), or a new one with a notice for the person when the stored one cannot go on.
    public struct Resumed: Sendable {
        public var state: SessionState
        /// For the person, before the reply to their message.
        public var notice: String?
        /// For operators' logs (ids only, no health data).
        public var problem: String?
        /// The state is the stored one, as stored (not a new one in its place).
        public var isStored = false

        public init(state: SessionState, notice: String? = nil, problem: String? = nil, isStored: Bool = false) {
            self.state = state
            self.notice = notice
            self.problem = problem
            self.isStored = isStored
        }
    }

    public func resume(_ loaded: StoredSession.Loaded?, at time: Double, idleExpiry: Double) -> Resumed {
        switch loaded {
        case nil:
            return Resumed(state: SessionState())
        case .session(let stored) where stored.isExpired(at: time, idleExpiry: idleExpiry):
            return Resumed(state: SessionState())
        case .session(let stored):
            // A state made under this very knowledge model names only ids it has.
            guard stored.knowledge != knowledge.version, let problem = problem(resuming: stored.state) else {
                return Resumed(state: stored.state, isStored: true)
            }
            return Resumed(state: SessionState(), notice: Self.restartNotice, problem: problem)
        case .unreadable(let reason):
            return Resumed(state: SessionState(), notice: Self.restartNotice, problem: reason)
        }
    }
}

/// What an assessment quotes from the knowledge model, made once so that an assessment only
/// looks up numbers and copies finished lines: by a cause's place in the model (as
/// `CauseIndex.position(of:)` gives it), its name, the "- name: how" lines of
/// its self-care treatments (none for what only a doctor may consider), the "- name: advice"
/// lines of its prevention tips, and the sources it cites, each as a number; how each source is
/// cited (a seed article by its file name, a public source by its title); each rule's title as
/// the triage line quotes it. A class, so that an assessment reaching it copies one reference.
final class AssessmentText: Sendable {
    struct CauseText: Sendable {
        var id: String
        var name: String
        var careLevel: TriageLevel
        /// Into `lines`.
        var care: [Int]
        var tips: [Int]
        /// Into `sourceNames`.
        var sources: [Int]
        var seeDoctorIf: String?
    }

    let causes: [CauseText]
    /// Care lines and tip lines, numbered together (so one list of numbers can hold both).
    let lines: [String]
    /// The same lines as name and text ("Stretch", "Stand on ..."), for the report.
    let entries: [(name: String, text: String)]
    /// The care lines every assessment may fall back on (stretching, massage).
    let generalCare: [Int]
    /// The treatments every assessment offers (checked at load: `CodeNames.conversation`).
    static let generalCareIDs = ["stretch", "massage"]
    let sourceNames: [String]
    let sourceNumber: [String: Int]
    /// Lowercased, by rule id.
    let ruleTitle: [String: String]
    let ruleSources: [String: [Int]]

    init(_ knowledge: KnowledgeModel) {
        var careLine: [String: Int] = [:]
        var tipLine: [String: Int] = [:]
        var lines: [String] = []
        var entries: [(name: String, text: String)] = []
        for treatment in knowledge.treatments where treatment.kind != .doctorMayConsider && careLine[treatment.id] == nil {
            careLine[treatment.id] = lines.count
            lines.append("- \(treatment.name): \(treatment.how)")
            entries.append((treatment.name, treatment.how))
        }
        for tip in knowledge.prevention where tipLine[tip.id] == nil {
            tipLine[tip.id] = lines.count
            lines.append("- \(tip.name): \(tip.advice)")
            entries.append((tip.name, tip.advice))
        }
        var sourceNumber: [String: Int] = [:]
        var sourceNames: [String] = []
        for source in knowledge.sources where sourceNumber[source.id] == nil {
            sourceNumber[source.id] = sourceNames.count
            sourceNames.append(source.citation)
        }
        var causes: [CauseText] = []
        for cause in knowledge.causes {
            causes.append(
                CauseText(
                    id: cause.id, name: cause.name, careLevel: cause.careLevel, care: cause.treatments.map { careLine[$0] ?? -1 },
                    tips: cause.prevention.map { tipLine[$0] ?? -1 }, sources: cause.sources.map { sourceNumber[$0] ?? -1 },
                    seeDoctorIf: cause.seeDoctorIf))
        }
        var ruleTitle: [String: String] = [:]
        var ruleSources: [String: [Int]] = [:]
        for rule in knowledge.triageRules where ruleTitle[rule.id] == nil {
            ruleTitle[rule.id] = rule.title.lowercased()
            ruleSources[rule.id] = rule.sources.map { sourceNumber[$0] ?? -1 }
        }
        self.causes = causes
        self.lines = lines
        self.entries = entries
        self.generalCare = Self.generalCareIDs.compactMap { careLine[$0] }
        self.sourceNames = sourceNames
        self.sourceNumber = sourceNumber
        self.ruleTitle = ruleTitle
        self.ruleSources = ruleSources
    }

    /// How `ids` are cited, joined with "; " (unknown ids left out).
    func sources(_ ids: [String]) -> String {
        var text = ""
        for id in ids {
            guard let number = sourceNumber[id] else { continue }
            if !text.isEmpty { text += "; " }
            text += sourceNames[number]
        }
        return text
    }
}

extension Array where Element == Int {
    /// Appends the numbers of `more` not already here and not -1 (a name with nothing to quote),
    /// until there are `limit`.
    mutating func appendNew(_ more: [Int], limit: Int = .max) {
        for number in more where count < limit && number >= 0 && !contains(number) { append(number) }
    }
}
