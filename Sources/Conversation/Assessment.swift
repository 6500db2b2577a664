import Knowledge

/// What Charley concludes for what a person has told: the possible causes worth naming with
/// their reasons, the triage level and the rules behind it, what to do, how to prevent them,
/// when to see a doctor and the sources cited. One value, made by one function, read by the
/// assessment reply and by the report (the `Report` target), so that the two never disagree.
/// Text is as the knowledge model writes it, with `{your}`-style placeholders still in
/// (`Wording.render` words them for the person it is about).
public struct Assessment: Sendable {
    /// Every cause worth naming, most likely first (the first three have their reasons).
    public let ranked: [RankedCause]
    /// The triage rules that hold, most severe first.
    public let rules: [TriageRule]
    /// The level: the highest of the rules', the leading cause's care level when it is likely,
    /// and the level the conversation had reached (it never drops).
    public let level: TriageLevel
    let text: AssessmentText
    /// The causes shown (three at most), by their place in the model.
    let shown: [Int]
    /// Into `text.lines`.
    let care: [Int]
    let tips: [Int]
    /// Into `text.sourceNames`.
    let cited: [Int]

    /// Ranked causes are those of `ranked` already cut by `Turn.worthNaming`.
    init(ranked: [RankedCause], rules: [TriageRule], reached: TriageLevel?, conversation: Conversation) {
        let text = conversation.assessmentText
        var shown: [Int] = []
        for entry in ranked.prefix(3) { if let index = conversation.causeIndex.position(of: entry.id) { shown.append(index) } }
        var level = rules.first?.level ?? .selfCare  // the rules come most severe first
        if let top = ranked.first, top.score >= 0.5, let index = conversation.causeIndex.position(of: top.id) {
            level = max(level, text.causes[index].careLevel)
        }
        // The two leading causes' treatments and tips, then the sources cited.
        let leading = shown.prefix(2)
        var care: [Int] = []
        for cause in leading { care.appendNew(text.causes[cause].care, limit: 3) }
        care.appendNew(text.generalCare, limit: 3)
        var tips: [Int] = []
        for cause in leading { tips.appendNew(text.causes[cause].tips, limit: 3) }
        var cited: [Int] = []
        for cause in leading { cited.appendNew(text.causes[cause].sources) }
        for rule in rules { cited.appendNew(text.ruleSources[rule.id] ?? []) }
        self.ranked = ranked
        self.rules = rules
        self.level = max(reached ?? level, level)
        self.text = text
        self.shown = shown
        self.care = care
        self.tips = tips
        self.cited = cited
    }

    /// The causes shown, three at most, with their reasons for and against.
    public var causes: ArraySlice<RankedCause> { ranked.prefix(3) }

    /// A cause's name as the assessment gives it.
    public func name(of cause: RankedCause) -> String {
        guard let index = shown.first(where: { text.causes[$0].id == cause.id }) else { return cause.id }
        return text.causes[index].name
    }

    /// The level was kept from a sign since explained (the triage never drops): no rule that
    /// holds now calls for it.
    public var levelKept: Bool { level.escalates && !rules.contains { $0.level == level } }

    /// The self-care lines of the two leading causes, then stretching and massage: three at most.
    public var selfCare: [(name: String, text: String)] { care.map { text.entries[$0] } }

    /// The prevention tips of the two leading causes, three at most.
    public var prevention: [(name: String, text: String)] { tips.map { text.entries[$0] } }

    /// When to see a doctor, as the leading cause words it; nil for the general line.
    public var seeDoctorIf: String? { shown.first.flatMap { text.causes[$0].seeDoctorIf } }

    /// How the sources of the leading causes and of the rules that hold are cited (titles).
    public var sources: [String] { cited.map { text.sourceNames[$0] } }

    /// The level and what to do ("see a doctor. Please book ..."), as the assessment says it.
    public var triageAdvice: String { Turn.triageAdvice(level, rules: rules, text: text) }

    /// The level in words ("see a doctor").
    public static func words(_ level: TriageLevel) -> String { Turn.levelWords(level) }
}

extension Conversation {
    /// The assessment of what `state` holds: the ranking, rules and level an assessment reply
    /// gives for it now.
    public func assessment(of state: SessionState) -> Assessment {
        let ranked = Turn.worthNaming(causeIndex.rankCauses(for: state.findings, reasonsFor: 3))
        return Assessment(ranked: ranked, rules: ruleIndex.matchingRules(for: state.findings), reached: state.triage, conversation: self)
    }

    /// Enough told for an assessment worth giving: where or when the cramps come, and one
    /// thing more about them.
    public static func hasBasis(_ findings: Findings) -> Bool { Turn.hasBasis(findings) }
}
