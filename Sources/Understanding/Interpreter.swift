import Knowledge

/// Turns one utterance into what it says (`Understood`), from the lexicon and the knowledge
/// model. Pure and deterministic; safe to share between sessions and threads.
public struct Interpreter: Sendable {
    public let knowledge: KnowledgeModel
    public let lexicon: Lexicon

    /// Utterances longer than this many tokens are read up to this point only.
    public static let maximumTokens = 600

    /// The red-flag rules, and every finding they test for: an utterance that mentions none of
    /// these findings cannot raise a red flag, so most skip the rule check entirely.
    private let redFlagRules: RuleIndex
    private let redFlagFindings: FindingSet
    private let historyFindings: FindingSet
    /// Signs that a resolution does not take back (`TriageRule.evenIfPassed`).
    private let passedStillCounts: FindingSet

    public init(knowledge: KnowledgeModel, lexicon: Lexicon) {
        self.knowledge = knowledge
        self.lexicon = lexicon
        let rules = knowledge.triageRules.filter(\.isRedFlag)
        redFlagRules = RuleIndex(rules)
        redFlagFindings = FindingSet(rules.flatMap { $0.match.all.map(\.finding) + $0.match.any.map(\.finding) })
        // What matters only for warning signs: dropped when told as the long past or as resolved.
        // A finding that also counts for an ordinary rule ("see a doctor": swelling, numbness)
        // stays, so that an old swollen leg is still worth a doctor's look.
        let ordinary = knowledge.triageRules.filter { !$0.isRedFlag }.flatMap { $0.match.all.map(\.finding) + $0.match.any.map(\.finding) }
        // An event (a faint) is history when long past, whatever rule counts it.
        let transient = knowledge.vocabulary.flatMap { kind, terms in
            terms.filter { $0.transient == true }.map { Finding(kind, $0.id) }
        }
        // A condition lasts ("spinal stenosis diagnosed last year", "a slipped disc years ago"):
        // never history, except a pregnancy, which ends.
        historyFindings = FindingSet(
            redFlagFindings.filter {
                (!ordinary.contains($0) || knowledge.term($0)?.event == true) && ($0.kind != .condition || $0.value == "pregnancy")
            } + transient)
        let lasting = rules.filter { $0.evenIfPassed == true }
        passedStillCounts = FindingSet(lasting.flatMap { $0.match.all.map(\.finding) + $0.match.any.map(\.finding) })
    }

    private func redFlags(for findings: Findings) -> [String] {
        guard !findings.present.isDisjoint(with: redFlagFindings) else { return [] }
        return redFlagRules.matching(findings).map { redFlagRules.rules[$0].id }
    }

    /// The shipped knowledge model and lexicon.
    public static func bundled() throws(KnowledgeError) -> Interpreter {
        let knowledge = try KnowledgeLoader.loadBundled()
        return Interpreter(knowledge: knowledge, lexicon: try Lexicon.loadBundled(knowledge: knowledge))
    }

    public func interpret(_ text: String) -> Understood {
        var tokens = lexicon.tokenizer.tokens(text, words: lexicon.words, limit: Self.maximumTokens)
        if tokens.count > Self.maximumTokens { tokens.removeSubrange(Self.maximumTokens...) }
        // Before spelling correction: "hubby" is a husband, not a misspelt "hobby".
        let subject = lexicon.relations.isEmpty ? nil : Self.subject(of: tokens, lexicon: lexicon)
        let corrections = correctSpelling(&tokens)
        thenAsThan(&tokens)
        nAsAnd(&tokens)
        Self.tagQuestionRight(&tokens)
        Self.turnEchoedDenials(&tokens)
        let items = scan(tokens)
        var reading = Reading()
        reading.read(items, lexicon: lexicon, historyFindings: historyFindings, passedStillCounts: passedStillCounts)
        var understood = decide(&reading, tokens: tokens, corrections: corrections)
        if understood.intent != .unrecognized { understood.subject = subject }
        return understood
    }

    /// "bigger then the other", "warmer then the good one": "then" after a comparative is a
    /// misspelt "than" (the comparison is what tells one leg from the other). Not "and then",
    /// "better then" at the start of a clause is rare enough to read so too.
    func thenAsThan(_ tokens: inout [Token]) {
        guard tokens.count > 1 else { return }
        var than: Int32?  // looked up only for a message that needs it: this runs on every one
        for index in 1..<tokens.count where tokens[index].text == "then" && Self.comparatives.contains(tokens[index - 1].text) {
            if than == nil { than = lexicon.words.id("than") }
            tokens[index].text = "than"
            tokens[index].id = than!
        }
    }

    /// "just a cramp right?", "its normal right?": a "right" that tags a question is no side (the
    /// word is kept, as one that asks, but matches no phrase). "The left or right?" and "on
    /// the right?" still name it.
    static func tagQuestionRight(_ tokens: inout [Token]) {
        guard tokens.count > 2 else { return }
        for index in 1..<(tokens.count - 1) where tokens[index].text == "right" && tokens[index + 1].kind == .mark("?") {
            let before = tokens[index - 1]
            // ", right?" after a clause of its own is the tag too.
            let taggedClause = before.kind == .mark(",") && index >= 4
            guard taggedClause || !before.isMark && !sideLeads.contains(before.text) else { continue }
            tokens[index].id = WordTable.unknown
        }
    }

    static let sideLeads: Set<String> = [
        "the", "my", "his", "her", "their", "your", "on", "in", "or", "and", "to", "is", "its", "it", "both", "left", "just", "only", "at", "which"
    ]

    /// "pins n needles", "sweatin n dizzy", "me n my mum": a lone "n" between two words is "and",
    /// as texts write it. Alone ("n") it is still a no.
    func nAsAnd(_ tokens: inout [Token]) {
        guard tokens.count > 2 else { return }
        var and: Int32?
        for index in 1..<(tokens.count - 1) where tokens[index].text == "n" && !tokens[index - 1].isMark && !tokens[index + 1].isMark {
            if and == nil { and = lexicon.words.id("and") }
            tokens[index].text = "and"
            tokens[index].id = and!
        }
    }

    static let comparatives: Set<String> = [
        "bigger", "larger", "fatter", "thicker", "wider", "puffier", "warmer", "hotter", "colder", "cooler", "redder", "darker",
        "paler", "whiter", "bluer", "worse", "heavier", "harder", "tighter", "sorer", "weaker", "more", "less", "smaller", "thinner"
    ]

    /// "Dizzy? no.", "Swelling? None": a word or two echoed as a question, then denied. Read as
    /// "no dizzy." so that the denial covers what was echoed (alone, "dizzy?" would tell it).
    static func turnEchoedDenials(_ tokens: inout [Token]) {
        var start = 0
        var i = 0
        while i < tokens.count {
            if case .mark(let mark) = tokens[i].kind {
                let length = i - start
                if mark == "?", (1...3).contains(length), i + 1 < tokens.count, echoDenials.contains(tokens[i + 1].text),
                    tokens[start..<i].allSatisfy({ $0.number == nil && !$0.isMark })
                {
                    // "dizzy ? no" -> "no dizzy ." (the same tokens, moved).
                    let echoed = Array(tokens[start..<i])
                    let denial = tokens[i + 1]
                    var mark = tokens[i]
                    mark.kind = .mark(".")
                    tokens.replaceSubrange(start...(i + 1), with: [denial] + echoed + [mark])
                    i = start + length + 2
                    start = i
                    continue
                }
                start = i + 1
            }
            i += 1
        }
    }
    static let echoDenials: Set<String> = ["no", "nope", "nah", "none", "never", "nothing", "negative"]

    // MARK: - Who it is about

    /// Words that may stand between "my" and the person ("my 8 year old son", "my elderly mum").
    static let personModifiers: [String] = [
        "little", "elderly", "old", "year", "years", "yr", "yo", "teenage", "youngest",
        "eldest", "oldest", "older", "younger", "baby", "big", "lovely", "poor", "dear",
        "sweet", "late", "grown", "adult", "teen", "step", "month", "months", "week"
    ]
    /// Parts of oneself: "my calf", "my legs" say the person writes about their own cramps.
    static let ownParts: [String] = [
        "leg", "legs", "calf", "calves", "foot", "feet", "toe", "toes", "thigh", "thighs", "shin",
        "shins", "hamstring", "hamstrings", "knee", "knees", "ankle", "ankles", "muscle", "muscles",
        "cramp", "cramps", "back", "body", "quads", "glutes"
    ]
    static let ownVerbs: [String] = ["get", "have", "had", "keep", "wake", "woke", "cramp", "suffer", "got", "getting", "been"]
    static let crampWords: [String] = ["cramp", "cramps", "cramping", "cramped", "spasms", "spasm", "charley", "them", "these", "it"]
    static let possessors: [String] = ["my", "our", "the", "of"]
    static let firstPersonWords: [String] = ["i", "me", "myself", "my", "mine"]
    static let femaleWords: [String] = ["she", "her", "hers", "herself"]
    static let maleWords: [String] = ["he", "him", "his", "himself"]
    /// Every word the subject is read from, given a number in the word table.
    static var subjectWords: [String] {
        personModifiers + ownParts + ownVerbs + crampWords + possessors + firstPersonWords + femaleWords + maleWords
    }

    /// The word table's numbers for the words above, so that reading the subject compares
    /// numbers, not strings.
    struct SubjectWordIDs: Sendable {
        var modifiers = WordIDSet(), parts = WordIDSet(), verbs = WordIDSet(), cramp = WordIDSet()
        var possessors = WordIDSet(), female = WordIDSet(), male = WordIDSet()
        var i = WordTable.unknown, my = WordTable.unknown, mine = WordTable.unknown, me = WordTable.unknown, myself = WordTable.unknown

        init() {}

        init(_ table: WordTable) {
            func ids(_ words: [String]) -> WordIDSet { WordIDSet(words.map(table.id)) }
            modifiers = ids(Interpreter.personModifiers)
            parts = ids(Interpreter.ownParts)
            verbs = ids(Interpreter.ownVerbs)
            cramp = ids(Interpreter.crampWords)
            possessors = ids(Interpreter.possessors)
            female = ids(Interpreter.femaleWords)
            male = ids(Interpreter.maleWords)
            (i, my, mine, me, myself) = (table.id("i"), table.id("my"), table.id("mine"), table.id("me"), table.id("myself"))
        }
    }

    /// Who the utterance speaks of: another person when it names one ("my mum", "hubby", "my 8
    /// year old") or speaks of "she"/"he" without speaking of the writer's own legs; the writer
    /// when it speaks only of their own ("my calf", "I get them"); nil when it says neither.
    /// Verbs of saying or noticing after a person: "the wife says I ...".
    static let speechVerbs: Set<String> = [
        "says", "said", "thinks", "thought", "reckons", "noticed", "notices", "told", "tells", "keeps", "wants", "asked", "asks", "saw"
    ]

    /// After an age, what makes it a person: "6yo", or a unit and "old" ("8 year old"), not "my 3
    /// months of cramps".
    static let ageWords: Set<String> = ["yo", "yro", "yearold"]
    static let unitsOfAge: Set<String> = ["year", "years", "yr", "yrs", "month", "months"]

    static func subject(of tokens: [Token], lexicon: Lexicon) -> Subject? {
        let relations = lexicon.relations
        let relationIDs = lexicon.relationIDs
        let w = lexicon.subjectWords
        var other: Subject?
        var pronounSex: String?
        var own = false
        var firstPerson = false
        func id(_ i: Int) -> Int32 { i >= 0 && i < tokens.count ? tokens[i].id : WordTable.unknown }
        for index in tokens.indices {
            // "my 8 year old has ...", "our 6yo": a child of the writer's, named by age alone.
            if other == nil, tokens[index].number != nil, w.possessors.contains(id(index - 1)),
                Self.ageWords.contains(tokens.indices.contains(index + 1) ? tokens[index + 1].text : "")
                    || (Self.unitsOfAge.contains(tokens.indices.contains(index + 1) ? tokens[index + 1].text : "")
                        && tokens.indices.contains(index + 2) && tokens[index + 2].text == "old"),
                !(1...4).contains(where: { relationIDs.contains(id(index + $0)) })
            {
                other = .other(relation: "child", sex: nil)
            }
            let token = tokens[index].id
            guard token != WordTable.unknown else { continue }
            if relationIDs.contains(token), let relation = relations[token] {
                // Possessed ("my mum", "our lad", "my 8 year old son", "one of my clients"), or
                // the person cared for ("the resident"), or first in the message ("hubby has ...").
                var j = index - 1
                while j >= 0 && j > index - 5 && (w.modifiers.contains(id(j)) || tokens[j].number != nil) { j -= 1 }
                // "the wife says I walk like an old man", "my mum thinks I should...": the person
                // who says it, about the writer, is not who the message is about.
                let says =
                    index + 1 < tokens.count && Self.speechVerbs.contains(tokens[index + 1].text)
                    && (2...3).contains(where: { index + $0 < tokens.count && ["i", "me", "my", "im"].contains(tokens[index + $0].text) })
                // "mate, its been stinkin hot", "mate i get ...": a word of address, not a person.
                let addressing =
                    index == 0 && Self.vocatives.contains(tokens[index].text)
                    && (index + 1 >= tokens.count || tokens[index + 1].isMark || Self.afterVocative.contains(tokens[index + 1].text))
                if (w.possessors.contains(id(j)) || (index == 0 && !addressing)) && !says {
                    if other == nil { other = .other(relation: relation.relation, sex: relation.sex) }
                }
                continue
            }
            if token == w.i || token == w.me || token == w.myself {
                firstPerson = true
                // "I get cramps", "I keep getting them" (not "I have a son who ...").
                if token == w.i, w.verbs.contains(id(index + 1)), (2...4).contains(where: { w.cramp.contains(id(index + $0)) }) { own = true }
            } else if token == w.my || token == w.mine {
                firstPerson = true
                // "my calf", "my left leg" (not "my mum's legs": the relation comes first).
                if (1...3).contains(where: { w.parts.contains(id(index + $0)) }) && !(1...3).contains(where: { relationIDs.contains(id(index + $0)) }) {
                    own = true
                }
            } else if w.female.contains(token) {
                pronounSex = pronounSex ?? "female"
            } else if w.male.contains(token) {
                pronounSex = pronounSex ?? "male"
            }
        }
        if var other, !own {
            if other.sex == nil { other.sex = pronounSex }
            return other
        }
        if own { return .me }
        if let pronounSex, !firstPerson { return .other(sex: pronounSex) }
        return nil
    }

    // MARK: - Spelling

    private func correctSpelling(_ tokens: inout [Token]) -> [String: String] {
        var corrections: [String: String] = [:]
        var tried: [String: String?] = [:]
        for index in tokens.indices where tokens[index].kind == .word {
            let word = tokens[index].text
            // "her" is read as "my" in phrases ("her face is drooping"); its text stays.
            let standIn = lexicon.words.matchAs(tokens[index].id)
            if standIn != WordTable.unknown {
                tokens[index].id = standIn
                continue
            }
            // A word of another script (or of every Unicode plane) is no lexicon word, form or
            // misspelling: nothing to look up.
            if lexicon.words.skipsCorrection(tokens[index].id) || lexicon.spelling.isForeign(word) { continue }
            let isCommon = word.utf8.count >= SpellingIndex.minimumLength && lexicon.commonWords.contains(word)
            // Another form of a lexicon word: "sagging", "droops", "puffier" (before any
            // spelling correction, which would make "sagged" into some other word).
            if let form = lexicon.forms[WordForms.stem(word)], form != word {
                tokens[index].text = form
                tokens[index].id = lexicon.words.id(form)
                continue
            }
            if isCommon { continue }
            // A word corrected once in the message is not looked up again ("numbnes ... numbnes").
            let replacement: String?
            if let known = tried[word] {
                replacement = known
            } else {
                replacement = lexicon.spelling.correction(for: word)
                tried[word] = replacement
            }
            if let replacement {
                tokens[index].text = replacement
                tokens[index].id = lexicon.words.id(replacement)
                corrections[word] = replacement
            }
        }
        return corrections
    }

    // MARK: - Scanning

    /// One piece of the utterance: a lexicon phrase, an amount of time, a punctuation mark, or a
    /// word the lexicon does not know.
    enum Item {
        case phrase(Phrase)
        case quantity([Finding], yearsAgo: Bool)
        case mark(Character)
        case word(Token)
    }

    private func scan(_ tokens: [Token]) -> [Item] {
        var items: [Item] = []
        items.reserveCapacity(tokens.count)
        let quantities = QuantityReader(lexicon: lexicon, tokens: tokens)
        var i = 0
        while i < tokens.count {
            let token = tokens[i]
            if case .mark(let mark) = token.kind {
                items.append(.mark(mark))
                i += 1
                continue
            }
            if let reading = quantities.read(at: i) {
                items.append(.quantity(reading.findings, yearsAgo: reading.yearsAgo))
                i += reading.length
                continue
            }
            if let (phrase, length) = longestPhrase(at: i, in: tokens) {
                // "he did not know what day it was": "he did not" is a plain negation, but a longer
                // phrase of findings with its own "not" starts inside it ("did not know what day
                // it was"); the subject is read as a word and that phrase is taken. So with the
                // phrase further in: "it is not letting go" holds "not letting go".
                if length > 1, phrase.meanings.allSatisfy(Self.isPlainNegation),
                    let start = (i + 1..<min(i + length, tokens.count)).first(where: { j in
                        guard let (inner, innerLength) = longestPhrase(at: j, in: tokens) else { return false }
                        return j + innerLength > i + length && inner.meanings.contains(where: { if case .finding = $0 { true } else { false } })
                    })
                {
                    for k in i..<start { items.append(.word(tokens[k])) }
                    i = start
                    continue
                }
                if phrase.meanings.contains(Self.lasting), Self.persistenceBelongsElsewhere(at: i, length: length, tokens: tokens, items: items) {
                    items.append(.phrase(phrase.keeping { $0 != Self.lasting && !$0.isTopic }))
                } else if phrase.meanings == [Self.nowAndThen], phrase.words.count == 1, i > 0,
                    tokens[i - 1].isMark || ["and", "or", "but"].contains(tokens[i - 1].text),
                    Self.placeOrTimeFollows(i + length, tokens: tokens, phrase: { longestPhrase(at: $0, in: $1) })
                {
                    // "right calf mostly, sometimes left", "in the evening, and sometimes at night": after
                    // one place or time, how often it is the other, not how often the cramps come.
                    items.append(.phrase(phrase.keeping { _ in false }))
                } else {
                    items.append(.phrase(phrase))
                }
                // A symptom's phrase that starts at this one's last word and runs on is read too:
                // in "skin feels hot and dry", "skin feels hot" and "hot and dry". Only from a
                // content word, and only between phrases of symptoms alone, so that no negation,
                // side or place is read twice. The lexicon knows which phrases may run on
                // (`Phrase.mayRunOn`), so the others cost nothing more.
                let last = i + length - 1
                if phrase.mayRunOn, let (other, _) = longestPhrase(at: last, in: tokens), other.words.count > 1, other.isSymptomsOnly {
                    i = last
                } else {
                    i += length
                }
                continue
            }
            items.append(.word(token))
            i += 1
        }
        return items
    }

    /// The findings a harmless cause named in this message explains, whatever message told them
    /// ("ohh, new navy socks": the blue feet said before).
    private func explained(by reading: Reading) -> (explains: [String], unlessKnown: [String]) {
        var found: [String] = []
        var unlessKnown: [String] = []
        // Only the patterns with a cause, by place: the loop copied every denying pattern.
        for index in lexicon.causePatterns
        where reading.saidConcepts & lexicon.denyingPatterns[index].cause == lexicon.denyingPatterns[index].cause
            && reading.saidConcepts & lexicon.denyingPatterns[index].excluded == 0
        {
            let pattern = lexicon.denyingPatterns[index]
            for finding in pattern.explains where !found.contains(finding.description) { found.append(finding.description) }
            for finding in pattern.unlessKnown where !unlessKnown.contains(finding.description) { unlessKnown.append(finding.description) }
        }
        return (found.sorted(), unlessKnown.sorted())
    }

    static func isPlainNegation(_ meaning: Meaning) -> Bool { meaning == .intent(.deny) || meaning == .cue(.negation) }

    static let lasting = Meaning.finding(Finding(.duration, "long"))
    static let nowAndThen = Meaning.finding(Finding(.frequency, "occasional"))
    /// A place, side, time or trigger is said at `start`, or after a word or two like "the", "my".
    static func placeOrTimeFollows(_ start: Int, tokens: [Token], phrase: (Int, [Token]) -> (Phrase, Int)?) -> Bool {
        var j = start
        while j < tokens.count && j < start + 3 {
            if let (next, _) = phrase(j, tokens), next.meanings.contains(where: saysWhereOrWhen) { return true }
            guard leadIns.contains(tokens[j].text) else { return false }
            j += 1
        }
        return false
    }
    private static let leadIns: Set<String> = ["the", "my", "a", "an", "in", "on", "at", "its", "it", "is", "during", "when", "after", "while", "also", "too"]

    static func saysWhereOrWhen(_ meaning: Meaning) -> Bool {
        guard case .finding(let finding) = meaning else { return false }
        return [.side, .location, .timing, .trigger].contains(finding.kind)
    }

    /// A cramp that "won't stop" or "doesn't go away" is a long cramp; but in "I won't stop it
    /// myself" the person is the one who will not stop, and in "pins and needles that don't go
    /// away" or "the swelling hasn't gone down" what lasts is that symptom, not a cramp. The
    /// phrase of lasting then says nothing of the cramp's length, nor asks how to end it (the
    /// symptom is read as ever).
    static func persistenceBelongsElsewhere(at i: Int, length: Int, tokens: [Token], items: [Item]) -> Bool {
        // "half an hour later": when something came, not how long it lasted.
        if i + length < tokens.count, QuantityReader.pointInTime.contains(tokens[i + length].text) { return true }
        // "my jeans won't go over it", "he won't go to the doctor": going somewhere, not lasting.
        if i + length < tokens.count, tokens[i + length - 1].text == "go", goingSomewhere.contains(tokens[i + length].text) {
            return true
        }
        guard i > 0 else { return false }
        if personSubjects.contains(tokens[i - 1].text) { return true }
        // "writing nonstop", "walked non stop": how long the activity went on.
        if QuantityReader.isActivity(tokens[i - 1].text) { return true }
        // What stands before it, past "that", "which", "it", "just", "still": a symptom that
        // can last on its own.
        var back = items.count - 1
        func isLink(_ item: Item) -> Bool {
            switch item {
            case .word(let token): ownerLinks.contains(token.text)
            case .phrase(let phrase): phrase.words.count == 1 && ownerLinks.contains(phrase.words[0])
            default: false
            }
        }
        while back >= 0, isLink(items[back]) { back -= 1 }
        guard back >= 0, case .phrase(let previous) = items[back] else { return false }
        var symptoms = 0
        for meaning in previous.meanings {
            guard case .finding(let finding) = meaning else { continue }
            guard finding.kind == .symptom, lastingSymptoms.contains(finding.value) else { return false }
            symptoms += 1
        }
        return symptoms > 0
    }

    private static let goingSomewhere: Set<String> = [
        "over", "to", "on", "in", "into", "out", "near", "anywhere", "up", "down", "through", "round", "around", "for",
        "with", "back", "there", "home", "outside", "upstairs", "downstairs", "past", "by"
    ]
    private static let personSubjects: Set<String> = ["i", "we", "you", "he", "she", "they"]
    private static let ownerLinks: Set<String> = ["that", "which", "it", "just", "still", "really", "has", "have", "is", "are"]
    /// Symptoms that go on by themselves: what "won't go away" after them speaks of.
    private static let lastingSymptoms: Set<String> = [
        "numbness", "tingling", "burning", "swelling", "redness", "warmth", "soreness_after", "twitching",
        "restless_urge", "weakness", "dizziness", "back_pain", "visible_veins", "hard_veins", "lip_tingling"
    ]

    /// The longest phrase that starts at `i`, and how many tokens it takes: a word of the
    /// lexicon's `inserts` may stand inside a phrase without breaking it ("can't really feel"
    /// is "can't feel"), at most `maximumInserts` of them, so the work stays linear.
    private func longestPhrase(at i: Int, in tokens: [Token]) -> (Phrase, Int)? {
        guard let candidates = lexicon.words.phrases(tokens[i].id) else { return nil }
        // The numbers a phrase's second word can match: the next token's, or, past one or two
        // inserts, the one after them. A phrase whose second word is none of them is skipped
        // without reading it.
        assert(Self.maximumInserts == 2, "the second words below are read past two inserts at most")
        let keys = lexicon.words.phraseKeys(tokens[i].id)
        let words = lexicon.words.phraseIDs(tokens[i].id)
        var second0 = WordTable.unknown
        var second1 = WordTable.unknown
        var second2 = WordTable.unknown
        if i + 1 < tokens.count {
            second0 = tokens[i + 1].id
            if i + 2 < tokens.count, lexicon.words.isInsert(second0) {
                second1 = tokens[i + 2].id
                if i + 3 < tokens.count, lexicon.words.isInsert(second1) { second2 = tokens[i + 3].id }
            }
        }
        // By index, reading each phrase's numbers in place. By number: marks and unknown words
        // have none, so they never match.
        for candidate in candidates.indices {
            let second = keys[candidate].second
            if second != WordTable.unknown && second != second0 && second != second1 && second != second2 { continue }
            let count = Int(keys[candidate].count)
            guard i + count <= tokens.count else { continue }
            // A phrase of one word: its first word is the token's.
            if count == 1 { return (candidates[candidate], 1) }
            let start = Int(keys[candidate].start)
            var offset = 1
            var position = i + 1
            var inserted = 0
            while offset < count && position < tokens.count {
                let id = tokens[position].id
                if id == words[start + offset] {
                    offset += 1
                } else if inserted < Self.maximumInserts && lexicon.words.isInsert(id) {
                    inserted += 1
                } else {
                    break
                }
                position += 1
            }
            if offset == count { return (candidates[candidate], position - i) }
        }
        return nil
    }

    static let maximumInserts = 2

    // MARK: - Deciding

    /// `reading` is the message's, changed here as the decision goes (passed in place: a copy
    /// retains every list it holds).
    private func decide(_ reading: inout Reading, tokens: [Token], corrections: [String: String]) -> Understood {
        var topics = reading.topics

        // "Cramps" that are not in the legs: recognise them, invent no leg findings.
        let legContext = reading.cues.contains(.leg) || reading.findings.present.contains { $0.kind == .location }
        var otherCramps = false
        if reading.cues.contains(.nonLegCramp) {
            if legContext {
                topics.removeAll { $0 == "other_cramps" }
                reading.cues.insert(.cramp)
            } else {
                otherCramps = true
                // "Too" or "as well" says they come beside the leg cramps ("I get cramps in my
                // stomach too"): cramps beyond the legs, a warning sign, asked about as other cramps.
                // Alone, "stomach cramps" are outside Charley's scope, not cramps beyond the legs.
                if reading.saidConcepts & lexicon.alsoConcept == 0 {
                    reading.findings.present.remove(Self.crampElsewhere)
                    let characterising: Set<FindingKind> = [.timing, .duration, .frequency, .since, .location, .side]
                    reading.findings.present = reading.findings.present.filter { !characterising.contains($0.kind) }
                    reading.findings.absent = reading.findings.absent.filter { !characterising.contains($0.kind) }
                }
            }
        }
        // A medicine named with what says the cramps came with it ("since they put her on
        // frusemide", "is it the statin", "are they due to my statin?"): the medicine told as
        // their trigger. Named alone ("I take simvastatin"), it is a medicine, not a trigger.
        if reading.cues.contains(.startedWith) || reading.intents.contains(.askCauses),
            reading.findings.present.contains(where: { $0.kind == .medicine })
        {
            reading.findings.present.insert(Finding(.trigger, "medication"))
        }
        // A time taken from the cramps as another thing's comes back when the message ties the
        // cramps to that thing: "my dad started on a statin last month and since then ...".
        // So does a "since" that ends its clause: "twisted my ankle last week and the calf has been
        // cramping since".
        let sinceThat = tokens.indices.contains { tokens[$0].text == "since" && ($0 + 1 == tokens.count || tokens[$0 + 1].isMark) }
        if reading.cues.contains(.startedWith) || sinceThat, !reading.findings.present.contains(where: { $0.kind == .since }) {
            for finding in reading.ownedTimes where finding.kind == .since { reading.findings.present.insert(finding) }
        }
        reading.settleSingleValues()
        // Hands that cramp into a claw are told by their own, more specific finding (the
        // low-calcium sign): not cramps beyond the legs as well.
        if reading.findings.present.contains(Self.crampElsewhere), reading.findings.present.contains(Self.handSpasm) {
            reading.findings.present.remove(Self.crampElsewhere)
        }
        // A swelling told of one side ("my left calf is swollen") is one leg swollen.
        if reading.findings.present.contains(Self.swelling), !reading.findings.present.contains(Self.bothSwollen),
            !reading.findings.present.contains(Self.bothSides),
            reading.findings.present.contains(Self.leftSide) || reading.findings.present.contains(Self.rightSide)
        {
            reading.findings.present.insert(Self.oneLegSwollen)
        }

        let findings = reading.findings
        // A time told of something else ("I fainted once at school 30 years ago") is still a
        // fact told: the message describes, as it did when the time was the cramps'.
        let hasFindings = !findings.present.isEmpty || !findings.absent.isEmpty || !reading.ownedTimes.isEmpty
        var askCues = reading.intents.filter(\.isQuestion)
        if reading.asksWhetherItHelps, askCues.isEmpty, topics.isEmpty { askCues.append(.askTreatment) }
        // A description that ends "... Why?" asks what causes it (alone, "why?" asks why
        // Charley asked its question).
        let lastWords = tokens.lazy.filter { if case .mark = $0.kind { false } else { true } }
        if hasFindings, tokens.last?.kind == .mark("?"), lastWords.last?.text == "why", askCues.isEmpty {
            askCues.append(.askCauses)
        }
        // "... when I swim, why", "my mate said its lack of potassium, true": a clause of one word
        // after a comma asks, without a question mark.
        var asksAtTheEnd = false
        // "baclofen work for cramps or no", "is it my tablets or not": a yes-or-no question's tail.
        if lastWords.count >= 4, let last = lastWords.last?.text, ["no", "not", "nah"].contains(last),
            lastWords.dropLast().last?.text == "or"
        {
            asksAtTheEnd = true
        }
        if let last = lastWords.last?.text, Self.oneWordAsks.contains(last), lastWords.count >= 4, tokens.count >= 2,
            tokens[tokens.count - 2].kind == .mark(",") || (tokens.last?.kind == .mark("?") && tokens.count >= 3 && tokens[tokens.count - 3].kind == .mark(","))
        {
            asksAtTheEnd = true
            if last == "why", askCues.isEmpty { askCues.append(.askCauses) }
        }
        let speaksOfOneself = tokens.contains { Words.isFirstPerson($0.text) }
        let commands = reading.intents.filter { $0.isCommand || $0 == .greet }
        let answer = reading.leadingAnswer ? reading.intents.first(where: \.isAnswer) : nil
        let specificTopics = topics.filter { !Self.weakTopics.contains($0) }
        let redFlags = redFlags(for: findings)
        // A hypothetical asks what to do if it happens: the rules it names, beyond those that hold.
        var asked: [String] = []
        var supposed = findings
        // What someone else said or asked ("my flatmate asked if I was having a fit") is not
        // asked by the person, unless the message asks something too.
        let onlyReported = reading.cues.contains(.reported) && askCues.isEmpty && !tokens.contains { $0.kind == .mark("?") }
        if !reading.hypothetical.present.isEmpty, !onlyReported {
            for finding in reading.hypothetical.present { supposed.present.insert(finding) }
            asked = self.redFlags(for: supposed).filter { !redFlags.contains($0) }
            // "What if my ankle swells?" asks when to worry; "can statins cause cramps?" names
            // a statin only to ask about it, which is a question about statins.
            if !asked.isEmpty || askCues.isEmpty && reading.cues.contains(.hypothetical) { askCues.append(.askWhenDoctor) }
            reading.strongAskCues.append(.askWhenDoctor)
        }

        // A question: starts with a question word, or ends with "?" and either asks something
        // or tells nothing, or uses a question phrase ("what causes") and tells nothing.
        let endsWithQuestionMark = tokens.contains { $0.kind == .mark("?") }
        let startsAsQuestion = startsWithQuestionWord(
            tokens, endsWithQuestionMark: endsWithQuestionMark,
            strongCue: !reading.strongAskCues.isEmpty)
        let isQuestion: Bool
        if startsAsQuestion {
            isQuestion = true
        } else if asksInASentence(tokens) || endsAsking(tokens) || asksAtTheEnd || Self.wonders(tokens) {
            // A question after a description ("both calves. should i be taking electrolytes?"):
            // the message asks it, and its facts are kept.
            isQuestion = true
        } else if endsWithQuestionMark {
            isQuestion = !askCues.isEmpty || !hasFindings || Self.endsWithAskedClause(tokens)
        } else {
            // Or is worded like a search: "relief for cramps", "cramp remedies".
            isQuestion =
                !reading.strongAskCues.isEmpty
                || (!askCues.isEmpty && !hasFindings && !speaksOfOneself && !otherCramps)
        }
        // A question that names only a time, and nothing of cramps, legs or health ("who won the
        // match last night?", "what day is it today?"), is not about cramps.
        let onlyATime =
            startsAsQuestion && askCues.isEmpty && topics.isEmpty && findings.absent.isEmpty
            && findings.present.allSatisfy { Self.timeKinds.contains($0.kind) }
            && !reading.cues.contains(.cramp) && !reading.cues.contains(.leg)
            && reading.hypothetical.present.isEmpty
            // "why do they always come at night?", "why do I only get them at night": the cramps.
            && !speaksOfOneself && !tokens.contains { Self.crampPronouns.contains($0.text) }
            || offTopicAsk(reading, tokens: tokens, startsAsQuestion: startsAsQuestion, askCues: askCues, topics: topics)
        let relevant =
            !onlyATime
            && (!askCues.isEmpty || !topics.isEmpty || hasFindings || reading.cues.contains(.cramp)
                || !reading.hypothetical.present.isEmpty)

        var intent: Intent
        var topic: String?
        // "Why?" asks why Charley asked; "why is it always at night?" asks about the night.
        if !commands.isEmpty, !hasFindings, topics.isEmpty, askCues.isEmpty, !reading.cues.contains(.cramp),
            reading.hypothetical.present.isEmpty, reading.unknownWords <= 2
        {
            intent = Self.commandPriority.first(where: commands.contains)!
        } else if otherCramps && !(isQuestion && relevant) {
            intent = .describe
            topic = "other_cramps"
        } else if isQuestion && relevant {
            // A question about cramps outside the legs ("why are my period cramps so bad?") is
            // about those, whatever else it names.
            // What a hypothetical supposes names the topic too ("what if my ankle swells?").
            (intent, topic) =
                otherCramps
                ? (.askCondition, "other_cramps")
                : resolveQuestion(askCues: askCues, topics: topics, specific: specificTopics, findings: supposed)
        } else if hasFindings && !onlyATime {
            intent = .describe
            // A description that names something to warn about ("my coach said to try quinine")
            // keeps that topic, so the conversation can answer it as well.
            topic = specificTopics.first(where: Self.warningTopics.contains)
        } else if let first = reading.intents.first(where: \.isAnswer) {
            intent = first
        } else if !topics.isEmpty && !(specificTopics.isEmpty && reading.cues.contains(.cramp) && speaksOfOneself) {
            // A topic named without a question is asked about ("charley horse?"), unless it is
            // only cramps in general and the person speaks of their own ("I get charley horses").
            (intent, topic) = resolveQuestion(askCues: [], topics: topics, specific: specificTopics, findings: findings)
        } else if reading.cues.contains(.cramp) {
            intent = .describe
        } else {
            intent = .unrecognized
        }

        // A general question names a cause only to ask about it: "is it poor circulation?", "do
        // water pills cause cramp?", "could it be dehydration?" tell no condition, medicine or
        // trigger. Said of someone ("is it my statin?", "is it cos I don't drink enough"), it is told.
        var told = findings
        // "both", alone, answers which leg: both sides (inside a sentence, "my hand on both" may
        // be anything).
        if tokens.count <= 2, tokens.first?.text == "both" || tokens.first?.text == "baith", tokens.dropFirst().allSatisfy(\.isMark) {
            told.present.insert(Finding(.side, "both"))
            if intent == .unrecognized { intent = .describe }
        }
        let generalQuestion = intent.isQuestion && startsAsQuestion && !tokens.contains(where: { Self.personWords.contains($0.text) })
        // A warning sign that rests only on what a general question names ("does tetanus cause
        // cramp?", "can lead poisoning give you cramps?") is asked about, not told; one that rests
        // on a symptom ("is a swollen hot calf serious?") still holds.
        var raised = redFlags
        if generalQuestion {
            var named = told
            // "Is stomach cramp the same as leg cramp?" asks about cramps elsewhere, too.
            named.present = named.present.filter { !Self.hypothesisKinds.contains($0.kind) && $0 != Self.crampElsewhere }
            let remaining = self.redFlags(for: named)
            if remaining.isEmpty || redFlags.isEmpty {
                told = named
                raised = remaining
            }
        }
        let confidence = Self.confidence(
            intent: intent, reading: reading, topic: topic, askCues: askCues,
            corrections: corrections.count)
        var understood = Understood(
            intent: intent, topic: topic, findings: intent == .unrecognized ? Findings() : told,
            redFlags: raised, confidence: confidence,
            answer: intent.isAnswer ? nil : answer, corrections: corrections)
        understood.redFlagsAsked = asked
        understood.thanks = reading.cues.contains(.thanks)
        understood.closing = reading.cues.contains(.closing)
        (understood.explains, understood.explainsUnlessKnown) = explained(by: reading)
        return understood
    }

    static let crampElsewhere = Finding(.symptom, "cramp_elsewhere")
    static let handSpasm = Finding(.symptom, "hand_spasm")

    /// A question about the weather or about who did something ("what's the weather like today",
    /// "is it going to rain at the weekend", "who won the football"), with nothing of cramps, legs
    /// or health: not about cramps, though the weather or a sport would be a trigger in a
    /// description.
    private func offTopicAsk(_ reading: Reading, tokens: [Token], startsAsQuestion: Bool, askCues: [Intent], topics: [String]) -> Bool {
        guard startsAsQuestion, askCues.isEmpty, topics.isEmpty, reading.findings.absent.isEmpty,
            !reading.cues.contains(.cramp), !reading.cues.contains(.leg),
            (reading.findings.present.union(reading.hypothetical.present)).allSatisfy({ Self.timeKinds.contains($0.kind) || $0.kind == .trigger })
        else { return false }
        let first = tokens.first { !$0.isMark }?.text
        return first == "who" || tokens.contains { Self.weatherWords.contains($0.text) }
    }

    static let weatherWords: Set<String> = ["weather", "rain", "raining", "forecast", "snow", "snowing", "sunny"]

    static let timeKinds: Set<FindingKind> = [.timing, .since, .frequency, .duration]
    static let swelling = Finding(.symptom, "swelling"), bothSwollen = Finding(.symptom, "both_legs_swollen")
    static let oneLegSwollen = Finding(.symptom, "one_leg_swollen")
    static let leftSide = Finding(.side, "left"), rightSide = Finding(.side, "right"), bothSides = Finding(.side, "both")
    static let oneWordAsks: Set<String> = ["why", "true", "right", "normal", "serious", "ok", "okay"]

    /// "I was wondering whether ...", "just wondering if ...", "I wonder why ...": an asked
    /// question, said as a statement.
    static func wonders(_ tokens: [Token]) -> Bool {
        // Of the first six words, one after "wonder" or "wondering" (read in place, not copied).
        var count = 0
        var afterWonder = false
        for index in tokens.indices where !tokens[index].isMark {
            guard count < 6 else { break }
            count += 1
            let word = tokens[index].text
            if afterWonder, Self.wonderWhat.contains(word) { return true }
            afterWonder = word == "wondering" || word == "wonder"
        }
        return false
    }
    static let wonderWhat: Set<String> = ["whether", "if", "why", "what", "how", "about", "when", "wether"]
    static let vocatives: Set<String> = ["mate", "pal", "buddy", "bro", "sis", "dude", "man"]
    static let afterVocative: Set<String> = ["i", "im", "it", "its", "my", "me", "you", "this", "that", "so", "these", "what", "how", "why", "is", "can", "any"]
    static let hypothesisKinds: Set<FindingKind> = [.condition, .medicine, .trigger]
    static let personWords: Set<String> = Words.firstPerson.union(["she", "he", "her", "his", "him", "we", "our", "us", "me", "baby"])
    static let crampPronouns: Set<String> = ["they", "them", "these", "those", "it", "this", "one", "ones"]

    /// Topics that only say the subject is cramps in general: an explicit kind of question wins.
    static let weakTopics: Set<String> = ["what_is_a_cramp", "causes", "relief", "prevention", "hydration", "night_cramps"]

    static let commandPriority: [Intent] = [.goodbye, .restart, .back, .summary, .help, .askWhy, .greet]

    /// Topics a description is answered on even though it asks nothing.
    static let warningTopics: Set<String> = ["quinine"]

    /// Of several topics a question names, these are answered first, in this order: a ramble
    /// that mentions bananas and asks whether to see someone gets the answer about seeing someone.
    static let safetyTopics = ["dvt", "when_to_see_doctor"]

    private func resolveQuestion(askCues: [Intent], topics: [String], specific named: [String], findings: Findings)
        -> (Intent, String?)
    {
        let specific = Self.safetyTopics.filter(named.contains) + named.filter { !Self.safetyTopics.contains($0) }
        // A question that names a finding with its own topic: "can dehydration cause cramps?"
        let fromFindings = findings.present.sorted { Self.topicOrder($0) < Self.topicOrder($1) }
            .compactMap { lexicon.findingTopics[$0] }
        let cue = Self.askPriority.first(where: askCues.contains)
        // "Is it serious?" always gets the safety answer, about the specific thing if one is named.
        if cue == .askWhenDoctor {
            let named = specific.first ?? fromFindings.first { knowledge.topic($0)?.kind == .condition && $0 != "night_cramps" }
            return (.askWhenDoctor, named ?? "when_to_see_doctor")
        }
        if let id = specific.first, let found = knowledge.topic(id) {
            return (Intent(questionKind: found.kind), id)
        }
        if let id = fromFindings.first, let found = knowledge.topic(id), cue == nil || Intent(questionKind: found.kind) == cue || found.kind == .condition {
            return (Intent(questionKind: found.kind), id)
        }
        if let cue {
            // A general topic of the same kind as the question ("why do I get cramps at night?").
            let sameKind = topics.first { $0 != "what_is_a_cramp" && knowledge.topic($0).map { Intent(questionKind: $0.kind) } == cue }
            return (cue, sameKind ?? cue.generalTopic)
        }
        if let id = topics.first, let found = knowledge.topic(id) {
            return (Intent(questionKind: found.kind), id)
        }
        return (.askCauses, "causes")
    }

    /// Which finding names the topic of a question first: conditions and medicines are more
    /// specific than symptoms, triggers and timing.
    static func topicOrder(_ finding: Finding) -> (Int, String) {
        let rank =
            switch finding.kind {
            case .condition: 0
            case .medicine: 1
            case .symptom: 2
            case .trigger: 3
            default: 4
            }
        return (rank, finding.value)
    }

    /// The first word asks a question ("what", "how", "is", ...). "When" and "can not" usually
    /// start a description ("when I run my calf cramps", "can't sleep").
    private func startsWithQuestionWord(_ tokens: [Token], endsWithQuestionMark: Bool, strongCue: Bool) -> Bool {
        // The first two words after any filler and greeting, marks skipped (without building arrays).
        var first: String?
        var firstID = WordTable.unknown
        var second: String?
        var thirdWord: String?
        for token in tokens where !token.isMark {
            if first == nil {
                if lexicon.words.isFillerWord(token.id) || token.text == "hi" || token.text == "hello" { continue }
                first = token.text
                firstID = token.id
            } else if second == nil {
                second = token.text
            } else {
                thirdWord = token.text
                break
            }
        }

        guard let first, lexicon.words.isQuestionWord(firstID) else { return false }
        if second == "not" { return false }
        // "when i must go to the doctor", "when she should worry": a question in a statement's
        // word order, the modal after the person.
        if first == "when" || first == "where" {
            return endsWithQuestionMark || strongCue || second.map(Self.auxiliaries.contains) == true
                || second.map(Self.askedAbout.contains) == true && thirdWord.map(Self.modals.contains) == true
        }
        return true
    }

    static let auxiliaries: Set<String> = ["is", "are", "do", "does", "should", "can", "will", "would", "to"]
    static let modals: Set<String> = ["must", "should", "shud", "ought"]

    /// Words a sentence that asks may start with, misspelt ones included.
    static let questionStarts: Set<String> = [
        "what", "wht", "wat", "how", "hw", "why", "is", "are", "can", "could", "should",
        "shud", "shld", "would", "will", "do", "does", "did", "any", "anything", "which"
    ]

    /// Whether a clause after the first asks: it starts with a question word ("should i be
    /// taking electrolytes", "wht helps with these") and its sentence ends with a question mark,
    /// or the word after it is a person or "it" ("shud i stop my statin", "is it growing pains");
    /// or a sentence ends with two question marks ("salt tabs worth it or nah??").
    private func asksInASentence(_ tokens: [Token]) -> Bool {
        var start = true
        var first: String?
        var second: String?
        var marks = 0
        var clauses = 0
        for token in tokens {
            if case .mark(let mark) = token.kind {
                if mark == "?" {
                    marks += 1
                    if let first, clauses > 1, Self.questionStarts.contains(first) { return true }
                    if marks >= 2 { return true }
                    continue
                }
                if mark == "." || mark == "!" || mark == ";" || mark == "," {
                    start = true
                    marks = 0
                }
                if mark != "," {
                    first = nil
                    second = nil
                }
                continue
            }
            if marks > 0 {
                start = true
                first = nil
                second = nil
                marks = 0
            }
            if start {
                start = false
                clauses += 1
                first = token.text
                second = nil
            } else if second == nil {
                second = token.text
                if clauses > 1, let first, Self.questionStarts.contains(first),
                    Self.askedAbout.contains(token.text) || Self.whWords.contains(first)
                        || Self.invertingAuxiliaries.contains(first) && Self.determiners.contains(token.text)
                        || first == "does" && token.text != "not"
                {
                    return true
                }
            }
        }
        return false
    }

    /// Whether the message ends by asking, run on without a stop or a question mark ("the cramps
    /// started too is that the cause", "my calves lock up why is that"): among its last six words,
    /// after at least three others, a question word before a pronoun ("is that", "could it") or a
    /// wh-word before an auxiliary ("why is", "what does").
    private func endsAsking(_ tokens: [Token]) -> Bool {
        // The places of the last words (up to nine, commas passed over), last first: read in
        // place, not copied.
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 9) { places in
            var count = 0
            for position in tokens.indices.reversed() {
                if case .mark(let mark) = tokens[position].kind {
                    if mark == "," { continue }
                    break
                }
                places[count] = position
                count += 1
                if count == 9 { break }
            }
            guard count >= 5 else { return false }
            func words(_ index: Int) -> String { tokens[places[count - 1 - index]].text }
            // The pair ends at most three words before the message does ("is that normal for a
            // runner"): further back it is a clause in a statement ("is that the pain is there all night").
            for index in max(3, count - 5)..<(count - 1) {
                let word = words(index)
                let next = words(index + 1)
                // Not an infinitive or an object ("seem to do it", "makes it"), not "do" or "does"
                // ("when I do it", "so does it"), not "there" ("the pain is there").
                if Self.tailAuxiliaries.contains(word) && Self.tailSubjects.contains(next) && words(index - 1) != "to" { return true }
                // Not "which" ("which is annoying").
                if word != "which" && Self.whWords.contains(word) && (Self.tailAuxiliaries.contains(next) || next == "do" || next == "does") {
                    return true
                }
            }
            return false
        }
    }

    /// Whether the message ends with a clause of its own that a question mark closes, after a
    /// description: "..., it is normal?", "..., maybe is the pills?", "... today is sore. It is from
    /// not drink water?". Said in the word order of a statement (as many do who learnt English
    /// later), the mark is what asks. Not a short answer that ends unsure ("the left one?").
    static func endsWithAskedClause(_ tokens: [Token]) -> Bool {
        guard tokens.last?.kind == .mark("?") else { return false }
        var lastClause = 0
        var words = 0
        var sawMark = false
        for token in tokens.dropLast().reversed() {
            if token.isMark {
                sawMark = true
                break
            }
            lastClause += 1
        }
        for token in tokens where !token.isMark { words += 1 }
        return sawMark && lastClause >= 2 && words >= 6
    }

    static let tailAuxiliaries: Set<String> = ["is", "are", "could", "can", "should", "would", "will", "might"]
    static let tailSubjects: Set<String> = ["that", "this", "it", "they", "these", "i"]

    /// Words after a question word that make a clause a question without a question mark: a
    /// person or thing asked about, or a determiner before one ("could the tablets be doing it",
    /// "does his medicine cause it").
    static let askedAbout: Set<String> = [
        "i", "we", "it", "there", "this", "that", "these", "those", "he", "she", "they", "my", "u",
        "you", "your", "me"
    ]
    /// After a modal or "do" (not "is" or "did": "is a bit sore", "did a 10k"), a determiner
    /// starts the thing asked about ("could the tablets be doing it", "can a lack of salt do
    /// that"); "does" asks before any word but "not" ("does liver disease cause cramps").
    static let invertingAuxiliaries: Set<String> = ["could", "can", "should", "shud", "shld", "would", "will", "does", "do", "are", "is"]
    static let determiners: Set<String> = ["the", "a", "an", "his", "her", "their", "our", "some", "any", "low", "too", "all"]
    /// A clause after the first that starts with one of these asks, whatever follows ("what should
    /// he be eating before a game").
    static let whWords: Set<String> = ["what", "wht", "wat", "how", "hw", "why", "which"]

    static let askPriority: [Intent] = [.askWhenDoctor, .askPrevention, .askTreatment, .askCauses, .askCondition]

    static func confidence(intent: Intent, reading: Reading, topic: String?, askCues: [Intent], corrections: Int) -> Double {
        var value: Double
        switch intent {
        case .unrecognized:
            return reading.unknownWords == 0 ? 0 : 0.1
        case .help, .restart, .summary, .goodbye, .back, .askWhy, .greet:
            value = 0.95 - 0.1 * Double(reading.unknownWords)
        case .affirm, .deny, .unknownAnswer:
            value = 0.9 - 0.1 * Double(min(reading.unknownWords, 3))
        case .describe where topic == "other_cramps":
            value = 0.8
        case .describe:
            let facts = reading.findings.present.count + reading.findings.absent.count
            value = facts == 0 ? 0.45 : 0.6 + 0.1 * Double(min(facts, 3)) + 0.1 * reading.coverage
        default:
            value =
                0.55 + (askCues.isEmpty ? 0 : 0.2) + (topic.map { weakTopics.contains($0) ? 0.05 : 0.15 } ?? 0)
                + 0.05 * reading.coverage
        }
        value -= 0.05 * Double(corrections)
        return (min(0.98, max(0.2, value)) * 100).rounded() / 100
    }
}
