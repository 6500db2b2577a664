import Knowledge

/// What a pass over the scanned items collects: findings (with negation applied), intents and
/// topics in the order they appear, cues, and how much of the text was understood.
struct Reading {
    var findings = Findings()
    var intents: [Intent] = []
    /// Question intents given by a phrase of two words or more ("what causes", "how do I
    /// stop"): these ask even without a question mark; single words ("diet") need one.
    var strongAskCues: [Intent] = []
    /// "would a hot water bottle help": asks whether something helps (relief, unless a topic says otherwise).
    var asksWhetherItHelps = false
    var topics: [String] = []
    var cues = Cues()
    /// Content words the lexicon did not know.
    var unknownWords = 0
    var knownWords = 0
    /// The first meaningful thing said was yes, no or "not sure".
    var leadingAnswer = false

    var coverage: Double {
        knownWords + unknownWords == 0 ? 0 : Double(knownWords) / Double(knownWords + unknownWords)
    }

    /// Function words: neither known nor unknown content.
    static let functionWords: Set<String> = [
        "a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "with", "from", "by", "up", "down",
        "i", "me", "my", "mine", "myself", "it", "its", "is", "am", "are", "was", "were", "be", "been", "being",
        "do", "does", "did", "have", "has", "had", "get", "gets", "got", "getting", "this", "that", "these", "those",
        "there", "here", "some", "any", "very", "really", "quite", "so", "too", "also", "then", "than", "as",
        "if", "when", "while", "after", "before", "about", "into", "out", "over", "under", "again", "still",
        "she", "he", "they", "we", "her", "his", "their", "our", "your", "you", "them", "him", "us", "what",
        "which", "who", "whom", "how", "why", "where", "can", "could", "would", "should", "will", "shall", "may",
        "might", "must", "just", "like", "feel", "feels", "felt", "bit", "little", "kind", "sort", "lot", "much",
        "more", "most", "all", "both", "each", "other", "one", "ones", "thing", "things", "think", "know"
    ]

    /// Findings said inside a hypothetical ("what if my ankle gets puffy?"): asked about, not told.
    var hypothetical = Findings()
    /// What the clause being read, and the sentence, have recorded as present (a negated
    /// pattern does not take it back).
    private var clauseRecorded: [Finding] = []
    private var sentenceRecorded: [Finding] = []
    /// The times and rates (`OwnTimes`) the clause being read has told first, and those taken
    /// from the cramps because their clause was about something else.
    private var clauseTimes: [Finding] = []
    private(set) var ownedTimes: [Finding] = []
    private var ownTimes = OwnTimes()
    /// Room for the places of the patterns a clause may hold (`Pattern.Index.candidates`), kept
    /// from clause to clause.
    private var candidates: [UInt64] = []

    /// The findings that matter only for warning signs (`read`'s `historyFindings`), and those
    /// told so far in the clause being read, in the clause before it and in the rest of the
    /// sentence: held back until the sentence ends, because a clause of the long past ("... 20
    /// years ago"), or a resolution ("it's healed up fine now"), may yet make them history. Only
    /// what is held is dropped, so a sign told outright in another sentence stays.
    private var history = FindingSet([])
    /// Every concept the message says outright (not negated, not supposed).
    private(set) var saidConcepts: ConceptSet = 0
    /// Signs a resolution does not take back, for the patterns closed after it.
    private var passedStillCounts = FindingSet([])
    private var heldClause: [Finding] = []
    private var heldPrevious: [Finding] = []
    private var heldSentence: [Finding] = []

    /// After "can't": what follows goes on ("can't stop being sick", "couldn't help shaking").
    static let goesOn: Set<String> = ["stop", "stopping", "help"]
    static let havingVerbs: Set<String> = ["have", "has", "had", "get", "gets", "got", "notice", "noticed"]

    /// Words that turn a sentence to something else: an "if" before them asks about its own clause.
    static let turnWords: Set<String> = ["but", "however", "whereas", "anyway"]

    /// The "do" of "don't", "didn't", "does not": a negation of doing.
    static let doWords: Set<String> = ["do", "does", "did"]

    /// Words before a "not" that make it "cannot" rather than "no".
    static let modals: Set<String> = ["can", "could", "will", "would", "do", "does", "did", "has", "have", "had", "been"]

    /// Whether `words` hold a modal's "not" ("can not", "i have not"): someone cannot do something.
    static func saysInability(_ words: [String]) -> Bool {
        guard words.count >= 2 else { return false }
        for index in 1..<words.count where words[index] == "not" && modals.contains(words[index - 1]) {
            // "do not drink enough", "did not stretch": an act denied, not something the person cannot do.
            if doWords.contains(words[index - 1]), index + 1 < words.count, doingVerbs.contains(words[index + 1]) { continue }
            return true
        }
        return false
    }

    /// Words after which "my" or "her" goes on the same clause ("no swelling in my leg").
    static let prepositions: Set<String> = [
        "in", "on", "of", "at", "to", "from", "with", "around", "under", "over",
        "behind", "down", "up", "across", "into", "about", "near", "below", "above"
    ]

    /// `historyFindings`: the findings that matter only for warning signs, which a clause about
    /// the long past, and a sentence before a resolution ("it's healed up fine now"), do not keep.
    /// `passedStillCounts`: signs that count even when told as over ("it's been normal since").
    mutating func read(
        _ items: [Interpreter.Item], lexicon: Lexicon, historyFindings: FindingSet = FindingSet([]),
        passedStillCounts: FindingSet = FindingSet([])
    ) {
        history = historyFindings
        self.passedStillCounts = passedStillCounts
        ownTimes = lexicon.ownTimes
        var negating = false
        var scope = 0
        /// The negation has met a verb of doing ("don't drink", "never stretch"): it is that verb
        /// that is denied, with its object, not when it is done. "I don't drink during runs"
        /// denies no running; "I don't get them during runs" still does.
        var negatedDoing = false
        /// A "never ... before" clause: the first time, neither told nor denied.
        var firstTimeClause = false
        /// The last word of item `index`, if it is a word or a phrase.
        func lastWord(_ index: Int) -> String? {
            switch items[index] {
            case .word(let token): token.text
            case .phrase(let phrase): phrase.words.last
            default: nil
            }
        }
        /// Whether the clause from `index` says "like this", "like that", "this bad".
        func saysLikeThis(after index: Int) -> Bool {
            var j = index + 1
            var previous = ""
            while j < items.count {
                let word: String
                switch items[j] {
                case .mark: return false
                case .word(let token): word = token.text
                case .phrase(let phrase): word = phrase.words.last ?? ""
                case .quantity: word = ""
                }
                if (previous == "like" || previous == "as" || word == "bad") && (word == "this" || word == "that" || word == "bad") { return true }
                previous = word
                j += 1
            }
            return false
        }
        /// Whether the clause from `index` ends in "before" or "till now".
        func saysBeforeNow(after index: Int) -> Bool {
            var j = index + 1
            while j < items.count {
                switch items[j] {
                case .mark: return false
                case .word(let token): if Self.beforeNow.contains(token.text) { return true }
                case .phrase(let phrase): if phrase.words.contains(where: Self.beforeNow.contains) { return true }
                case .quantity: break
                }
                j += 1
            }
            return false
        }
        /// The negation has applied to something (a finding, or a word it used up).
        var negationUsed = false
        var previousWasNegation = false
        var sawMeaningful = false
        var inHypothetical = false
        /// The hypothetical began with an "if" (not a question about anyone, nor "what if").
        var hypotheticalFromIf = false
        /// The "if" is about anyone ("cries if anyone moves his leg"), not a question: it holds
        /// its own clause, and "and he's gone drowsy" after it is told.
        var genericIf = false
        let words = lexicon.words
        var clause = Clause()
        var sentence = Clause()
        let tracksConcepts = !lexicon.patterns.isEmpty
        /// The negation was a bare "no" (an answer): a new subject after it ends it ("no i can't move it").
        var negationIsAnswer = false
        /// The negation says someone cannot do something ("can't move my leg"): it negates findings,
        /// but not the patterns built on the concept `unable`.
        var negationIsInability = false
        /// Which negation holds (each one numbered as it starts), so that an exception denied by
        /// a negation of its own can be told from one under the pattern's negation.
        var negationNumber = 0

        func startsClause(_ index: Int) -> Bool {
            guard index < items.count else { return false }
            switch items[index] {
            case .phrase(let phrase):
                return phrase.startsClause
            case .word(let token):
                return words.startsClause(token.id)
            case .quantity(let findings, _):
                // "no swelling, I'm 27": an age told ("I'm 27", read with its "I am") starts a
                // clause of its own, out of the negation before it.
                return findings.contains { $0.kind == .ageGroup }
            default:
                return false
            }
        }
        func isWord(_ index: Int, _ text: String) -> Bool {
            guard index < items.count, case .word(let token) = items[index] else { return false }
            return token.text == text
        }
        /// A bare "no" just before: not "never" or "not", which go on ("never when I sit").
        func previousItemNegation(_ index: Int) -> Bool {
            guard index > 0, case .phrase(let phrase) = items[index - 1] else { return false }
            return phrase.meanings.contains(.cue(.negation)) && !phrase.words.contains("never") && !phrase.words.contains("not")
        }
        func followsPreposition(_ index: Int) -> Bool {
            guard index > 0, case .word(let token) = items[index - 1] else { return false }
            return Self.prepositions.contains(token.text)
        }
        /// A new subject ends a negation that has been used, or a bare "no" just before it:
        /// "no tingling my shin is hot", "no i can't move it". Not after a preposition ("no
        /// swelling in my leg").
        /// Not after "or" either: "never said anything about tingling or his legs going weak"
        /// denies both (an "or" in a denial lists what is denied; an "and" may start a new clause).
        func newSubjectEndsNegation(_ index: Int, startsClause: Bool) -> Bool {
            negating && startsClause && (negationUsed || (negationIsAnswer && previousItemNegation(index)))
                && !followsPreposition(index) && !(index > 0 && (lastWord(index - 1) == "or" || lastWord(index - 1) == "nor"))
        }
        func addConcepts(_ bits: ConceptSet, at index: Int) {
            guard tracksConcepts else { return }
            if !negating && !inHypothetical { saidConcepts |= bits }
            let negation = negating ? negationNumber : 0
            clause.add(bits, at: index, negated: negating, inability: negationIsInability, negation: negation)
            sentence.add(bits, at: index, negated: negating, inability: negationIsInability, negation: negation)
        }
        /// "don't", "didn't", "does not": the negation is of doing, with "do".
        func saysDoNot(_ phrase: Phrase, at index: Int) -> Bool {
            if let first = phrase.words.first, Self.doWords.contains(first) { return true }
            return phrase.words.first == "not" && index > 0 && (lastWord(index - 1).map(Self.doWords.contains) ?? false)
        }
        /// "can't", "won't", "hasn't been able to": a "not" after a modal, or before "able".
        func notOfInability(_ index: Int) -> Bool {
            if index > 0 {
                switch items[index - 1] {
                case .word(let token): if Self.modals.contains(token.text) { return true }
                case .phrase(let phrase): if let last = phrase.words.last, Self.modals.contains(last) { return true }
                default: break
                }
            }
            return followedByAble(index)
        }
        func followedByAble(_ index: Int) -> Bool {
            guard let next = firstWord(index + 1) else { return false }
            return next == "able" || next == "been"
        }
        /// The first word of item `index`, a word or a phrase.
        func firstWord(_ index: Int) -> String? {
            guard index < items.count else { return nil }
            switch items[index] {
            case .word(let token): return token.text
            case .phrase(let phrase): return phrase.words.first
            default: return nil
            }
        }
        /// Where the sentence of the last "if" ends, and whether with "?": one scan for all the
        /// "if"s of a sentence, so that a thousand of them cost no more than one.
        var questionSentence: (end: Int, isQuestion: Bool) = (-1, false)
        func startsHypotheticalQuestion(_ index: Int) -> Bool {
            if index > questionSentence.end {
                // A question mark, or "would" or "ever" later in the sentence ("if my calf ever
                // swelled up on one side would that be a worry").
                var end = items.count
                var isQuestion = false
                for position in index..<items.count {
                    if case .mark(let mark) = items[position], mark != "," && mark != ":" {
                        end = position
                        isQuestion = isQuestion || mark == "?"
                        break
                    }
                    guard let word = firstWord(position) else { continue }
                    if word == "would" || word == "ever" { isQuestion = true }
                    // "... if it's the tablets, but I'd hit my head": the "if" ends at a turn.
                    if position > index, Self.turnWords.contains(word) {
                        end = position
                        break
                    }
                }
                questionSentence = (end, isQuestion)
            }
            return questionSentence.isQuestion
        }

        var sentenceStart = true
        // A person anywhere in the message makes every question in it about someone ("is it normal
        // to feel confused? my brother ...").
        // Unless it says it only asks: "is dark pee dangerous? just asking, mine is fine".
        let onlyAsks = items.contains { item in
            if case .phrase(let phrase) = item { phrase.meanings.contains(.cue(.curious)) } else { false }
        }
        let namesPerson =
            !onlyAsks
            && items.contains { item in
                switch item {
                case .word(let token): words.isPersonWord(token.id)
                case .phrase(let phrase): phrase.namesPerson
                default: false
                }
            }
        // The item before ended a time in the long past ("she passed five years ago"): a new
        // subject after it starts a clause of its own even without a comma ("... years ago he's
        // just not with it"), so the past dates only what it was said with.
        var afterPast = false
        // Where the sentence's hypothetical began: what a harmless cause explains before it
        // stays explained ("my wee is darker first thing, just wondered if magnesium helps").
        var hypotheticalSince = Int.max
        for (index, item) in items.enumerated() {
            if inHypothetical && hypotheticalSince == .max { hypotheticalSince = index }
            if afterPast {
                afterPast = false
                if startsClause(index) { closeClause(&clause, lexicon: lexicon, hypothetical: inHypothetical) }
            }
            // Only when the clause told something before it: "a few years ago I was dizzy" dates
            // what follows.
            switch item {
            case .word(let token) where token.text == "ago": afterPast = clause.tellsMore
            case .quantity(_, let yearsAgo) where yearsAgo: afterPast = clause.tellsMore
            case .phrase(let phrase) where phrase.meanings.contains(.cue(.past)): afterPast = clause.tellsMore
            default: break
            }
            // A general question, about nobody in particular: "would tingly lips mean low
            // calcium", "is blacking out ever caused by cramps?". Its warning signs are asked about.
            if sentenceStart {
                sentenceStart = false
                if !inHypothetical && !namesPerson && Self.isImpersonalQuestion(items, from: index, words: words) { inHypothetical = true }
            }
            if case .mark(let mark) = item, mark != "," && mark != ":" { sentenceStart = true }
            // "If ...?": a question about what would happen ("if my urine went dark, would that be
            // bad?"). "if" is a word of its own or, as the lexicon has it now, a clause phrase.
            // "my gym buddy said if your pee goes brown you should go to hospital": an "if" about
            // "you", anyone, is a rule told, not something that happened.
            if !inHypothetical, Self.isIf(item), startsHypotheticalQuestion(index) || Self.genericYou.contains(firstWord(index + 1) ?? "") {
                inHypothetical = true
                hypotheticalFromIf = true
                genericIf = !startsHypotheticalQuestion(index)
            }
            switch item {
            case .mark(let mark):
                firstTimeClause = false
                if mark != "," || previousWasNegation || startsClause(index + 1) { negating = false }
                previousWasNegation = false
                closeClause(&clause, lexicon: lexicon, hypothetical: inHypothetical)
                if mark != "," && mark != ":" {
                    closeClause(&sentence, lexicon: lexicon, hypothetical: inHypothetical, sentence: true, hypotheticalSince: hypotheticalSince)
                    inHypothetical = false
                    hypotheticalSince = .max
                    hypotheticalFromIf = false
                    genericIf = false
                }

            case .word(let token):
                let word = token.text
                previousWasNegation = false
                if negating {
                    if Self.doingVerbs.contains(word) { negatedDoing = true } else if negatedDoing && Self.adjunctStarts.contains(word) { negating = false }
                }
                addConcepts(words.concepts(token.id), at: index)
                // "once years ago": "ago" left after an amount of time the quantity reader took otherwise.
                if word == "ago", index > 0, case .quantity = items[index - 1] {
                    clause.past = true
                    clause.longAgo = true
                }
                if words.isFunctionWord(token.id) {
                    // "no tingling or his legs going weak": in a denial, "or" lists what is denied.
                    // "... cramped and now I can't move it": "now" before a new subject is no part of it.
                    if (word == "and" || (word == "or" && !negating))
                        && (startsClause(index + 1) || isWord(index + 1, "now") && startsClause(index + 2))
                    {
                        negating = false
                        closeClause(&clause, lexicon: lexicon, hypothetical: inHypothetical)
                        if genericIf && word == "and" && !Self.isIf(items[index + 1]) {
                            inHypothetical = false
                            hypotheticalFromIf = false
                            genericIf = false
                        }
                    } else if newSubjectEndsNegation(index, startsClause: words.startsClause(token.id)) {
                        negating = false
                    }
                    continue
                }
                unknownWords += 1
                sawMeaningful = true
                if word != "ago" { clause.tellsMore = true }
                if negating {
                    negationUsed = true
                    scope -= 1
                    if scope <= 0 { negating = false }
                }

            case .quantity(let found, let yearsAgo):
                // "20 years ago": the clause is the long past.
                if yearsAgo {
                    clause.past = true
                    clause.longAgo = true
                }
                knownWords += 1
                sawMeaningful = true
                for finding in found { record(finding, negated: negating, hypothetical: inHypothetical) }
                if found.contains(Self.seconds) || found.contains(Self.minutes) { addConcepts(lexicon.briefConcept, at: index) }
                if found.contains(where: { $0.kind == .frequency }) { addConcepts(lexicon.repeatConcept, at: index) }
                if negating && !found.isEmpty { negationUsed = true }
                previousWasNegation = false

            case .phrase(let phrase):
                knownWords += phrase.words.count
                if !(phrase.meanings.count == 1 && phrase.meanings[0] == .cue(.past)) { clause.tellsMore = true }
                if phrase.endsScope {
                    negating = false
                    closeClause(&clause, lexicon: lexicon, hypothetical: inHypothetical)
                    // "I was going to ask if it could be the tablets, but then I blacked out": the
                    // "if" asked about its own clause; what comes after "but" is told.
                    if hypotheticalFromIf, let first = phrase.words.first, Self.turnWords.contains(first) {
                        inHypothetical = false
                        hypotheticalFromIf = false
                    }
                } else if newSubjectEndsNegation(index, startsClause: phrase.startsClause) {
                    negating = false
                } else if negating && negatedDoing, Self.adjunctStarts.contains(phrase.words[0]) {
                    negating = false
                }
                addConcepts(phrase.concepts, at: index)
                let isFiller = phrase.meanings.allSatisfy {
                    $0 == .cue(.filler) || $0 == .cue(.thanks) || $0 == .cue(.closing) || $0 == .intent(.greet) || $0 == .cue(.ignore)
                }
                var isNegation = false
                for meaning in phrase.meanings {
                    switch meaning {
                    case .finding(let finding):
                        // A phrase with its own "not" ("can not get my words out") is a statement
                        // of its own: a negation already used before it does not turn it round
                        // ("she doesn't drink, can't get her words out").
                        let ownNegation = negating && negationUsed && phrase.holdsNegation
                        if firstTimeClause { continue }
                        // "once I'm in bed", "once the cramp goes", "all at once": "once" as "when"
                        // or "together", no count of the cramps.
                        if finding.kind == .frequency, phrase.words.count == 1, phrase.words[0] == "once", Self.onceAsWhen(items, at: index) { continue }
                        record(finding, negated: negating && !ownNegation, hypothetical: inHypothetical)
                        if negating { negationUsed = true }
                    case .denial(let finding):
                        // "I don't drink": a denial in its own words, whatever comes before it.
                        if firstTimeClause { continue }
                        record(finding, negated: true, hypothetical: inHypothetical)
                        // Its "not" goes on as any negation does: "I don't drink or smoke".
                        if phrase.holdsNegation { isNegation = true }
                    case .intent(let intent):
                        // "I have" or "it is" is a yes when it ends its clause; "I have cramps a
                        // lot" or "it is worse at night" says something else.
                        if intent == .affirm, ["i", "it"].contains(phrase.words[0]), !Self.endsClause(items, index + 1) { continue }
                        // "if I stop and stand it goes", "when I finish": a verb in a sentence, not the
                        // command "stop".
                        // "could you help", "can u help": asked of Charley, the command.
                        if intent == .help, phrase.words == ["help"], index > 0, let first = firstWord(0), Self.asksWhether.contains(first),
                            let before = lastWord(index - 1), Self.addressed.contains(before)
                        {
                            intents.append(.help)
                            continue
                        }
                        if intent.isCommand, phrase.words.count == 1, index > 0, let before = lastWord(index - 1), Self.beforeAVerb.contains(before) {
                            continue
                        }
                        // "would a hot water bottle help", "does stretching help?": whether something
                        // helps, a question about relief, not the command.
                        if intent == .help, phrase.words == ["help"], index > 1, let first = firstWord(0), Self.asksWhether.contains(first),
                            !(firstWord(1).map(Self.addressed.contains) ?? false)
                        {
                            asksWhetherItHelps = true
                            continue
                        }
                        intents.append(intent)
                        if intent.isQuestion && phrase.words.count >= 2 { strongAskCues.append(intent) }
                        // "no, ..." or "yes" is an answer; "I am diabetic" is not a yes.
                        if !sawMeaningful && intent.isAnswer
                            && (Self.endsClause(items, index + 1) || phrase.isSingleContentWord)
                        {
                            leadingAnswer = true
                        }
                    case .topic(let topic):
                        if !topics.contains(topic) { topics.append(topic) }
                    case .cue(let cue):
                        cues.insert(cue)
                        switch cue {
                        case .negation: isNegation = true
                        case .scopeEnd: negating = false
                        case .hypothetical, .reported: inHypothetical = true
                        case .past:
                            clause.past = true
                            if phrase.words.contains("since") || phrase.words.contains("again") { clause.sinceThen = true }
                        case .resolved:
                            // "I grazed my knee, it's healed up fine now": what the sentence told so far is over.
                            heldSentence.removeAll { !passedStillCounts.contains($0) }
                            heldPrevious.removeAll { !passedStillCounts.contains($0) }
                            heldClause.removeAll { !passedStillCounts.contains($0) }
                            sentence.resolvedBefore = index
                        default: break
                        }
                    }
                }
                // "can't", "haven't been able to": someone cannot do something.
                // Not "don't have", "didn't get": a denial of having it ("I don't have chest pain or
                // trouble breathing" denies the trouble too).
                let inability =
                    isNegation
                    && (Self.saysInability(phrase.words)
                        || (phrase.words.first == "not" && notOfInability(index))
                        || (phrase.words.last == "not" && followedByAble(index)))
                    && !(firstWord(index + 1).map(Self.havingVerbs.contains) ?? false)
                    // Nor "don't drink", "didn't stretch": a habit or an act denied, not something
                    // the person cannot do.
                    && !(saysDoNot(phrase, at: index) && (firstWord(index + 1).map(Self.doingVerbs.contains) ?? false))
                if inability, let next = firstWord(index + 1), Self.goesOn.contains(next) {
                    // "can't stop throwing up", "couldn't help": what follows goes on; no negation at all.
                    isNegation = false
                }
                // "she's never had a fit before": this is the first, not a denial; the clause
                // says nothing either way of what it names.
                // "never had swelling like this before": there is, and it is new.
                if isNegation, phrase.words.contains("never"), saysBeforeNow(after: index) {
                    isNegation = false
                    firstTimeClause = !saysLikeThis(after: index)
                }
                if isNegation {
                    negating = true
                    negatedDoing = false
                    negationNumber += 1
                    negationUsed = false
                    negationIsAnswer = phrase.meanings.contains(.intent(.deny))
                    negationIsInability = inability
                    if negationIsInability {
                        clause.add(lexicon.unableConcept, at: index, negated: false, inability: false)
                        sentence.add(lexicon.unableConcept, at: index, negated: false, inability: false)
                    }
                    scope = 4
                } else if negating && phrase.meanings.count == 1 && phrase.meanings[0] == .cue(.ignore) {
                    negating = false  // "I didn't warm up before my run": the negation is used up
                }
                previousWasNegation = isNegation
                if !isFiller { sawMeaningful = true }
            }
        }
        closeClause(&clause, lexicon: lexicon, hypothetical: inHypothetical)
        closeClause(
            &sentence, lexicon: lexicon, hypothetical: inHypothetical, sentence: true,
            hypotheticalSince: inHypothetical ? hypotheticalSince : .max)
    }

    /// Verbs of doing that a negation denies themselves (`negatedDoing`), and the words that
    /// start when or where they are done.
    static let asksWhether: Set<String> = ["would", "will", "does", "do", "can", "could", "might", "should", "is", "did"]
    /// Words that address Charley: "could you help", "can u help".
    static let addressed: Set<String> = ["you", "u", "ya", "yu", "someone", "somebody", "anyone", "anybody", "i", "we"]

    static let beforeAVerb: Set<String> = [
        "i", "you", "he", "she", "we", "they", "it", "to", "if", "when", "not", "will", "would", "should", "could", "can", "then",
        "and", "once", "until", "till", "never", "dont", "cant", "must", "might", "cramps", "cramp", "they", "that"
    ]
    static let beforeNow: Set<String> = ["before", "till", "until", "previously"]
    static let doingVerbs: Set<String> = [
        "drink", "drank", "drinking", "eat", "ate", "eating", "stretch", "stretched", "stretching", "bring", "brought",
        "carry", "carried", "warm", "rest", "rested", "stop", "stopped", "sip", "refuel", "hydrate"
    ]
    static let adjunctStarts: Set<String> = ["during", "while", "when", "whenever", "after", "before", "on", "at", "in", "mid"]

    /// Words that put a person in a sentence: it is about someone, not a general question (the
    /// lexicon's `subjects` words count too: `Lexicon` marks them in its word table).
    static let personWords: Set<String> = [
        "son", "daughter", "child", "kid", "boy", "girl", "mother", "mum", "mom", "father", "dad", "husband", "wife",
        "partner", "grandmother", "grandfather", "nan", "gran", "grandma", "grandpa", "brother", "sister", "friend",
        "lad", "toddler", "niece", "nephew", "infant", "newborn",
        "i", "my", "me", "mine", "myself", "we", "our", "us", "she", "her", "hers", "herself", "he", "his", "him", "himself",
        "they", "their", "them", "grandad", "granddad", "baby", "boyfriend", "girlfriend", "mate", "grandson", "granddaughter",
        "woman", "man", "lady", "gentleman", "female", "male", "patient"
    ]
    /// Words a question may start with before its question word.
    static let leadingConjunctions: Set<String> = ["and", "also", "but", "or", "plus"]
    /// Question words that ask even without a question mark ("would tingly lips mean ...").
    /// The "you" of anyone, after "if" (not "one": "if one of my legs swells" tells of the writer).
    static let genericYou: Set<String> = ["you", "your", "u", "ur", "youre", "someone", "somebody", "anyone"]

    private static let askingWords: Set<String> = ["would", "what", "how", "why", "hypothetically"]

    /// Whether the sentence from `index` is a question (a question word first, not "can't" or
    /// "won't", which tell; and a question mark or a word that asks). Asked only of a message
    /// that names no person.
    static func isImpersonalQuestion(_ items: [Interpreter.Item], from index: Int, words: WordTable) -> Bool {
        var first: String?
        var firstIsQuestion = false
        var position = index
        while position < items.count {
            if first != nil && position == index + 1 {
                // "can't speak properly", "won't stop": a description with its subject left out.
                switch items[position] {
                case .word(let token) where token.text == "not": return false
                case .phrase(let phrase) where phrase.words.first == "not": return false
                default: break
                }
            }
            switch items[position] {
            case .mark(let mark):
                if mark != "," && mark != ":" {
                    return firstIsQuestion && (mark == "?" || first.map(askingWords.contains) == true)
                }
            case .word(let token) where first == nil && Self.leadingConjunctions.contains(token.text):
                break  // "and is dark pee a problem?": the question starts after it
            case .word(let token):
                if first == nil && !words.isFillerWord(token.id) {
                    first = token.text
                    firstIsQuestion = words.isQuestionWord(token.id) || token.text == "hypothetically"
                }
            case .phrase(let phrase):
                let isFiller = phrase.meanings.allSatisfy { $0 == .cue(.filler) || $0 == .cue(.thanks) || $0 == .cue(.closing) || $0 == .intent(.greet) }
                // "Can you get a cramp in your chest?": the generic "you", asked (a filler elsewhere).
                if first == nil && isFiller && phrase.words.count == 2 && phrase.words[1] == "you" && words.isQuestionWord(phrase.ids[0]) {
                    first = phrase.words[0]
                    firstIsQuestion = true
                } else if first == nil && !isFiller {
                    first = phrase.words[0]
                    firstIsQuestion =
                        words.isQuestionWord(phrase.ids[0]) || phrase.meanings.contains(.cue(.question))
                        || phrase.meanings.contains(where: { if case .intent(let intent) = $0 { intent.isQuestion } else { false } })
                }
            case .quantity:
                break
            }
            position += 1
        }
        return firstIsQuestion && first.map(askingWords.contains) == true
    }

    private static func isIf(_ item: Interpreter.Item) -> Bool {
        switch item {
        case .word(let token): token.text == "if"
        case .phrase(let phrase): phrase.words.count == 1 && phrase.words[0] == "if"
        default: false
        }
    }

    /// The concepts seen in the clause being read, and where.
    struct Clause {
        var bits: ConceptSet = 0
        /// Concepts seen only while a negation held ("her face is not drooping").
        var negatedBits: ConceptSet = 0
        var plainBits: ConceptSet = 0
        /// `negation`: the number of the negation it was seen under, 0 for none.
        var seen: [(bits: ConceptSet, at: Int, negation: Int)] = []
        /// The clause speaks of the past ("years ago", "as a teenager"): its warning signs are history.
        var past = false
        /// It is past because it says how long ago ("20 years ago"), not by a phrase ("used to").
        var longAgo = false
        /// It says the thing has not happened since ("never since", "not happened again").
        var sinceThen = false
        /// It says something besides an amount of time and "ago".
        var tellsMore = false
        /// Where a resolution was said ("healed up fine now"): a pattern of the sentence all
        /// before it is over too.
        var resolvedBefore = -1

        /// Concepts seen while a negation of inability held ("can't lift my arm"): plain for the
        /// patterns built on `unable`.
        var inabilityBits: ConceptSet = 0

        /// Empty again, keeping the storage it has.
        mutating func reset() {
            // Emptied while `seen` holds the only reference, then moved out and back: copying it
            // first would make `removeAll` allocate a new buffer on every clause.
            seen.removeAll(keepingCapacity: true)
            let storage = seen
            self = Clause()
            seen = storage
        }

        mutating func add(_ concepts: ConceptSet, at index: Int, negated: Bool, inability: Bool = false, negation: Int = 0) {
            guard concepts != 0 else { return }
            bits |= concepts
            if negated { negatedBits |= concepts } else { plainBits |= concepts }
            if negated && inability { inabilityBits |= concepts }
            seen.append((concepts, index, negated ? max(negation, 1) : 0))
        }

        /// Whether the last place of every concept of `required` comes before `index`.
        func allBefore(_ index: Int, _ required: ConceptSet) -> Bool {
            guard index >= 0 else { return false }
            var remaining = required
            for entry in seen.reversed() where entry.bits & remaining != 0 {
                if entry.at > index { return false }
                remaining &= ~entry.bits
                if remaining == 0 { break }
            }
            return true
        }

        /// Whether every concept of `required` was seen within `window` items: the last place
        /// of each, which is as close as the clause allows when a concept comes more than once.
        func near(_ required: ConceptSet, window: Int) -> Bool {
            span(required).map { $0.high - $0.low <= window } ?? false
        }

        /// The shortest run of items that holds every concept of `required`, if all were seen:
        /// a concept named twice ("a wee ... I need to go") is taken where it stands nearest the
        /// others, not only at its last place. Of runs of equal length, the last.
        func span(_ required: ConceptSet) -> (low: Int, high: Int)? {
            var best: (low: Int, high: Int)?
            for end in seen.indices.reversed() where seen[end].bits & required != 0 {
                var remaining = required & ~seen[end].bits
                var low = seen[end].at
                var start = end
                while remaining != 0 && start > 0 {
                    start -= 1
                    guard seen[start].bits & remaining != 0 else { continue }
                    remaining &= ~seen[start].bits
                    low = seen[start].at
                }
                guard remaining == 0 else { continue }
                if best == nil || seen[end].at - low < best!.high - best!.low { best = (low, seen[end].at) }
            }
            return best
        }

        /// Whether a concept of `excluded` stands within `margin` items of the span of
        /// `required`, and is not denied by a negation of its own: an exception speaks of the
        /// pattern it stands beside. In a long message with no full stops, "I thought ok
        /// whatever" at the start does not make "my belly knotted" at the end normal; "it's not
        /// a cramp, it just won't move" is no cramp.
        func excludes(_ excluded: ConceptSet, near required: ConceptSet, margin: Int) -> Bool {
            guard bits & excluded != 0, let (low, high) = span(required) else { return false }
            // The negations the pattern's own concepts stand under: an exception under one of
            // them is not denied ("didn't respond to clonazepam" is about the medicine).
            var own: [Int] = []
            var remaining = required
            for entry in seen.reversed() where entry.bits & remaining != 0 {
                remaining &= ~entry.bits
                if entry.negation != 0 { own.append(entry.negation) }
                if remaining == 0 { break }
            }
            return seen.contains { entry in
                entry.bits & excluded != 0 && entry.at >= low - margin && entry.at <= high + margin
                    && (entry.negation == 0 || own.contains(entry.negation))
            }
        }
    }

    /// At the end of a clause (or, for patterns that may cross clauses, of a sentence): the
    /// findings of the patterns it holds. A clause of the past keeps none of its warning signs.
    private mutating func closeClause(
        _ clause: inout Clause, lexicon: Lexicon, hypothetical: Bool, sentence: Bool = false,
        hypotheticalSince: Int = .max
    ) {
        if !sentence { settleTimes(of: clause) }
        defer {
            clause.reset()
            if sentence {
                sentenceRecorded.removeAll(keepingCapacity: true)
                // The sentence is over: what it held is told.
                // Each list in turn, without an array of the three made per sentence.
                tell(heldSentence)
                tell(heldPrevious)
                tell(heldClause)
                heldSentence.removeAll(keepingCapacity: true)
                heldPrevious.removeAll(keepingCapacity: true)
                heldClause.removeAll(keepingCapacity: true)
            } else {
                clauseRecorded.removeAll(keepingCapacity: true)
                heldSentence.append(contentsOf: heldPrevious)
                swap(&heldPrevious, &heldClause)
                heldClause.removeAll(keepingCapacity: true)
            }
        }
        if clause.past {
            heldClause.removeAll(keepingCapacity: true)
            // ", 20 years ago": a clause that says only when dates the clause before it.
            // So does one that only says it has not happened since ("..., never since").
            if (clause.longAgo || clause.sinceThen) && !clause.tellsMore { heldPrevious.removeAll(keepingCapacity: true) }
            return
        }
        guard clause.bits & lexicon.patternConcepts != 0 else { return }
        // By index, the keys first: most patterns fail on their bits alone.
        let index = sentence ? lexicon.sentencePatternKeys : lexicon.clausePatternKeys
        var places: [UInt64] = []
        swap(&places, &candidates)
        defer { swap(&places, &candidates) }
        index.candidates(clause.bits, into: &places)
        for place in Pattern.Places(places) {
            let key = index.keys[place]
            guard clause.bits & key.required == key.required else { continue }
            let pattern = lexicon.patterns[key.index]
            guard
                clause.near(pattern.required, window: sentence ? Pattern.sentenceWindow : Pattern.window)
                    && !clause.excludes(pattern.excluded, near: pattern.required, margin: Pattern.window)
                    && (pattern.findings.contains(where: passedStillCounts.contains) || !clause.allBefore(clause.resolvedBefore, pattern.required))
            else { continue }
            // "can't move my leg": under a negation of inability, a pattern of `unable` holds.
            let negatedBits = pattern.required & lexicon.unableConcept != 0 ? clause.negatedBits & ~clause.inabilityBits : clause.negatedBits
            let negated = pattern.required & negatedBits & ~clause.plainBits != 0
            // A negated pattern does not take back what the clause says outright: in "I pooed myself
            // without feeling it" the negation is of the feeling, not of the accident.
            let told = sentence ? sentenceRecorded : clauseRecorded
            for finding in pattern.findings where !(negated && told.contains(finding)) {
                record(finding, negated: negated, hypothetical: hypothetical)
            }
        }
        // What a pattern says is not there wins over what another pattern of the clause says is,
        // whatever their order in the lexicon: "my hand cramps when I write" is a hand, and a
        // cramp, and a cramp of use.
        guard !hypothetical || hypotheticalSince < .max else { return }
        let denying = sentence ? lexicon.sentenceDenyingKeys : lexicon.clauseDenyingKeys
        denying.candidates(clause.bits, into: &places)
        for place in Pattern.Places(places) {
            let key = denying.keys[place]
            guard clause.bits & key.required == key.required else { continue }
            let pattern = lexicon.denyingPatterns[key.index]
            guard
                (!hypothetical || (clause.span(pattern.required)?.high ?? .max) < hypotheticalSince)
                    && clause.near(pattern.required, window: sentence ? Pattern.sentenceWindow : Pattern.window)
                    && !clause.excludes(pattern.excluded, near: pattern.required, margin: Pattern.window)
                    && !clause.allBefore(clause.resolvedBefore, pattern.required)
                    // A negation covers it as it covers any pattern: in "it never went off, and now I'm
                    // puffing like I'd run a marathon" nothing went, so nothing explains the puffing.
                    && pattern.required & clause.negatedBits & ~clause.plainBits == 0
                    // A harmless cause denied explains nothing: "like cola, I haven't eaten beetroot".
                    && !(pattern.cause != 0 && pattern.cause & clause.negatedBits & ~clause.plainBits == pattern.cause)
            else { continue }
            for finding in pattern.denies { record(finding, negated: true) }
            for finding in pattern.explains { takeBack(finding) }
        }
    }

    /// Held findings told after all: present, and no longer absent.
    private mutating func tell(_ held: [Finding]) {
        for finding in held {
            findings.absent.remove(finding)
            findings.present.insert(finding)
        }
    }

    /// Whether the "once" at `index` joins a clause ("once I'm in bed", "once in bed", "once the
    /// pain goes") or says "together" ("all at once"), rather than counting ("only happened once
    /// the other week").
    static func onceAsWhen(_ items: [Interpreter.Item], at index: Int) -> Bool {
        func word(_ position: Int) -> String? {
            guard position >= 0, position < items.count else { return nil }
            switch items[position] {
            case .word(let token): return token.text
            case .phrase(let phrase): return phrase.words.first
            default: return nil
            }
        }
        if index > 0, case .word(let token) = items[index - 1], token.text == "at" { return true }
        guard let next = word(index + 1) else { return false }
        if next == "the" { return !(word(index + 2).map(onceCountsAfterThe.contains) ?? false) }
        return onceJoins.contains(next)
    }

    private static let onceJoins: Set<String> = ["i", "she", "he", "they", "we", "you", "it", "its", "in", "my", "her", "his", "their", "everyone"]
    private static let onceCountsAfterThe: Set<String> = ["other", "first", "last", "week", "day", "month", "year", "night", "once"]

    private static func endsClause(_ items: [Interpreter.Item], _ index: Int) -> Bool {
        guard index < items.count else { return true }
        if case .mark = items[index] { return true }
        return false
    }

    /// At the end of a clause: its times and rates are something else's when the clause tells
    /// an owner of them (a condition, a medicine, another symptom, an activity) and does not
    /// name the cramps. They are kept apart (`ownedTimes`), in case the message links the cramps
    /// to that thing ("started a statin last month and since then ...").
    private mutating func settleTimes(of clause: Clause) {
        defer { clauseTimes.removeAll(keepingCapacity: true) }
        guard !clauseTimes.isEmpty, clause.bits & ownTimes.crampConcept == 0,
            clauseRecorded.contains(where: ownTimes.isOwner)
        else { return }
        for finding in clauseTimes {
            findings.present.remove(finding)
            ownedTimes.append(finding)
        }
    }

    /// A finding a harmless cause explains: neither told nor denied.
    private mutating func takeBack(_ finding: Finding) {
        findings.present.remove(finding)
        heldClause.removeAll { $0 == finding }
        heldPrevious.removeAll { $0 == finding }
        heldSentence.removeAll { $0 == finding }
    }

    /// The last mention wins: "not at night... actually yes at night". A finding inside a
    /// hypothetical is kept apart: the person asks about it, they do not have it.
    mutating func record(_ finding: Finding, negated: Bool, hypothetical isHypothetical: Bool = false) {
        if isHypothetical {
            if !negated { hypothetical.present.insert(finding) }
            return
        }
        if negated {
            findings.present.remove(finding)
            findings.absent.insert(finding)
            if history.contains(finding) {
                heldClause.removeAll { $0 == finding }
                heldPrevious.removeAll { $0 == finding }
                heldSentence.removeAll { $0 == finding }
            }
        } else {
            if ownTimes.isTime(finding) && !findings.present.contains(finding) { clauseTimes.append(finding) }
            if history.contains(finding) {
                heldClause.append(finding)
            } else {
                findings.absent.remove(finding)
                findings.present.insert(finding)
            }
            clauseRecorded.append(finding)
            sentenceRecorded.append(finding)
        }
    }

    /// Kinds that hold one value: when one utterance gives several, keep the one that matters
    /// most (the more severe duration, the more frequent, night over activity) and read left
    /// plus right as both.
    static let preference: [(FindingKind, [String])] = [
        (.timing, ["night", "rest", "exercise", "any"]),
        (.duration, ["long", "minutes", "seconds"]),
        (.frequency, ["frequent", "occasional", "once"]),
        (.since, ["years", "months", "weeks", "days", "today"]),
        (.side, ["both", "left", "right"]),
        (.ageGroup, ["older", "adult", "teen", "child"])
    ]

    private static let preferred: [(FindingKind, [Finding])] = preference.map { kind, order in (kind, order.map { Finding(kind, $0) }) }
    private static let left = Finding(.side, "left"), right = Finding(.side, "right"), both = Finding(.side, "both")

    mutating func settleSingleValues() {
        // One pass counts the values of each kind: most utterances have one value a kind, and
        // this runs on every one of them.
        if findings.present.contains(Self.left) && findings.present.contains(Self.right) {
            findings.present.insert(Self.both)
        }
        var seen: UInt16 = 0
        var repeated: UInt16 = 0
        for finding in findings.present {
            let bit: UInt16 = 1 << finding.kind.index
            if seen & bit != 0 { repeated |= bit } else { seen |= bit }
        }
        for (kind, order) in Self.preferred where repeated & (1 << kind.index) != 0 {
            guard let keep = order.first(where: findings.present.contains) else { continue }
            findings.present = findings.present.filter { $0.kind != kind || $0 == keep }
        }
    }
}

extension Reading {
    static let seconds = Finding(.duration, "seconds")
    static let minutes = Finding(.duration, "minutes")
}

/// The cues of one utterance, as bits.
struct Cues: Equatable, Sendable {
    private var bits: UInt32 = 0

    private static func bit(_ cue: Cue) -> UInt32 {
        switch cue {
        case .negation: 1 << 0
        case .scopeEnd: 1 << 1
        case .cramp: 1 << 2
        case .leg: 1 << 3
        case .nonLegCramp: 1 << 4
        case .question: 1 << 5
        case .clause: 1 << 6
        case .ignore: 1 << 7
        case .filler: 1 << 8
        case .concept: 1 << 9
        case .hypothetical: 1 << 10
        case .past: 1 << 11
        case .resolved: 1 << 12
        case .curious: 1 << 13
        case .thanks: 1 << 14
        case .closing: 1 << 15
        case .reported: 1 << 16
        case .startedWith: 1 << 17
        }
    }

    func contains(_ cue: Cue) -> Bool { bits & Self.bit(cue) != 0 }
    mutating func insert(_ cue: Cue) { bits |= Self.bit(cue) }
}
