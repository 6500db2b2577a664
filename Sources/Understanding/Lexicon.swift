import Foundation
import Knowledge
import Yams

/// Signals in the text that are not findings, intents or topics but steer interpretation.
enum Cue: String, Sendable, CaseIterable {
    case negation
    case scopeEnd = "scope_end"
    case cramp
    case leg
    case nonLegCramp = "non_leg_cramp"
    case question
    case clause
    case ignore
    case filler
    /// A phrase of several words that stands for a concept ("can not" for `unable`): it has no
    /// meaning of its own, only its concept for the lexicon's patterns.
    case concept
    /// Starts a hypothetical ("what if", "in case"): findings to the end of the sentence are
    /// asked about, not told.
    case hypothetical
    /// Someone else told it or asked it ("the leaflet says", "my flatmate asked if"): read as a
    /// hypothetical (nothing in the sentence is told), but the person does not ask it.
    case reported
    /// The clause speaks of the long past ("years ago", "as a teenager"): the warning signs in it
    /// are history, not what is happening now.
    case past
    /// What the sentence told so far is over and was sorted ("healed up fine now", "its been
    /// normal since"): its warning signs are history.
    case resolved
    /// The message says it only asks ("just asking", "out of curiosity", "I read somewhere"):
    /// its questions are general even when it names the person ("... mine is fine").
    case curious
    /// A thank-you ("thanks", "cheers", "ta", "much appreciated"): meaningless to the matcher,
    /// as a filler is, but the conversation answers it.
    case thanks
    /// Leaving with a plan ("I'll book in", "I'll mention it at clinic").
    case closing
    /// The cramps came with something begun or changed ("ever since I started it", "after they
    /// upped the dose", "could the tablets be doing it"): with a medicine named, a medicine told
    /// as their trigger.
    case startedWith = "started_with"
}

/// What a phrase means. One phrase may carry several meanings ("cramps at night" is both the
/// finding timing:night and the topic night_cramps).
enum Meaning: Hashable, Sendable {
    case finding(Finding)
    /// A phrase that itself says a finding is not there ("I don't drink" is no alcohol; "not kind:value").
    case denial(Finding)
    case intent(Intent)
    case topic(String)
    case cue(Cue)

    var isTopic: Bool { if case .topic = self { true } else { false } }
}

enum TimeUnit: String, Sendable, CaseIterable {
    case second, minute, hour, day, night, week, month, year
}

/// A phrase of the lexicon and what it means. Immutable and shared: a class, so that trying
/// the phrases a word starts, and keeping the one that matched, passes a reference instead of
/// copying three arrays.
final class Phrase: Sendable {
    let words: [String]
    let meanings: [Meaning]
    /// The words' numbers in the lexicon's `WordTable`.
    let ids: [Int32]
    /// It ends a negation's scope after a comma or "and": a clause starts with it.
    let startsClause: Bool
    /// It ends a negation's scope wherever it stands: a scope end ("but", "still") or a phrase
    /// that starts with one ("still rock hard" after "nothing working,").
    let endsScope: Bool
    /// One word that is not a function word ("no", "yes" as opposed to "not sure").
    let isSingleContentWord: Bool
    /// It says "not" or "never" itself ("can not get my words out", "did not know where i was").
    let holdsNegation: Bool
    /// It means symptoms and nothing else (`meansSymptomsOnly`).
    let isSymptomsOnly: Bool
    /// A word of it puts a person in the sentence (`Reading.personWords`).
    let namesPerson: Bool
    /// A phrase of symptoms alone whose last word, a content word, starts another phrase of
    /// symptoms alone ("skin feels hot" and "hot and dry"): the matcher reads on from that word.
    let mayRunOn: Bool
    /// The concepts the phrase stands for (its own, and each of its words'), as bits.
    let concepts: ConceptSet

    /// `symptomStarts`: the first words (by number) of the phrases of several words that mean
    /// symptoms alone.
    init(
        words: [String], meanings: [Meaning], ids: [Int32], startsClause: Bool, endsScope: Bool = false,
        isSingleContentWord: Bool, concepts: ConceptSet = 0, symptomStarts: Set<Int32> = []
    ) {
        self.words = words
        self.meanings = meanings
        self.ids = ids
        self.startsClause = startsClause
        self.endsScope = endsScope
        self.isSingleContentWord = isSingleContentWord
        self.concepts = concepts
        holdsNegation = words.contains { $0 == "not" || $0 == "never" }
        isSymptomsOnly = Self.meansSymptomsOnly(meanings)
        namesPerson = words.contains(where: Reading.personWords.contains)
        mayRunOn =
            words.count > 1 && isSymptomsOnly && !Reading.functionWords.contains(words[words.count - 1])
            && symptomStarts.contains(ids[ids.count - 1])
    }

    /// The same words meaning less (the concepts stay: they are the words').
    func keeping(_ isKept: (Meaning) -> Bool) -> Phrase {
        Phrase(
            words: words, meanings: meanings.filter(isKept), ids: ids, startsClause: startsClause, endsScope: endsScope,
            isSingleContentWord: isSingleContentWord, concepts: concepts)
    }

    /// Symptoms and nothing else: no cue, intent, topic, side or place.
    static func meansSymptomsOnly(_ meanings: [Meaning]) -> Bool {
        meanings.allSatisfy { if case .finding(let finding) = $0 { finding.kind == .symptom } else { false } }
    }
}

/// Concepts that occur together in one clause, and what they mean: "mouth" with "sag" (in any
/// form, in either order: "one side of his mouth is sagging", "her lip droops") is a face
/// drooping. Written in the lexicon's `patterns`; a clause ends at a sentence mark, a comma,
/// "but" and the like, or "and" before a new subject.
struct Pattern: Sendable {
    /// Every one of these concepts must be in the clause, within `window` items of each other.
    let required: ConceptSet
    /// None of these may stand within `window` items of the pattern's concepts, in its clause
    /// ("than before" is no comparison with the other leg).
    let excluded: ConceptSet
    let findings: [Finding]
    /// Findings it says are not there ("not side:right": "the right one is fine").
    let denies: [Finding]
    /// Findings it says have a harmless cause, so are not what the words alone would mean
    /// ("explained symptom:lip_tingling": a lip numb from the dentist's injection): taken back,
    /// neither there nor denied.
    let explains: [Finding]
    /// The concepts of the harmless cause (`PatternEntry.cause`), or none.
    let cause: ConceptSet
    /// Findings that, already told, keep a later cause from explaining anything (`unless_known`:
    /// a hot water bottle does not explain a red, warm leg that is also swollen).
    let unlessKnown: [Finding]
    /// Its concepts may stand in different clauses of one sentence ("cramps in my thighs, calves
    /// and now my hands"), within `sentenceWindow` items.
    let acrossClauses: Bool

    static let window = 15
    static let sentenceWindow = 20

    /// `required`, all a clause needs to skip the pattern, and the pattern's place in its list.
    struct Key: Sendable {
        let required: ConceptSet
        let index: Int
    }

    /// The places that a `Index.candidates` set holds, ascending.
    struct Places: Sequence, IteratorProtocol {
        private let words: [UInt64]
        private var word = 0
        private var rest: UInt64

        init(_ words: [UInt64]) {
            self.words = words
            rest = words.first ?? 0
        }

        @inline(__always)
        mutating func next() -> Int? {
            while rest == 0 {
                word += 1
                guard word < words.count else { return nil }
                rest = words[word]
            }
            let place = word * 64 + rest.trailingZeroBitCount
            rest &= rest - 1
            return place
        }
    }

    /// A list of `Key`s, grouped by one concept each pattern requires (of its concepts, the
    /// one the fewest of the list's patterns require): a clause meets only the patterns of the
    /// concepts it holds, still in the list's order, instead of every pattern.
    struct Index: Sendable {
        let keys: [Key]
        /// How many words of bits a set of `keys`' places takes.
        let words: Int
        /// For concept number `c`, the places in `keys` of the patterns grouped under it, as bits:
        /// `masks[c * words ..< (c + 1) * words]`.
        private let masks: [UInt64]
        /// The places of patterns that require no concept, as bits: every clause meets them.
        private let everywhere: [UInt64]

        init(_ keys: [Key]) {
            self.keys = keys
            let words = (keys.count + 63) / 64
            self.words = words
            var uses = [Int](repeating: 0, count: ConceptSet.capacity)
            for key in keys { key.required.forEachConcept { uses[$0] += 1 } }
            var masks = [UInt64](repeating: 0, count: ConceptSet.capacity * words)
            var everywhere = [UInt64](repeating: 0, count: words)
            for (place, key) in keys.enumerated() {
                var anchor = -1
                key.required.forEachConcept { concept in
                    if anchor < 0 || uses[concept] < uses[anchor] { anchor = concept }
                }
                let bit: UInt64 = 1 << UInt64(place % 64)
                if anchor < 0 { everywhere[place / 64] |= bit } else { masks[anchor * words + place / 64] |= bit }
            }
            self.masks = masks
            self.everywhere = everywhere
        }

        /// Into `buffer` (`words` long after): the places in `keys`, as bits, of the patterns
        /// that `bits` may hold (each is yet to be tested against its whole `required`).
        func candidates(_ bits: ConceptSet, into buffer: inout [UInt64]) {
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: everywhere)
            masks.withUnsafeBufferPointer { masks in
                buffer.withUnsafeMutableBufferPointer { buffer in
                    bits.forEachConcept { concept in
                        let start = concept * words
                        for word in 0..<words { buffer[word] |= masks[start + word] }
                    }
                }
            }
        }
    }
}

/// The compiled lexicon: phrases indexed by their first word, longest first, plus the tables
/// the matcher needs. Built once at start-up and shared read-only.
public struct Lexicon: Sendable {
    public let version: String
    let tokenizer: Tokenizer
    /// Every word the matcher asks about, with what it needs to know about it.
    let words: WordTable
    let spelling: SpellingIndex
    /// Words never spell-corrected that the matcher otherwise knows nothing about (a set of their
    /// own: in the word table they cost start-up time for no use).
    let commonWords: Set<String>
    let findingTopics: [Finding: String]
    /// The lexicon's co-occurrence patterns (at most `ConceptSet.capacity` concepts, one bit each).
    let patterns: [Pattern]
    /// The patterns that say a finding is not there (`Pattern.denies`), which the matcher applies
    /// after the others.
    let denyingPatterns: [Pattern]
    /// The concept `unable`, if the file has one: "not" after a modal ("can't", "won't") is it too.
    let unableConcept: ConceptSet
    /// The concept `brief`, if the file has one: an amount of time of seconds or minutes is it too
    /// ("couldn't move it at all for about a minute").
    let briefConcept: ConceptSet
    /// The concept `again_and_again`, if the file has one: a rate the quantity reader took
    /// ("several times this week", "4 nights out of 7") is it too.
    let repeatConcept: ConceptSet
    /// Every concept bit that some pattern needs: an utterance without one skips the patterns.
    let patternConcepts: ConceptSet
    /// A lexicon word's stem -> the lexicon word: "sagging" is read as "sag" (`WordForms`).
    let forms: [String: String]
    /// The words for people someone writes for ("mum", "hubby", "my lad"), each with the
    /// relation and sex it names.
    var relations: [Int32: Relation] = [:]
    /// The numbers of `relations`' words, to tell one without hashing.
    var relationIDs = WordIDSet()
    /// The numbers of the words the subject is read from ("my", "she", ...).
    var subjectWords = Interpreter.SubjectWordIDs()
    /// Which times and rates belong to something else said in their clause (`own_times`).
    var ownTimes = OwnTimes()
    /// The concept `also`, if the file has one: cramps elsewhere said "too" or "as well" ("I get
    /// cramps in my stomach too") are beside the leg cramps, not instead of them.
    var alsoConcept: ConceptSet = 0
    /// What a clause is tested against first for each of `patterns` and `denyingPatterns`, in
    /// their order, those of a clause and those of a sentence apart, in arrays of their own:
    /// every clause meets every pattern, and a dense array of bits is read without copying a
    /// pattern (a copy retains its arrays).
    var clausePatternKeys = Pattern.Index([])
    var sentencePatternKeys = Pattern.Index([])
    var clauseDenyingKeys = Pattern.Index([])
    var sentenceDenyingKeys = Pattern.Index([])
    /// The places in `denyingPatterns` of those with a harmless cause (`Pattern.cause`).
    var causePatterns: [Int] = []

    struct Relation: Sendable, Equatable {
        var relation: String
        var sex: String?
    }

    /// The lexicon shipped with Charley, checked against `knowledge`.
    public static func loadBundled(knowledge: KnowledgeModel) throws(KnowledgeError) -> Lexicon {
        try load(file: nil, knowledge: knowledge)
    }

    /// The lexicon file at `url` (nil: the shipped one) with the shipped list of common words,
    /// checked against `knowledge`: what the daemon loads again on a reload.
    public static func load(file url: URL?, knowledge: KnowledgeModel) throws(KnowledgeError) -> Lexicon {
        guard let commonURL = Bundle.module.url(forResource: "common-words", withExtension: "txt"),
            let common = FileManager.default.contents(atPath: commonURL.path)
        else {
            throw KnowledgeError(issues: [KnowledgeIssue(file: "common-words.txt", problem: "the list of common words is missing from Charley's resources")])
        }
        let name: String
        let text: String
        if let url {
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw KnowledgeError(issues: [KnowledgeIssue(file: url.path, problem: "cannot read the file")])
            }
            guard let decoded = String(data: data, encoding: .utf8) else {
                throw KnowledgeError(issues: [KnowledgeIssue(file: url.lastPathComponent, problem: "the file is not UTF-8 text")])
            }
            (name, text) = (url.lastPathComponent, decoded)
        } else {
            guard let bundled = Bundle.module.url(forResource: "lexicon", withExtension: "yaml"),
                let data = FileManager.default.contents(atPath: bundled.path)
            else {
                throw KnowledgeError(issues: [KnowledgeIssue(file: "lexicon.yaml", problem: "the lexicon is missing from Charley's resources")])
            }
            (name, text) = ("lexicon.yaml", String(decoding: data, as: UTF8.self))
        }
        return try load(
            text: text, file: name, knowledge: knowledge,
            commonWords: try commonWords(String(decoding: common, as: UTF8.self), file: "common-words.txt"))
    }

    /// Reads a list of common English words that are never spell-corrected (one lowercase word
    /// per line; `#` starts a comment line). Every bad line is reported with its number.
    static func commonWords(_ text: String, file: String) throws(KnowledgeError) -> [String] {
        var words: [String] = []
        var issues: [KnowledgeIssue] = []
        // Read as bytes, a line at a time: read through Foundation's trimming, the list took
        // a millisecond of start-up.
        let lines = Array(text.utf8).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let blank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
        for (index, line) in lines.enumerated() {
            guard let first = line.firstIndex(where: { !blank($0) }), let last = line.lastIndex(where: { !blank($0) }) else { continue }
            let word = line[first...last]
            if word.first == UInt8(ascii: "#") { continue }
            if word.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }) {
                words.append(String(decoding: word, as: UTF8.self))
            } else {
                issues.append(
                    KnowledgeIssue(
                        file: file, line: index + 1, entry: "'\(String(decoding: word, as: UTF8.self))'",
                        problem: "a common word must be one word of lowercase letters a-z"))
            }
        }
        guard issues.isEmpty else { throw KnowledgeError(issues: issues) }
        return words
    }

    /// Loads a lexicon file from disk, checked against `knowledge`.
    public static func load(contentsOf url: URL, knowledge: KnowledgeModel) throws(KnowledgeError) -> Lexicon {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw KnowledgeError(issues: [KnowledgeIssue(file: url.path, problem: "cannot read the file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw KnowledgeError(issues: [KnowledgeIssue(file: url.lastPathComponent, problem: "the file is not UTF-8 text")])
        }
        return try load(text: text, file: url.lastPathComponent, knowledge: knowledge)
    }

    /// Parses and validates lexicon text. Every problem is reported with the file, the line
    /// and the entry: unknown meanings, a phrase listed twice, empty phrases.
    /// `commonWords` are never spell-corrected, like the lexicon's own `keep` list.
    public static func load(
        text: String, file: String, knowledge: KnowledgeModel,
        commonWords: [String] = []
    ) throws(KnowledgeError) -> Lexicon {
        let (raw, root) = try KnowledgeLoader.decodeYAML(LexiconFile.self, text: text, file: file)
        var builder = LexiconBuilder(
            file: file, root: root, knowledge: knowledge,
            tokenizer: Tokenizer(contractions: raw.contractions))
        return try builder.build(raw, commonWords: commonWords)
    }
}

/// The lexicon file as written.
struct LexiconFile: Decodable {
    struct Combination: Decodable {
        var means: [String]
        var phrases: [String]
    }

    var version: String
    var contractions: [String: [String]]
    var numbers: [String: Double]
    var units: [String: [String]]
    var keep: [String]
    var findings: [String: [String]]
    var combinations: [Combination]
    var intents: [String: [String]]
    var topics: [String: [String]]
    var cues: [String: [String]]
    var findingTopics: [String: String]
    var standIns: [String: [String]]?
    var inserts: [String]?
    var concepts: [String: [String]]?
    var patterns: [PatternEntry]?
    var subjects: [String: SubjectEntry]?
    var ownTimes: OwnTimesEntry?

    /// Times and rates said of something else in their clause are that thing's (`OwnTimes`).
    struct OwnTimesEntry: Decodable {
        var times: [String]
        var owners: [String]
        var except: [String]?
        var cramps: String
    }

    /// People someone may write for: the words for them and, when the word says it, their sex.
    struct SubjectEntry: Decodable {
        var sex: String?
        var words: [String]
    }

    struct PatternEntry: Decodable {
        var means: [String]
        var together: [String]
        var unless: [String]?
        /// `clause` (the default) or `sentence`.
        var within: String?
        /// For a pattern that explains a finding: its concepts that name the harmless cause. Said
        /// in a later message ("oh wait, I had beetroot last night"), they explain the finding
        /// told before.
        var cause: [String]?
        /// For a cause told later: findings that, already told, keep it from explaining (a hot
        /// water bottle does not account for a red, warm calf that is swollen too).
        var unlessKnown: [String]?

        enum CodingKeys: String, CodingKey {
            case means, together, unless, within, cause
            case unlessKnown = "unless_known"
        }
    }

    enum CodingKeys: String, CodingKey {
        case version, contractions, numbers, units, keep, findings, combinations, intents, topics, cues, concepts, patterns, inserts, subjects
        case findingTopics = "finding_topics"
        case standIns = "stand_ins"
        case ownTimes = "own_times"
    }
}

private struct LexiconBuilder {
    let file: String
    let root: Node
    let knowledge: KnowledgeModel
    let tokenizer: Tokenizer
    var issues: [KnowledgeIssue] = []
    /// phrase (joined words) -> index into `phrases` and the entry that defined it.
    var seen: [String: (index: Int, entry: String)] = [:]
    /// Words matched as others (`stand_ins`: "she" as "i"): two phrases that differ only in
    /// them are one phrase.
    var matchedAs: [String: String] = [:]
    var seenMatched: [String: String] = [:]
    /// The phrases read so far: their words and meanings.
    var phrases: [(words: [String], meanings: [Meaning])] = []

    init(file: String, root: Node, knowledge: KnowledgeModel, tokenizer: Tokenizer) {
        self.file = file
        self.root = root
        self.knowledge = knowledge
        self.tokenizer = tokenizer
    }

    mutating func build(_ raw: LexiconFile, commonWords: [String]) throws(KnowledgeError) -> Lexicon {
        // Nodes are looked up (by a scan of their mapping) only to report a problem's line.
        let root = self.root
        for (target, words) in raw.standIns ?? [:] { for word in words { matchedAs[word] = target } }
        for (key, list) in raw.findings.sorted(by: { $0.key < $1.key }) {
            add(list, meanings: [key], entry: key, node: root["findings"]?[key])
        }
        for (index, combination) in raw.combinations.enumerated() {
            add(
                combination.phrases, meanings: combination.means, entry: "combination \(combination.means.joined(separator: " + "))",
                node: root["combinations"]?.sequence.flatMap { index < $0.count ? $0[index] : nil })
        }
        for (key, list) in raw.intents.sorted(by: { $0.key < $1.key }) {
            add(list, meanings: ["intent:\(key)"], entry: "intent \(key)", node: root["intents"]?[key])
        }
        for (key, list) in raw.topics.sorted(by: { $0.key < $1.key }) {
            add(list, meanings: ["topic:\(key)"], entry: "topic \(key)", node: root["topics"]?[key])
        }
        for (key, list) in raw.cues.sorted(by: { $0.key < $1.key }) {
            add(list, meanings: ["cue:\(key)"], entry: "cue \(key)", node: root["cues"]?[key])
        }

        // Concepts: one bit each. A member of one word marks that word wherever it appears (in
        // any phrase, and in its other forms); a member of several words becomes a phrase of its own.
        let conceptNames = (raw.concepts ?? [:]).keys.sorted()
        if conceptNames.count > ConceptSet.capacity {
            report(root["concepts"], entry: "concepts", "at most \(ConceptSet.capacity) concepts (there are \(conceptNames.count))")
        }
        var conceptBit: [String: ConceptSet] = [:]
        for (index, name) in conceptNames.prefix(ConceptSet.capacity).enumerated() { conceptBit[name] = ConceptSet(concept: index) }
        var wordConcepts: [String: ConceptSet] = [:]
        var phraseConcepts: [String: ConceptSet] = [:]
        for name in conceptNames {
            guard let bit = conceptBit[name] else { continue }
            var several: [(member: String, words: [String])] = []
            for member in raw.concepts?[name] ?? [] {
                let words = tokenizer.tokens(member).map(\.text)
                if words.count == 1 {
                    wordConcepts[words[0], default: 0] |= bit
                } else if words.count > 1 {
                    phraseConcepts[words.joined(separator: " "), default: 0] |= bit
                    several.append((member, words))
                } else {
                    report(root["concepts"]?[name], entry: "concept \(name)", "'\(member)' is not a word")
                }
            }
            // Several concepts may share a phrase: it is added once. A concept phrase must not hold a
            // word that is a finding by itself: matched first, it would hide that finding ("pinky
            // red" would lose the redness); such a phrase belongs under the finding, where it keeps
            // its concepts too.
            let newPhrases = several.filter { seen[$0.words.joined(separator: " ")] == nil }
            for (member, words) in newPhrases {
                for word in words {
                    if let found = seen[word], phrases[found.index].meanings.contains(where: { if case .finding = $0 { true } else { false } }) {
                        report(
                            root["concepts"]?[name], entry: "concept \(name)",
                            "the phrase '\(member)' would hide the finding of '\(word)' (\(found.entry)); list it under that finding instead")
                    }
                }
            }
            add(newPhrases.map(\.member), meanings: ["cue:concept"], entry: "concept \(name)", node: root["concepts"]?[name], allowEmpty: true)
        }
        var patterns: [Pattern] = []
        for (index, entry) in (raw.patterns ?? []).enumerated() {
            let node = root["patterns"]?.sequence.flatMap { index < $0.count ? $0[index] : nil }
            let name = "pattern \(entry.together.joined(separator: " + "))"
            var required: ConceptSet = 0
            var excluded: ConceptSet = 0
            for concept in entry.together {
                if let bit = conceptBit[concept] { required |= bit } else { report(node, entry: name, "'\(concept)' is not a concept of this file") }
            }
            for concept in entry.unless ?? [] {
                if let bit = conceptBit[concept] { excluded |= bit } else { report(node, entry: name, "'\(concept)' is not a concept of this file") }
            }
            if entry.together.count < 2 { report(node, entry: name, "a pattern needs two concepts or more (one is a phrase)") }
            var findings: [Finding] = []
            var denies: [Finding] = []
            var explains: [Finding] = []
            for text in entry.means {
                let denied = text.hasPrefix("not ")
                let explained = text.hasPrefix("explained ")
                let body = denied ? String(text.dropFirst(4)) : explained ? String(text.dropFirst(10)) : text
                if let finding = Finding(parsing: body), knowledge.knows(finding) {
                    if denied { denies.append(finding) } else if explained { explains.append(finding) } else { findings.append(finding) }
                } else {
                    report(node, entry: name, "'\(text)' is not a finding of the knowledge model (kind:value, not kind:value, or explained kind:value)")
                }
            }
            var cause: ConceptSet = 0
            for concept in entry.cause ?? [] {
                if !entry.together.contains(concept) { report(node, entry: name, "cause '\(concept)' is not one of the pattern's concepts") }
                if let bit = conceptBit[concept] { cause |= bit }
            }
            if entry.cause != nil && explains.isEmpty { report(node, entry: name, "a cause is for a pattern that explains a finding ('explained kind:value')") }
            var unlessKnown: [Finding] = []
            for text in entry.unlessKnown ?? [] {
                if let finding = Finding(parsing: text), knowledge.knows(finding) {
                    unlessKnown.append(finding)
                } else {
                    report(node, entry: name, "unless_known: '\(text)' is not a finding of the knowledge model (kind:value)")
                }
            }
            if entry.unlessKnown != nil && entry.cause == nil { report(node, entry: name, "unless_known is for a pattern with a cause") }
            let within = entry.within ?? "clause"
            if within != "clause" && within != "sentence" { report(node, entry: name, "'within' is clause or sentence, not '\(within)'") }
            patterns.append(
                Pattern(
                    required: required, excluded: excluded, findings: findings, denies: denies,
                    explains: explains, cause: cause, unlessKnown: unlessKnown, acrossClauses: within == "sentence"))
        }
        for word in raw.inserts ?? [] where word.contains(" ") || word != word.lowercased() || ["not", "no", "never", "without"].contains(word) {
            report(root["inserts"], entry: "inserts", "'\(word)' must be one lowercase word, and not a negation")
        }
        for word in raw.inserts ?? [] where wordConcepts[word] != nil {
            report(root["inserts"], entry: "inserts", "'\(word)' is a concept's word: a phrase would swallow it")
        }
        var standIns: [String: String] = [:]
        for (target, words) in raw.standIns ?? [:] {
            for word in words {
                if let earlier = standIns[word] {
                    report(root["stand_ins"]?[target], entry: "stand_ins \(target)", "'\(word)' already stands for '\(earlier)'")
                }
                standIns[word] = target
            }
        }

        var units: [String: TimeUnit] = [:]
        for (key, words) in raw.units {
            guard let unit = TimeUnit(rawValue: key) else {
                report(
                    root["units"]?[key], entry: "unit \(key)",
                    "unknown unit; known units are \(TimeUnit.allCases.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            for word in words { units[word] = unit }
        }

        var findingTopics: [Finding: String] = [:]
        for (key, topic) in raw.findingTopics {
            guard let finding = Finding(parsing: key), knowledge.knows(finding) else {
                report(root["finding_topics"], entry: "finding_topics \(key)", "'\(key)' is not a finding of the knowledge model")
                continue
            }
            guard knowledge.topic(topic) != nil else {
                report(root["finding_topics"], entry: "finding_topics \(key)", "the topic '\(topic)' is not in the knowledge model")
                continue
            }
            findingTopics[finding] = topic
        }
        // Conditions answer questions about themselves when a topic of the same id exists.
        for term in knowledge.terms(.condition) where knowledge.topic(term.id) != nil {
            findingTopics[Finding(.condition, term.id)] = findingTopics[Finding(.condition, term.id)] ?? term.id
        }
        // The ids the code of Understanding names must be in the model it reads.
        issues += CodeNames.understanding.issues(in: knowledge)

        guard issues.isEmpty else { throw KnowledgeError(issues: issues) }

        var vocabulary = Set<String>()
        for phrase in phrases { vocabulary.formUnion(phrase.words) }
        vocabulary.formUnion(raw.numbers.keys)
        vocabulary.formUnion(units.keys)
        vocabulary.formUnion(wordConcepts.keys)
        let keep = Set(raw.keep)
        let clauseWords = Set(phrases.filter { $0.meanings.contains(.cue(.clause)) }.map { $0.words[0] })
        let scopeEndWords = Set(phrases.filter { $0.meanings.contains(.cue(.scopeEnd)) && $0.words.count == 1 }.map { $0.words[0] })
        let questionWords = Set(phrases.filter { $0.meanings.contains(.cue(.question)) }.map { $0.words[0] })
        let fillerWords = Set(
            phrases.filter {
                ($0.meanings.contains(.cue(.filler)) || $0.meanings.contains(.cue(.thanks)) || $0.meanings.contains(.cue(.closing))) && $0.words.count == 1
            }.map { $0.words[0] })

        var relations: [String: Lexicon.Relation] = [:]
        for (relation, entry) in (raw.subjects ?? [:]).sorted(by: { $0.key < $1.key }) {
            let node = root["subjects"]?[relation]
            if let sex = entry.sex, sex != "female" && sex != "male" {
                report(node, entry: "subjects \(relation)", "sex must be female or male, not '\(sex)'")
            }
            if entry.words.isEmpty { report(node, entry: "subjects \(relation)", "it names no words") }
            for word in entry.words {
                if word != word.lowercased() || word.contains(" ") {
                    report(node, entry: "subjects \(relation)", "'\(word)' must be one lower-case word")
                } else if let earlier = relations[word], earlier.relation != relation || entry.words.filter({ $0 == word }).count > 1 {
                    report(node, entry: "subjects \(relation)", "'\(word)' is already a word for '\(earlier.relation)'")
                } else {
                    relations[word] = Lexicon.Relation(relation: relation, sex: entry.sex)
                    // "my mum's" is read "mums".
                    if !word.hasSuffix("s"), relations[word + "s"] == nil { relations[word + "s"] = Lexicon.Relation(relation: relation, sex: entry.sex) }
                }
            }
        }

        // Every word the matcher asks about gets a number, and its facts.
        var table = WordTable()
        let contractionWords = raw.contractions.sorted { $0.key < $1.key }.flatMap { [$0.key] + $0.value }  // the same numbers on every run
        for word in vocabulary.sorted() + keep.sorted() + contractionWords + Reading.functionWords.sorted() + clauseWords.sorted()
            + questionWords.sorted() + fillerWords.sorted() + standIns.keys.sorted() + standIns.values.sorted() + (raw.inserts ?? [])
            + Reading.personWords.sorted() + relations.keys.sorted() + Interpreter.subjectWords
        {
            _ = table.add(word)
        }
        // A concept word marks the other forms of it the table holds: "droop" marks "drooping"
        // and "droops", "swimming" marks "swim". A word listed in a concept itself takes only
        // from its shorter forms, so a listed plural keeps its concepts from its singular ("arms"
        // is in `limbs_both`; "arm" is not). Function words are never marked ("should" shares a
        // stem with "shoulder").
        var conceptsByStem: [String: [(length: Int, bits: ConceptSet)]] = [:]
        for (word, bits) in wordConcepts { conceptsByStem[WordForms.stem(word), default: []].append((word.utf8.count, bits)) }
        var wordBits: [String: ConceptSet] = [:]
        for id in 0..<Int32(table.info.count) {
            let word = table.word(id)
            let listed = wordConcepts[word]
            var bits = listed ?? 0
            if !Reading.functionWords.contains(word), let forms = conceptsByStem[WordForms.stem(word)] {
                let length = word.utf8.count
                // Not a listed word one letter longer ending in "e": a final "e" makes another
                // word ("spine" is not a form of "spin", nor "hate" of "hat").
                let silentE = word.hasSuffix("e")
                for form in forms where listed == nil || (form.length < length && !(silentE && form.length == length - 1)) {
                    bits |= form.bits
                }
            }
            if bits != 0 {
                table[id].concepts = bits
                wordBits[word] = bits
            }
        }
        // The first words of the concept phrases: a phrase without one holds none.
        let conceptPhraseStarts = Set(phraseConcepts.keys.map { String($0.prefix { $0 != " " }) })
        // A phrase stands for the concepts of its words and of any concept phrase inside it
        // ("can not move my leg" holds "can not").
        func phraseBits(_ words: [String], meanings: [Meaning]) -> ConceptSet {
            // "paper cut", "warm up": an ignored phrase means nothing, not even its words' concepts;
            // only a concept it is listed under itself ("hot water bottle" is a heat source).
            if meanings == [.cue(.ignore)] { return phraseConcepts[words.joined(separator: " ")] ?? 0 }
            var bits = words.reduce(ConceptSet(integerLiteral: 0)) { $0 | (wordBits[$1] ?? 0) }
            // "can not move my leg": a modal's "not" inside a phrase says `unable`, as in the text.
            if Reading.saysInability(words) { bits |= conceptBit["unable"] ?? 0 }
            if words.count >= 2 {
                for start in 0..<(words.count - 1) where conceptPhraseStarts.contains(words[start]) {
                    for end in (start + 2)...min(words.count, start + 5) {
                        bits |= phraseConcepts[words[start..<end].joined(separator: " ")] ?? 0
                    }
                }
            }
            return bits
        }
        for (word, target) in standIns { table[table.id(word)].matchAs = table.id(target) }
        for word in vocabulary { table[table.id(word)].skipsCorrection = true }
        for word in keep { table[table.id(word)].skipsCorrection = true }
        // A word for a person is itself ("lad" is no misspelt "lead").
        for word in relations.keys {
            table[table.id(word)].skipsCorrection = true
            table[table.id(word)].isPersonWord = true
        }
        for (word, value) in raw.numbers { table[table.id(word)].number = value }
        for (word, unit) in units { table[table.id(word)].unit = unit }
        for word in Reading.functionWords { table[table.id(word)].isFunctionWord = true }
        for word in clauseWords { table[table.id(word)].startsClause = true }
        for word in questionWords { table[table.id(word)].isQuestionWord = true }
        for word in Reading.personWords { table[table.id(word)].isPersonWord = true }
        for word in fillerWords { table[table.id(word)].isFillerWord = true }
        for word in raw.inserts ?? [] { table[table.id(word)].isInsert = true }
        for (word, parts) in raw.contractions {
            table[table.id(word)].expansion = parts.map { Token(text: $0, kind: .word, id: table.id($0)) }
        }
        var byFirstWord: [Int32: [Phrase]] = [:]
        // A stand-in in a phrase is read as what it stands for, as in the text: "where she is"
        // matches "where he is" and "where i is" alike.
        func ids(_ words: [String]) -> [Int32] {
            words.map { word in
                let id = table.id(word)
                let standIn = table.matchAs(id)
                return standIn == WordTable.unknown ? id : standIn
            }  // `map(table.id)` copied the table per phrase
        }
        let symptomStarts = Set(phrases.filter { $0.words.count > 1 && Phrase.meansSymptomsOnly($0.meanings) }.map { ids([$0.words[0]])[0] })
        for (words, meanings) in phrases {
            let endsScope = meanings.contains(.cue(.scopeEnd)) || scopeEndWords.contains(words[0])
            let phrase = Phrase(
                words: words, meanings: meanings, ids: ids(words),
                startsClause: endsScope || clauseWords.contains(words[0]), endsScope: endsScope,
                isSingleContentWord: words.count == 1 && !Reading.functionWords.contains(words[0]),
                concepts: phraseBits(words, meanings: meanings), symptomStarts: symptomStarts)
            byFirstWord[phrase.ids[0], default: []].append(phrase)
        }
        for (id, list) in byFirstWord {
            // Longest first; of equal length, in alphabetical order of their text.
            table[id].phrases = list.map { ($0, $0.words.joined(separator: " ")) }
                .sorted { ($0.0.words.count, $1.1) > ($1.0.words.count, $0.1) }.map(\.0)
        }

        // Each word's stem, for the forms of it the lexicon does not list. Of several lexicon
        // words with one stem, the shortest (then the first alphabetically) is read.
        var forms: [String: String] = [:]
        for word in vocabulary where !word.contains(" ") {
            let stem = WordForms.stem(word)
            if let other = forms[stem], (other.count, other) <= (word.count, word) { continue }
            forms[stem] = word
        }

        var ownTimes = OwnTimes()
        if let entry = raw.ownTimes {
            let node = root["own_times"]
            func parse(_ texts: [String], field: String, kinds: inout FindingKindSet, findings: inout FindingSet) {
                for text in texts {
                    if let kind = FindingKind(rawValue: text) {
                        kinds.insert(kind)
                    } else if let finding = Finding(parsing: text), knowledge.knows(finding) {
                        findings.insert(finding)
                    } else {
                        report(node?[field], entry: "own_times", "\(field): '\(text)' is neither a finding kind nor a finding of the knowledge model")
                    }
                }
            }
            parse(entry.times, field: "times", kinds: &ownTimes.timeKinds, findings: &ownTimes.timeFindings)
            parse(entry.owners, field: "owners", kinds: &ownTimes.ownerKinds, findings: &ownTimes.ownerFindings)
            var noKinds = FindingKindSet()
            parse(entry.except ?? [], field: "except", kinds: &noKinds, findings: &ownTimes.exceptions)
            if !noKinds.isEmpty { report(node?["except"], entry: "own_times", "except: list findings (kind:value), not kinds") }
            if let bit = conceptBit[entry.cramps] {
                ownTimes.crampConcept = bit
            } else {
                report(node?["cramps"], entry: "own_times", "cramps: '\(entry.cramps)' is not a concept of this file")
            }
        }

        var lexicon = Lexicon(
            version: raw.version, tokenizer: tokenizer, words: table,
            spelling: SpellingIndex(words: vocabulary), commonWords: Set(commonWords), findingTopics: findingTopics,
            patterns: patterns, denyingPatterns: patterns.filter { !$0.denies.isEmpty || !$0.explains.isEmpty }, unableConcept: conceptBit["unable"] ?? 0,
            briefConcept: conceptBit["brief"] ?? 0, repeatConcept: conceptBit["again_and_again"] ?? 0, patternConcepts: patterns.reduce(0) { $0 | $1.required },
            forms: forms,
            relations: Dictionary(uniqueKeysWithValues: relations.map { (table.id($0.key), $0.value) }),
            subjectWords: Interpreter.SubjectWordIDs(table), ownTimes: ownTimes, alsoConcept: conceptBit["also"] ?? 0)
        func keys(_ patterns: [Pattern], acrossClauses: Bool) -> Pattern.Index {
            Pattern.Index(
                patterns.indices.filter { patterns[$0].acrossClauses == acrossClauses }.map { Pattern.Key(required: patterns[$0].required, index: $0) })
        }
        lexicon.clausePatternKeys = keys(lexicon.patterns, acrossClauses: false)
        lexicon.sentencePatternKeys = keys(lexicon.patterns, acrossClauses: true)
        lexicon.clauseDenyingKeys = keys(lexicon.denyingPatterns, acrossClauses: false)
        lexicon.sentenceDenyingKeys = keys(lexicon.denyingPatterns, acrossClauses: true)
        lexicon.relationIDs = WordIDSet(Array(lexicon.relations.keys))
        lexicon.causePatterns = lexicon.denyingPatterns.indices.filter { lexicon.denyingPatterns[$0].cause != 0 }
        return lexicon
    }

    mutating func add(_ list: [String], meanings texts: [String], entry: String, node: @autoclosure () -> Node?, allowEmpty: Bool = false) {
        var meanings: [Meaning] = []
        for text in texts {
            if let meaning = meaning(text) {
                meanings.append(meaning)
            } else {
                report(node(), entry: entry, "'\(text)' is not a known meaning (a finding kind:value, not kind:value, intent:NAME, topic:ID or cue:NAME)")
            }
        }
        guard meanings.count == texts.count else { return }
        if list.isEmpty && !allowEmpty { report(node(), entry: entry, "no phrases") }
        for text in list {
            let tokens = tokenizer.tokens(text)
            let words = tokens.map(\.text)
            guard !words.isEmpty, !tokens.contains(where: \.isMark) else {
                report(node(), entry: entry, "'\(text)' is not a phrase of words")
                continue
            }
            let key = words.joined(separator: " ")
            // "what should he eat" is read as "what should i eat": under another entry it would
            // hide or be hidden by that one. (Under the same entry it only says it again.)
            let matched = words.map { matchedAs[$0] ?? $0 }.joined(separator: " ")
            if matched != key, let earlier = seenMatched[matched], earlier != entry {
                report(
                    node(), entry: entry,
                    "the phrase '\(text)' reads as '\(matched)', which is listed under \(earlier) ('\(words.filter { matchedAs[$0] != nil }.joined(separator: "', '"))' is matched as another word: stand_ins)"
                )
                continue
            }
            if let earlier = seen[key] {
                let problem =
                    earlier.entry == entry
                    ? "the phrase '\(text)' is listed twice (it reads as '\(key)')"
                    : "the phrase '\(text)' is also listed under \(earlier.entry); a phrase may have one entry (use a combination for several meanings)"
                report(node(), entry: entry, problem)
                continue
            }
            seen[key] = (phrases.count, entry)
            if seenMatched[matched] == nil { seenMatched[matched] = entry }
            phrases.append((words, meanings))
        }
    }

    func meaning(_ text: String) -> Meaning? {
        if text.hasPrefix("intent:") { return Intent(rawValue: String(text.dropFirst(7))).map(Meaning.intent) }
        if text.hasPrefix("topic:") {
            let id = String(text.dropFirst(6))
            return knowledge.topic(id) != nil ? .topic(id) : nil
        }
        if text.hasPrefix("cue:") { return Cue(rawValue: String(text.dropFirst(4))).map(Meaning.cue) }
        if let finding = Finding(parsing: text), knowledge.knows(finding) { return .finding(finding) }
        if text.hasPrefix("not "), let finding = Finding(parsing: String(text.dropFirst(4))), knowledge.knows(finding) {
            return .denial(finding)
        }
        return nil
    }

    mutating func report(_ node: Node?, entry: String, _ problem: String) {
        issues.append(KnowledgeIssue(file: file, line: node?.mark?.line, entry: entry, problem: problem))
    }
}

/// A set of finding kinds, one bit each by `FindingKind.index`.
struct FindingKindSet: Sendable {
    private var bits: UInt16 = 0

    mutating func insert(_ kind: FindingKind) { bits |= 1 << UInt16(kind.index) }
    func contains(_ kind: FindingKind) -> Bool { bits & (1 << UInt16(kind.index)) != 0 }
    var isEmpty: Bool { bits == 0 }
}

/// A time or a rate said in a clause about something else is that thing's, not the cramps':
/// "went through the menopause a few years ago", "tingling in my toes sometimes", "gym 5x a
/// week", "sat with my legs crossed for ages". The lexicon's `own_times` says which findings are
/// times (`times`), which findings own the times of their clause (`owners`, less `except`), and
/// the concept whose words name the cramps themselves (`cramps`): a clause that names them keeps
/// its times ("calf cramps after running for about a week").
/// (Sets of bits, not hashed sets: a finding is asked about each time one is read.)
struct OwnTimes: Sendable {
    var timeKinds = FindingKindSet()
    var timeFindings = FindingSet()
    var ownerKinds = FindingKindSet()
    var ownerFindings = FindingSet()
    var exceptions = FindingSet()
    var crampConcept: ConceptSet = 0

    func isTime(_ finding: Finding) -> Bool { timeKinds.contains(finding.kind) || timeFindings.contains(finding) }
    func isOwner(_ finding: Finding) -> Bool {
        !exceptions.contains(finding) && (ownerKinds.contains(finding.kind) || ownerFindings.contains(finding))
    }
}
