import Foundation
import Knowledge
import Understanding

/// The work of one turn: what was understood, what to record, and the lines of the reply.
struct Turn {
    let conversation: Conversation
    let understood: Understood
    let text: String
    var lines: [String] = []
    var suggestions: [String] = []
    var assessed = false
    /// This turn changed what is known (set once the turn's findings are recorded).
    private var changedFindings = false
    /// The causes ranked by this turn's assessment, so the reply need not rank them again.
    var ranked: [RankedCause]?
    /// The last ranking of the turn and the findings it was for: a turn that asks a condition
    /// question, assesses and replies ranks once.
    private var rankCache: (findings: Findings, reasons: Bool, ranked: [RankedCause])?
    private var rulesCache: (findings: Findings, rules: [TriageRule])?
    /// The message tells of another person, in a conversation about the writer (`noteSubject`).
    private var aboutSomeoneElse = false

    init(conversation: Conversation, understood: Understood, text: String) {
        self.conversation = conversation
        self.understood = understood
        self.text = text
    }

    var knowledge: KnowledgeModel { conversation.knowledge }
    var replies: Replies { conversation.replies }

    /// One turn: what the person said, recorded; then the handler for its kind (a command, the
    /// answer to "is this happening now?", a warning sign, a question, a fact after the
    /// assessment, or an answer in the interview), each writing its reply.
    mutating func run(_ state: inout SessionState) {
        noteSubject(&state)
        if handleCommand(&state) { return }
        if handleHappeningNow(&state) { return }
        let (new, findingsBefore, answered, pending) = recordFacts(&state)
        if handleExplanation(&state) { return }
        if handleWarningSigns(&state) { return }
        if understood.intent.isQuestion { return handleQuestion(&state) }
        switch state.stage {
        case .escalated:
            lines.append(escalatedReminder(state))
        case .followup, .assessment:
            handleAfterAssessment(new: new, findingsBefore: findingsBefore, &state)
        default:
            handleInterviewAnswer(new: new, findingsBefore: findingsBefore, answered: answered, pending: pending, &state)
        }
    }

    /// Who it is about: another person once named stays so ("my mum ..." then "her calf");
    /// a later message adds what it says (the sex, the relation).
    private mutating func noteSubject(_ state: inout SessionState) {
        if let subject = understood.subject {
            if let known = state.subject, !known.isSelf, subject.isSelf {
                // "my calf" in a message about someone else is not a change of person.
            } else if let known = state.subject, known.isSelf, subject.relation != nil, !subject.isSelf, state.turns > 0,
                understood.redFlags.isEmpty, Self.tellsThePast(text)
            {
                // "my mate had a DVT last year with a swollen red leg", told in the middle of a
                // conversation about the writer's own cramps: that person's story, not the
                // writer's signs (a warning sign told of someone else is still answered).
                aboutSomeoneElse = true
            } else if let known = state.subject, known.isSelf, subject.relation == nil {
                // Nor is a "she" in a conversation about the writer's own legs: only a person named is.
            } else {
                state.subject = state.subject?.merged(with: subject) ?? subject
            }
        }
    }

    /// A story told in the past ("my mate had a DVT", "my dad was told ..."), not a correction of
    /// who the conversation is about ("sorry, I meant my mum, she gets them").
    static func tellsThePast(_ text: String) -> Bool {
        let words = Words.normalised(text).split(separator: " ")
        return words.contains { ["had", "was", "were", "ago"].contains($0) }
    }

    /// Commands: restart, goodbye, help, summary, back, why. True when the turn is done.
    private mutating func handleCommand(_ state: inout SessionState) -> Bool {
        switch understood.intent {
        case .restart:
            state = SessionState()
            lines.append(replies["start_again"])
            askNext(&state)
            return true
        case .goodbye:
            // "OK thanks, bye" in the middle of the interview, with enough told: the assessment so
            // far first, so that no one leaves without a triage they had a basis for.
            if state.pending != nil, Self.hasBasis(state.findings) {
                lines.append(replies["before_you_go"])
                assess(&state)
            }
            state.stage = .ended
            state.pending = nil
            lines.append(replies["farewell"])
            return true
        case .help:
            lines.append(Self.help)
            resume(&state)
            return true
        case .summary:
            lines.append(conversation.summary(of: state))
            resume(&state)
            return true
        case .back:
            if let previous = state.popUndo() {
                state.restore(previous)
                lines.append(replies["back"])
                if let pending = state.pending.flatMap({ conversation.interview.question($0) }) { ask(pending, &state, again: true) } else { resume(&state) }
            } else {
                lines.append(replies["nothing_to_go_back_to"])
                resume(&state)
            }
            return true
        case .askWhy:
            if let pending = state.pending.flatMap({ conversation.interview.question($0) }) {
                lines.append(pending.why)
                ask(pending, &state, again: true)
            } else {
                lines.append(replies["why_questions"])
            }
            return true
        default:
            return false
        }

    }

    /// The answer to "Is this happening now?" after a question about a warning sign: yes
    /// escalates at once. True when the turn is done.
    private mutating func handleHappeningNow(_ state: inout SessionState) -> Bool {
        // "Is this happening now?" after a question about a warning sign: yes escalates at once.
        if !state.redFlagsAsked.isEmpty {
            let asked = state.redFlagsAsked.compactMap(knowledge.rule).filter { !state.redFlags.contains($0.id) }
            state.redFlagsAsked = []
            // "OK, I'll book in" and "ok thanks" are not a yes to the question asked.
            if understood.closing || understood.thanks, understood.intent == .affirm || understood.answer == .affirm { return false }
            let answer = understood.intent.isAnswer ? understood.intent : understood.answer
            if answer == .affirm, !asked.isEmpty {
                state.pushUndo(state.snapshot)
                escalate(asked.sorted { $0.level > $1.level }, &state)
                return true
            }
            if answer == .deny && understood.findings.present.isEmpty && !understood.intent.isQuestion {
                lines.append(replies["not_happening_now"])
                resume(&state)
                return true
            }
        }

        return false
    }

    /// Records the facts of a description or an answer (and of a question about oneself), with a
    /// step for "back" when they change something.
    private mutating func recordFacts(_ state: inout SessionState) -> (new: Findings, findingsBefore: Findings, answered: Bool, pending: InterviewQuestion?) {
        // Facts first: from descriptions and answers, and from questions about oneself. A general
        // question keeps its facts out of the person's story, unless they are warning signs on
        // their own ("what causes a cramp that lasts an hour and a half?"): safety comes first.
        let before = state.snapshot
        // A message about someone named ("my mum ..., should she take magnesium?") is about that person.
        let general = understood.intent.isQuestion && !isPersonal && understood.subject == nil && understood.redFlags.isEmpty
        var new = general || aboutSomeoneElse ? Findings() : understood.findings
        if aboutSomeoneElse && !understood.findings.present.isEmpty { lines.append(replies["about_someone_else"]) }
        let pending = state.pending.flatMap({ conversation.interview.question($0) })
        var answered = false
        // A question that looks for warning signs takes its yes or no even when the message asks
        // something too ("yes, is that bad?"): the sign must not be lost to the question.
        if let pending, !understood.intent.isQuestion || (pending.always && understood.answer != nil) {
            answered = applyAnswer(to: pending, into: &new, state: &state)
            if !answered && new.present.isEmpty && new.absent.isEmpty { answerAnotherQuestion(than: pending, into: &new, state: state) }
        }
        // "No numbness or swelling or anything", "no other symptoms at all": the rest of that
        // group is denied too (not what was told present).
        var message = MessageWords(text)
        for question in conversation.interview.questions
        where question.fills == .symptom && !state.asked.contains(question.id)
            && question.deniesTheRest(&message, deniesOne: !new.absent.isDisjoint(with: question.deniedByNo))
        {
            apply(question.onNo, to: &new, known: state.findings)
            state.asked.append(question.id)
        }
        let findingsBefore = state.findings
        state.record(new)
        changedFindings = state.findings != findingsBefore
        // A step to go back to only when this turn changed something: saying again what is
        // already known ("my calf cramps at night", a second time) leaves none, or "back"
        // would seem to do nothing.
        if answered || changedFindings {
            state.pushUndo(before)
        }

        return (new, findingsBefore, answered, pending)
    }

    /// A harmless cause named after the sign it explains ("my feet look blue" ... "oh, new navy
    /// socks, it rubs off"): the sign is taken back (no rule or cause counts it), and when no
    /// warning sign is left the interview goes on. The triage level does not drop. True when it
    /// replied.
    private mutating func handleExplanation(_ state: inout SessionState) -> Bool {
        let explained = understood.explains.compactMap(Finding.init(parsing:)).filter(state.findings.present.contains)
        guard !explained.isEmpty else { return false }
        // "I had a hot water bottle on it", after a calf told red, warm and swollen: the cause
        // does not account for the swelling, so it explains nothing.
        if understood.explainsUnlessKnown.compactMap(Finding.init(parsing:)).contains(where: state.findings.present.contains) { return false }
        var findings = state.findings
        for finding in explained { findings.present.remove(finding) }
        state.findings = findings
        changedFindings = true
        let rules = matchingRules(state.findings)
        let stillRaised = state.redFlags.filter { id in rules.contains { $0.id == id } }
        guard state.stage == .escalated, stillRaised.count < state.redFlags.count else { return false }
        let names = explained.compactMap { knowledge.term($0) }.filter { $0.refines.map(explained.contains) != true }.map(\.label)
        lines.append(replies.fill("explained", ["what": names.joined(separator: " and ")]))
        state.redFlags = stillRaised
        guard stillRaised.isEmpty else {
            // Another sign still stands: its advice, as before.
            lines.append(escalatedReminder(state))
            return true
        }
        // No warning sign is left: the interview picks up where it can. The triage stays where it
        // was (it never drops in a conversation: knowledge-sources.md), so the advice to get the
        // sign checked holds until it has cleared.
        state.stage = .onset
        askNext(&state)
        return true
    }

    /// Red flags, checked on every turn before anything else. True when one escalated.
    private mutating func handleWarningSigns(_ state: inout SessionState) -> Bool {
        // Red flags are checked on every turn, before anything else.
        let rules = matchingRules(state.findings)
        let fresh = rules.filter { $0.isRedFlag && !state.redFlags.contains($0.id) }
        if !fresh.isEmpty {
            escalate(fresh, &state)
            if understood.intent.isQuestion && !asksWhatToDo { answerQuestion(state) }
            return true
        }

        return false
    }

    /// A question, answered at any point; the interview then resumes.
    private mutating func handleQuestion(_ state: inout SessionState) {
        // After a red flag, "what should I do?" gets the red flag's advice, not cramp self-care:
        // stretching or rubbing a leg that may hold a clot must wait for a doctor.
        if state.stage == .escalated && asksWhatToDo, let rule = state.redFlags.compactMap(knowledge.rule).max(by: { $0.level < $1.level }) {
            answerHypothetical()
            lines.append(replies.fill("get_help_first", ["message": rule.message]))
            lines.append(replies["self_care_can_wait"])
            return
        }
        answerQuestion(state)
        // A question about a warning sign: one direct question whether it is happening now.
        if !understood.redFlagsAsked.isEmpty && state.stage != .escalated {
            state.redFlagsAsked = understood.redFlagsAsked
            lines.append(replies["is_it_happening_now"])
            suggestions = ["yes", "no"]
            return
        }
        if state.stage == .escalated || state.stage == .followup { return }
        if understood.topic == "other_cramps" { return invitePastOtherCramps(&state) }
        // Facts told with the question ("my dad keeled over with a cramp, should I worry?") set
        // the triage as a description would, said before the interview goes on.
        provisionalTriage(&state)
        if state.stage == .greeting {
            // Unless the question already told something about their cramps.
            if state.findings.present.isEmpty {
                lines.append(replies["invite_own_cramps"])
            }
            askNext(&state)
        } else {
            resume(&state)
        }
    }

    /// After the assessment: a new fact says what it changes; "no", "thanks" close.
    private mutating func handleAfterAssessment(new: Findings, findingsBefore: Findings, _ state: inout SessionState) {
        if !new.present.isEmpty || !new.absent.isEmpty {
            if changedFindings {
                // Only what the new fact changes, not the whole assessment again.
                tellChange(from: findingsBefore, &state)
            } else {
                // Told again what is already known: nothing to add, and the assessment stands.
                lines.append(replies["already_said_stands"])
            }
        } else if understood.intent == .greet {
            lines.append(replies["hello_again"])
        } else if isLeaving || understood.intent == .deny {
            // "No", "thanks", "nothing else", "I'll book in" after the assessment: the conversation
            // closes, once.
            state.stage = .ended
            state.pending = nil
            lines.append((isThanks ? replies["you_are_welcome"] + " " : understood.closing ? replies["good_plan"] + " " : "") + replies["farewell"])
        } else if understood.intent == .unrecognized {
            lines.append(replies["not_followed_after_assessment"])
        } else {
            lines.append(replies["anything_else"])
        }
    }

    /// In the interview: the answer said back, a provisional triage when there is a basis, the
    /// next question (or the same once more, in other words, when it was not understood).
    private mutating func handleInterviewAnswer(
        new: Findings, findingsBefore: Findings, answered: Bool, pending: InterviewQuestion?,
        _ state: inout SessionState
    ) {
        if understood.intent == .greet && state.stage == .greeting {
            lines.append(replies["hello"])
        } else if understood.intent == .unrecognized && state.stage == .greeting && !isThanks {
            // Said plainly, rather than starting the interview as if it had been understood.
            lines.append(replies["off_topic"])
        } else if understood.topic == "other_cramps", let topic = knowledge.topic("other_cramps") {
            lines.append(topic.answer)
            return invitePastOtherCramps(&state)
        }
        if understood.intent == .describe, understood.topic != nil {
            // Something named in passing that needs a warning (quinine): answer it, then go on.
            answerQuestion(state)
        }
        // "OK, I'll ring the surgery" to a question about a warning sign is agreeing to act, not a
        // yes or a no to the sign: that question once more, directly, before anything else.
        if let pending, !answered, agreesToAct, pending.always, state.timesAsked < 2 {
            lines.append(replies["check_before_you_go"])
            ask(pending, &state, again: true)
            return
        }
        // "OK, I'll book in" or "thanks" with nothing new, when enough is known: the person may
        // be going, so the assessment so far now (they can still say more).
        if isLeaving, !changedFindings, state.pending != nil, Self.hasBasis(state.findings) {
            lines.append(replies[isThanks ? "welcome_before_you_go" : "plan_before_you_go"])
            assess(&state)
            return
        }
        if let pending, !answered, state.pending == pending.id, new.present.isEmpty, new.absent.isEmpty {
            // A thank-you is not a failed answer: with too little told for the assessment so far
            // (given above when there is enough), the question stands as it was.
            if isLeaving {
                lines.append(replies["you_are_welcome"])
                ask(pending, &state, again: true)
                return
            }
            // About someone else: said so above; the question stands as it was.
            if aboutSomeoneElse {
                ask(pending, &state, again: true)
                return
            }
            // Not understood: ask once more with examples, then move on.
            if !state.reasked && state.timesAsked < 2 {
                state.reasked = true
                lines.append(replies["not_followed"])
                ask(pending, &state, again: true, withExamples: true)
                return
            }
            state.asked.append(pending.id)
            lines.append(replies["move_on"])
        }
        if changedFindings && lines.isEmpty { acknowledge(from: findingsBefore, state) }
        provisionalTriage(&state)
        askNext(&state)
    }

    /// Says back, in a few words, what this turn added ("Noted: left leg, calf, at night."), so
    /// a misunderstanding shows at once and can be corrected.
    /// Enough told for an assessment worth giving: where or when the cramps come, and one
    /// thing more about them.
    static func hasBasis(_ findings: Findings) -> Bool {
        // The kinds told, one bit each by `FindingKind.index` (a set of them was made every turn).
        var told = 0
        for finding in findings.present { told |= 1 << finding.kind.index }
        func has(_ kind: FindingKind) -> Bool { told & (1 << kind.index) != 0 }
        guard has(.location) || has(.timing) else { return false }
        var characterising = 0
        for kind in [FindingKind.timing, .duration, .frequency, .since, .trigger, .condition, .medicine, .symptom] where has(kind) {
            characterising += 1
        }
        return characterising >= 2
    }

    private mutating func acknowledge(from before: Findings, _ state: SessionState) {
        // (Sorted only when there are two or more: most answers add one finding and deny none.)
        let addedSet = state.findings.present.subtracting(before.present)
        let added = addedSet.count > 1 ? addedSet.sorted { Self.noteOrder($0) < Self.noteOrder($1) } : Array(addedSet)
        let deniedSet = state.findings.absent.subtracting(before.absent)
        let denied = deniedSet.count > 1 ? deniedSet.sorted() : Array(deniedSet)
        var words: [String] = []
        for finding in added {
            guard let term = knowledge.term(finding), term.refines.map(added.contains) != true else { continue }
            words.append(term.noted ?? term.label)
        }
        for finding in denied {
            if let note = knowledge.term(finding)?.absentNote(finding.kind) { words.append(note) }
            if words.count >= added.count + 3 { break }
        }
        guard !words.isEmpty else { return }
        let shown = words.count > 5 ? words.prefix(5).joined(separator: ", ") + " and more" : words.joined(separator: ", ")
        // The first time, how to put it right ("that's wrong" goes back a step; "actually ..." replaces).
        lines.append(replies.fill("noted", "what", shown) + (before.present.isEmpty ? " " + replies["noted_how_to_correct"] : ""))
    }

    /// The order in which an acknowledgement names findings: where, when, how, then the rest.
    private static func noteOrder(_ finding: Finding) -> (Int, Finding) {
        (noteRanks[finding.kind.index], finding)
    }
    /// Each kind's place in that order, by `FindingKind.index` (made once: the sort asks for
    /// it twice a comparison).
    private static let noteRanks: [Int] = {
        let order: [FindingKind] = [.side, .location, .timing, .duration, .frequency, .since, .trigger, .medicine, .symptom, .condition, .ageGroup]
        var ranks = [Int](repeating: order.count, count: FindingKind.allCases.map(\.index).max()! + 1)
        for (rank, kind) in order.enumerated() { ranks[kind.index] = rank }
        return ranks
    }()

    /// A triage as soon as what was said gives one (numbness, every night, a medicine), said once,
    /// so that someone who stops answering has it; the interview goes on to the assessment.
    /// With a basis and no rule above self-care, the level is self-care from then on (in the
    /// contract's `triage`, not said: the assessment says it), so a bridge that stops early has it.
    private mutating func provisionalTriage(_ state: inout SessionState) {
        guard changedFindings else { return }
        let rules = matchingRules(state.findings)
        guard let level = rules.map(\.level).max(), level >= .seeDoctor, level > (state.triage ?? .selfCare) else {
            if state.triage == nil && Self.hasBasis(state.findings) { state.raise(to: .selfCare) }
            return
        }
        state.raise(to: level)
        // What each rule says to do, and when to go sooner ("call emergency services if ..."),
        // now rather than only in the assessment: the person may stop here.
        let messages = rules.filter { $0.level == level }.map(\.message)
        lines.append(
            replies.fill(
                "provisional_triage",
                [
                    "level": Self.levelWords(level) + Self.reasons(level, rules: rules, text: conversation.assessmentText),
                    "advice": messages.joined(separator: " ")
                ]))
    }

    /// A fact added after the assessment: what it changes (the triage, the leading possible
    /// cause), or that it changes nothing, instead of the whole assessment again.
    private mutating func tellChange(from before: Findings, _ state: inout SessionState) {
        let oldRanked = Self.worthNaming(conversation.causeIndex.rankCauses(for: before, reasonsFor: 0))
        let oldLevel = state.triage
        let rules = matchingRules(state.findings)
        let ranked = Self.worthNaming(rankCauses(state.findings))
        self.ranked = ranked
        var level = rules.first?.level ?? .selfCare
        if let top = ranked.first, top.score >= 0.5, let index = conversation.causeIndex.position(of: top.id) {
            level = max(level, conversation.assessmentText.causes[index].careLevel)
        }
        state.raise(to: level)
        var said: [String] = []
        if let new = state.triage, new != oldLevel {
            said.append("That changes my advice. " + Self.triageLine(new, rules: rules, text: conversation.assessmentText))
        }
        if let top = ranked.first, top.id != oldRanked.first?.id, let index = conversation.causeIndex.position(of: top.id) {
            let name = conversation.assessmentText.causes[index].name
            said.append(
                "With that, the possible cause that fits best is now \(name.prefix(1).lowercased() + name.dropFirst())"
                    + (top.because.isEmpty ? "." : ", because \(top.because.prefix(3).joined(separator: "; ")).")
                    + " This is not a diagnosis.")
        }
        if said.isEmpty {
            let level = state.triage.map { " (\(Self.levelWords($0)))" } ?? ""
            said.append(replies.fill("no_change", ["level": level]))
        }
        lines.append(said.joined(separator: " "))
        lines.append(replies["ask_anything_else"])
        suggestions = Self.assessmentSuggestions
    }

    /// A question about what to do now: relief, treatment, or whether to see a doctor.
    private var asksWhatToDo: Bool {
        understood.intent == .askWhenDoctor || (understood.intent == .askTreatment && (understood.topic ?? "relief") == "relief")
    }

    private var isThanks: Bool { understood.thanks }
    /// Thanks, or leaving with a plan ("I'll book in"): the person may be going.
    private var isLeaving: Bool { understood.thanks || understood.closing }

    /// "OK, I'll ring them", "yes I'll call today": agreeing to act on advice, whose "ok" or
    /// "yes" is no answer to the pending question.
    private var agreesToAct: Bool { understood.closing && (understood.intent == .affirm || understood.answer == .affirm) }

    /// Whether the text speaks about the person themselves ("my calf", "I get").
    private var isPersonal: Bool { Words.isPersonal(text) }

    // MARK: - Answers

    /// A short answer that is one of another question's suggestions ("both" when asked how long
    /// a cramp lasts, answering "which leg?" before it comes): it answers that question, which is
    /// then not asked. Only for a question not answered yet, and not "none of these" and the like.
    private func answerAnotherQuestion(than pending: InterviewQuestion, into new: inout Findings, state: SessionState) {
        var text = Substring(self.text)
        // Only a text that starts with a "y" or an "n" can start with one of them (nothing else
        // lower-cases to those letters), so the others are not lower-cased four times.
        if let first = text.utf8.first, first | 0x20 == UInt8(ascii: "y") || first | 0x20 == UInt8(ascii: "n") {
            for lead in ["yes ", "yeah ", "yep ", "no "] where text.lowercased().hasPrefix(lead) { text = text.dropFirst(lead.count) }
        }
        let answer = Words.Answer(String(text))  // made once, not once for every suggestion
        for question in conversation.interview.questions
        where question.id != pending.id
            && !state.findings.present.contains(where: { $0.kind == question.fills })
        {
            if let found = InterviewQuestion.firstSuggestion(of: question, where: { !$0.means.isEmpty && answer.matches($0.normalisedLabel) }) {
                new.present.formUnion(question.suggestions[found].means)
                return
            }
        }
    }

    /// Reads the utterance as an answer to the pending question; true when it answered it.
    private mutating func applyAnswer(to question: InterviewQuestion, into new: inout Findings, state: inout SessionState) -> Bool {
        let typed = Words.Answer(text)  // normalised once for every suggestion
        if let found = InterviewQuestion.firstSuggestion(of: question, where: { $0.isAnswered(by: typed) }) {
            let means = question.suggestions[found].means
            if means.isEmpty { apply(question.onNo, to: &new, known: state.findings) } else { new.present.formUnion(means) }
            state.asked.append(question.id)
            return true
        }
        // A bare number answers "how old are you?".
        if question.fills == .ageGroup, let years = Words.firstNumber(in: text), years >= 1, years <= 115 {
            new.present.insert(Finding(.ageGroup, years < 13 ? "child" : years < 20 ? "teen" : years < 60 ? "adult" : "older"))
            state.asked.append(question.id)
            return true
        }
        if new.present.contains(where: { $0.kind == question.fills })
            || (question.fills == .symptom && new.present.union(new.absent).contains { $0.kind == .symptom && (!question.isCheck || question.asksAbout($0)) })
        {
            state.asked.append(question.id)
            return true
        }
        let answer = understood.intent.isAnswer ? understood.intent : understood.answer
        // "maybe 15" to "how long?" is a number hedged, not "not sure": asked again, with examples.
        if answer == .unknownAnswer, Words.firstNumber(in: text) != nil, question.fills != .condition { return false }
        // "No swelling in her legs, ..." to "does anything bring them on?": the "no" is of the
        // swelling, not an answer to the question.
        // "No meds" to it: no medicine, not "nothing brings them on"; the question is answered only
        // as far as it says.
        if answer == .deny, !understood.intent.isAnswer, !new.absent.isEmpty {
            guard new.absent.contains(where: { $0.kind == question.fills }) else { return false }
            state.asked.append(question.id)
            return true
        }
        if agreesToAct { return false }
        switch answer {
        case .affirm? where question.onYes != nil:
            apply(question.onYes, to: &new, known: state.findings)
        case .deny? where question.onNo != nil:
            apply(question.onNo, to: &new, known: state.findings)
        case .unknownAnswer?:
            break
        case .affirm?:
            // "Yes" to an open question: ask which.
            return false
        case .deny?:
            if question.fills == .symptom || question.fills == .trigger { apply(question.onNo, to: &new, known: state.findings) }
        default:
            return false
        }
        state.asked.append(question.id)
        return true
    }

    /// A plain yes or no never takes back something the person already said: "no" to "any of
    /// these symptoms?" after "my foot is numb" leaves the numbness standing.
    private func apply(_ answer: InterviewQuestion.Answer?, to new: inout Findings, known: Findings) {
        guard let answer else { return }
        new.present.formUnion(answer.present ?? [])
        for finding in answer.absent ?? [] where !new.present.contains(finding) && !known.present.contains(finding) {
            new.absent.insert(finding)
        }
    }

    // MARK: - Asking

    private mutating func askNext(_ state: inout SessionState) {
        state.reasked = false
        // The ranking reads a copy of the findings: a closure that read `state` would make the
        // call copy the whole state to pass it.
        let findings = state.findings
        var next = conversation.nextQuestion(state, rank: { rankCauses(findings, reasons: false) })
        if let question = next, question.id == state.pending, state.timesAsked >= 2 {
            // Asked twice running and still not answered: never a third time. The finding stays
            // unknown and the interview goes on.
            state.asked.append(question.id)
            next = conversation.nextQuestion(state, rank: { rankCauses(findings, reasons: false) })
        }
        if let question = next {
            if question.id == state.pending && !understood.findings.present.isEmpty && lines.isEmpty && !changedFindings {
                lines.append(replies["have_that_already"])
            }
            ask(question, &state)
        } else {
            assess(&state)
        }
    }

    private mutating func ask(_ question: InterviewQuestion, _ state: inout SessionState, again: Bool = false, withExamples: Bool = false) {
        state.timesAsked = state.pending == question.id ? state.timesAsked + 1 : 1
        state.pending = question.id
        state.stage = question.stage
        let (text, rest) = Self.wording(of: question, state, inOtherWords: withExamples)
        var line = text
        if withExamples {
            // Only the answers still open, when some are known ("And any of these ...?").
            let shown = rest.map { $0 + question.suggestions.filter(\.means.isEmpty) } ?? question.suggestions
            line += " You could say: " + shown.map { "\"\($0.label)\"" }.joined(separator: ", ") + ". Or say \"not sure\"."
        }
        lines.append(line)
        if let rest {
            suggestions = rest.map(\.label) + question.suggestions.filter(\.means.isEmpty).map(\.label) + ["not sure"]
        } else {
            suggestions = withExamples ? question.suggestions.map(\.label) : question.offered
        }
    }

    /// The question as it is put now: for the person it is about, and, when some of a group's
    /// answers are known, about the others only (`text_rest`, with those still open); asked
    /// again after an answer not understood, in other words (`text_again`).
    static func wording(of question: InterviewQuestion, _ state: SessionState, inOtherWords: Bool = false) -> (
        text: String, rest: [InterviewQuestion.Suggestion]?
    ) {
        let rest = question.rest(state.findings)
        let text =
            rest.flatMap { open in question.textRest.map { fillRest($0, with: list(open.map(\.label))) } }
            ?? (inOtherWords ? question.textAgain : nil)
        let subject = state.subject.flatMap { $0.isSelf ? nil : $0 }
        return (
            text.map { Wording.render($0, for: subject) }
                ?? subject.map { Wording.render(question.text, for: $0) } ?? question.textForSelf, rest
        )
    }

    /// `text` with every "{rest}" replaced by `list`, left to right. An ASCII text (every shipped
    /// question's) by its bytes: through Foundation the replacement cost more than the rest of
    /// asking.
    static func fillRest(_ text: String, with list: String) -> String {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return text.replacingOccurrences(of: "{rest}", with: list) }
        let bytes = Array(text.utf8)
        let placeholder = Array("{rest}".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + list.utf8.count)
        var index = 0
        while index < bytes.count {
            if index + placeholder.count <= bytes.count && bytes[index..<(index + placeholder.count)].elementsEqual(placeholder) {
                out.append(contentsOf: list.utf8)
                index += placeholder.count
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// "a", "a or b", "a, b, or c", as the questions list their choices.
    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        case 2: return items[0] + " or " + items[1]
        default: return items.dropLast().joined(separator: ", ") + ", or " + items[items.count - 1]
        }
    }

    /// After an answer about cramps outside the legs: an invitation to talk about leg cramps,
    /// and the pending question if the interview had begun.
    private mutating func invitePastOtherCramps(_ state: inout SessionState) {
        lines.append(replies["invite_leg_cramps"])
        if state.stage != .greeting { resume(&state) }
    }

    /// After an interruption, the pending question once more; after two asks running, the next
    /// question instead.
    private mutating func resume(_ state: inout SessionState) {
        guard let question = state.pending.flatMap({ conversation.interview.question($0) }),
            !state.stage.isPastInterview
        else {
            if state.stage == .greeting { lines.append(replies["when_ready"]) }
            return
        }
        // Answered in the same message as a question ("a few seconds. what helps?"): the next one.
        if state.timesAsked >= 2 || conversation.isAnswered(question, state.findings) {
            if !state.asked.contains(question.id) { state.asked.append(question.id) }
            return askNext(&state)
        }
        state.timesAsked += 1
        let (text, rest) = Self.wording(of: question, state)
        lines.append(replies.fill("back_to_question", "question", text))
        suggestions = (rest.map { $0 + question.suggestions.filter(\.means.isEmpty) } ?? question.suggestions).map(\.label)
    }

    // MARK: - Questions at any time

    /// "What if my calf goes red and hot?": what to do if it happens (nothing is recorded).
    private mutating func answerHypothetical() {
        let asked = understood.redFlagsAsked.compactMap(knowledge.rule).sorted { $0.level > $1.level }
        guard let rule = asked.first else { return }
        let heading = replies[rule.level == .emergency ? "if_it_happens_emergency" : "if_it_happens_urgent"]
        lines.append("\(heading) (\(rule.title.prefix(1).lowercased() + rule.title.dropFirst())): \(rule.message)")
    }

    private mutating func answerQuestion(_ state: SessionState) {
        answerHypothetical()
        guard let id = understood.topic ?? understood.intent.generalTopic, let topic = knowledge.topic(id) else {
            lines.append(replies["cannot_answer"])
            return
        }
        // "What's the most likely cause?" after the assessment: theirs first, then the general answer.
        if id == "causes", state.stage == .followup, let best = Self.worthNaming(rankCauses(state.findings)).first,
            let index = conversation.causeIndex.position(of: best.id), !best.because.isEmpty
        {
            let name = conversation.assessmentText.causes[index].name
            lines.append(
                replies.fill(
                    "best_fitting_cause",
                    [
                        "cause": name.prefix(1).lowercased() + name.dropFirst(), "because": best.because.prefix(3).joined(separator: "; ")
                    ]))
        }
        // "Should I see a doctor?" after the assessment: what it said for them, then the signs.
        if id == "when_to_see_doctor", state.stage == .followup, let level = state.triage {
            lines.append(
                replies.fill("triage_for_them", ["advice": Self.triageAdvice(level, rules: matchingRules(state.findings), text: conversation.assessmentText)]))
        }
        let cited = sources(topic.sources)
        lines.append(topic.answer + (cited.isEmpty ? "" : " (Sources: \(cited).)"))
        if Self.medicineTopics.contains(id) {
            lines.append(replies["no_medicine_or_dose"])
        }
    }

    /// Topics about medicines: their answers end with the rule that Charley names no medicine
    /// or dose and never says to stop a prescribed one.
    static let medicineTopics: Set<String> = ["quinine", "painkillers", "muscle_relaxants", "magnesium", "statins", "diuretics", "medicines"]

    // MARK: - Red flags

    private mutating func escalate(_ rules: [TriageRule], _ state: inout SessionState) {
        let before = state.triage
        for rule in rules {
            state.redFlags.append(rule.id)
            state.raise(to: rule.level)
        }
        state.stage = .escalated
        state.pending = nil
        let highest = rules.map(\.level).max()!
        let top = rules.first { $0.level == highest }!
        // A new sign of a lower level than one already raised does not read as a step down.
        let heading =
            if let before, before > top.level, before == .emergency {
                replies["another_sign"]
            } else {
                replies[top.level == .emergency ? "could_be_emergency" : "needs_doctor_today"]
            }
        lines.append("\(heading) \(top.title): \(top.message)")
        lines.append(replies.fill("why_it_matters", "why", top.why))
        for rule in rules where rule.level == top.level && rule.id != top.id && rule.title != top.title {
            lines.append("Also, \(rule.title.lowercased()): \(rule.message)")
        }
        lines.append(replies["cannot_diagnose"])
        suggestions = []
    }

    private func escalatedReminder(_ state: SessionState) -> String {
        let level = state.triage == .emergency ? "please call emergency services now" : "please get medical help today"
        return (isThanks ? replies["you_are_welcome"] : "Thanks.") + " " + replies.fill("escalated_reminder", "advice", level)
    }

    // MARK: - Assessment

    /// The causes ranked for `findings`, once per turn for the same findings. Reasons are worded
    /// only when `reasons` asks for them (a reply shows three; choosing a condition question
    /// needs the ranking alone), and then for the first three.
    mutating func rankCauses(_ findings: Findings, reasons: Bool = true) -> [RankedCause] {
        if var cache = rankCache, cache.findings == findings {
            if reasons && !cache.reasons {
                // Ranked already to choose a question: only the reasons are missing.
                conversation.causeIndex.addReasons(to: &cache.ranked, for: findings, limit: 3)
                cache.reasons = true
                rankCache = cache
            }
            return cache.ranked
        }
        let ranked = conversation.causeIndex.rankCauses(for: findings, reasonsFor: reasons ? 3 : 0)
        rankCache = (findings, reasons, ranked)
        return ranked
    }

    /// The triage rules that hold for `findings`, once per turn for the same findings.
    mutating func matchingRules(_ findings: Findings) -> [TriageRule] {
        if let cache = rulesCache, cache.findings == findings { return cache.rules }
        let rules = conversation.ruleIndex.matchingRules(for: findings)
        rulesCache = (findings, rules)
        return rules
    }

    private mutating func assess(_ state: inout SessionState) {
        assessed = true
        state.pending = nil
        state.stage = .followup
        let ranked = Self.worthNaming(rankCauses(state.findings))
        self.ranked = ranked
        let assessment = Assessment(ranked: ranked, rules: matchingRules(state.findings), reached: state.triage, conversation: conversation)
        state.raise(to: assessment.level)
        let text = assessment.text

        // One string, sized once, with the paragraphs the reply would otherwise join.
        var out = replies["assessment_opening"] + "\n\n"
        out.reserveCapacity(2048)
        if ranked.isEmpty {
            out += replies["no_likely_cause"]
        } else {
            out += replies["possible_causes"]
            for (position, entry) in ranked.prefix(3).enumerated() {
                guard let cause = conversation.causeIndex.position(of: entry.id) else { continue }
                out += "\n\(position + 1). "
                out += text.causes[cause].name
                out += ", because "
                for (position, reason) in entry.because.prefix(3).enumerated() {
                    if position > 0 { out += "; " }
                    out += reason
                }
                out += "."
                if let against = entry.against.first { out += " (Against it: \(against).)" }
            }
        }
        out += "\n\n"
        out += Self.triageLine(assessment.level, rules: assessment.rules, text: text)
        // A level kept from a sign since explained (the triage never drops): say why it stands.
        if assessment.levelKept { out += " " + replies["triage_kept"] }
        if !assessment.care.isEmpty {
            out += "\n\nWhat you can do:"
            for line in assessment.care {
                out += "\n"
                out += text.lines[line]
            }
        }
        if !assessment.tips.isEmpty {
            out += "\n\nTo prevent them:"
            for line in assessment.tips {
                out += "\n"
                out += text.lines[line]
            }
        }
        out += "\n\n"
        out += assessment.seeDoctorIf ?? replies["see_doctor_if"]
        if !assessment.cited.isEmpty {
            out += "\n\nSources: "
            for (position, source) in assessment.cited.enumerated() {
                if position > 0 { out += "; " }
                out += text.sourceNames[source]
            }
            out += "."
        }
        out += "\n\nYou can ask me anything else, or say \"restart\"."
        lines.append(out)
        suggestions = Self.assessmentSuggestions
    }

    /// The leading cause, and the others only when the evidence for them is more than a nudge.
    static func worthNaming(_ ranked: [RankedCause]) -> [RankedCause] {
        // Ranked most likely first, so those kept are the first and a run after it.
        let end = ranked.indices.dropFirst().first { ranked[$0].score < 0.3 } ?? ranked.count
        return Array(ranked[..<end])
    }

    /// The triage line: "Triage: " and the advice.
    static func triageLine(_ level: TriageLevel, rules: [TriageRule], text: AssessmentText) -> String {
        "Triage: " + triageAdvice(level, rules: rules, text: text)
    }

    /// The level and what to do ("see a doctor. Please book ..."); the reasons named are the
    /// titles of the rules at `level`.
    static func triageAdvice(_ level: TriageLevel, rules: [TriageRule], text: AssessmentText) -> String {
        let why = reasons(level, rules: rules, text: text)
        switch level {
        case .selfCare:
            return levelWords(level)
                + ". This sounds like the common kind of cramp you can usually manage yourself; if you are unsure or it changes, check with a doctor or pharmacist."
        case .seeDoctor:
            return levelWords(level) + ". Please book an appointment with {your} doctor in the next week or two\(why)."
        case .urgent:
            return levelWords(level) + ". Please see a doctor today\(why)."
        case .emergency:
            return levelWords(level) + ". Call emergency services now\(why)."
        }
    }

    /// The level as the replies name it ("see a doctor").
    static func levelWords(_ level: TriageLevel) -> String {
        switch level {
        case .selfCare: "self-care"
        case .seeDoctor: "see a doctor"
        case .urgent: "urgent"
        case .emergency: "emergency"
        }
    }

    /// " (fainting; frequent cramps)": the titles of the rules at `level`, or nothing.
    static func reasons(_ level: TriageLevel, rules: [TriageRule], text: AssessmentText) -> String {
        let titles = rules.filter { $0.level == level }.map { text.ruleTitle[$0.id] ?? $0.title.lowercased() }
        return titles.isEmpty ? "" : " (" + titles.joined(separator: "; ") + ")"
    }

    private func sources(_ ids: [String]) -> String { conversation.assessmentText.sources(ids) }

    static let assessmentSuggestions = ["What causes cramps?", "How do I stop a cramp?", "How can I prevent them?", "restart"]

    static let help = """
        Tell me about your leg cramps in your own words and answer my questions; I'll then explain \
        possible causes, what you can do and when to see a doctor. You can ask a question at any \
        time ("what causes cramps?", "is quinine safe?"). Commands: "help", "restart", "back" (undo \
        your last answer), "summary" (what I know so far), "why" (why I asked), "quit".
        """
}
