import Foundation

/// A number for every word the matcher looks up, with everything it needs to know about the
/// word: whether spelling correction leaves it alone, the phrases it starts, its value as a
/// number or unit of time, its contraction, and its roles (function word, clause start,
/// question word, filler). A word is hashed once, when the tokenizer reads it; every later
/// question about it is an array index.
struct WordTable: Sendable {
    /// What the matcher knows about one word.
    struct Info: Sendable {
        /// A word of the lexicon (or of its keep list): never "corrected".
        var skipsCorrection = false
        /// The phrases that start with the word, longest first.
        var phrases: [Phrase] = [] {
            didSet {
                phraseKeys = []
                phraseIDs = []
                for phrase in phrases {
                    let second = phrase.ids.count > 1 ? phrase.ids[1] : WordTable.unknown
                    phraseKeys.append(PhraseKey(second: second, count: Int32(phrase.ids.count), start: Int32(phraseIDs.count)))
                    phraseIDs += phrase.ids
                }
            }
        }
        /// Each phrase's second word, length and place in `phraseIDs`, in the order of
        /// `phrases`: read in one dense array, most phrases are ruled out (and a phrase of one
        /// word is taken) without reading the phrase.
        private(set) var phraseKeys: [PhraseKey] = []
        /// The words of `phrases` by number, end to end: a phrase is compared with the message
        /// here, and read only when it matches.
        private(set) var phraseIDs: [Int32] = []
        var number: Double?
        var unit: TimeUnit?
        /// "dont" -> do, not: the tokens it stands for.
        var expansion: [Token]?
        var isFunctionWord = false
        var startsClause = false
        var isQuestionWord = false
        /// Puts a person in a sentence (`Reading.personWords`).
        var isPersonWord = false
        var isFillerWord = false
        /// May stand inside a phrase without breaking it ("really" in "can't really feel").
        var isInsert = false
        /// The lexicon's concepts the word belongs to, as bits (`Pattern`).
        var concepts: ConceptSet = 0
        /// The word read as another ("her" as "my": "her face is drooping" matches "my face is
        /// drooping"). The interpreter gives its token the other's number, so every fact asked
        /// by number (phrases, concepts, function word, clause start) is the other's; the
        /// token's text stays what was written.
        var matchAs: Int32 = WordTable.unknown
    }

    static let unknown: Int32 = -1

    /// A phrase's second word (`unknown` for a phrase of one word) and its number of words.
    struct PhraseKey: Sendable {
        let second: Int32
        let count: Int32
        /// Where its words start in `Info.phraseIDs`.
        let start: Int32
    }

    private var ids: [String: Int32] = [:]
    private(set) var info: [Info] = []
    /// Each word, by number (a token of a known word shares it instead of making its own).
    private var words: [String] = []

    // The words again, for the tokenizer's lookup straight from the bytes it read: their bytes
    // end to end, where each starts, and the ASCII ones' numbers by hash.
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    private var asciiWords = HashSlots()
    /// The words beyond ASCII, apart (few, or none): a word of another script is looked up
    /// among them alone. In the whole table, comparing it with each colliding ASCII key on the
    /// way took a Unicode comparison each time, and how many depended on the process's hash seed.
    private var otherIDs: [String: Int32] = [:]

    /// The word's number, made if it has none.
    mutating func add(_ word: String) -> Int32 {
        if let id = ids[word] { return id }
        let id = Int32(info.count)
        ids[word] = id
        info.append(Info())
        words.append(word)
        bytes += word.utf8
        starts.append(bytes.count)
        if word.utf8.allSatisfy({ $0 < 0x80 }) { asciiWords.insert(FNV1a.hash(word.utf8), id) } else { otherIDs[word] = id }
        return id
    }

    /// The word's number, or `unknown`.
    func id(_ word: String) -> Int32 {
        // A text beyond ASCII equal to an ASCII word would be ASCII once normalised; none is.
        (word.utf8.allSatisfy { $0 < 0x80 } ? ids[word] : otherIDs[word]) ?? Self.unknown
    }

    /// The number of the word whose UTF-8 is `word`, or `unknown`: for ASCII words only (a
    /// String lookup also matches other spellings of the same Unicode text; bytes would not).
    func id(ascii word: UnsafeBufferPointer<UInt8>) -> Int32 {
        asciiWords.first(FNV1a.hash(word)) { id in
            let index = Int(id)
            return starts[index + 1] - starts[index] == word.count
                && bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + starts[index], word.baseAddress!, word.count) == 0 }
        } ?? Self.unknown
    }

    /// Word number `id`.
    func word(_ id: Int32) -> String { words[Int(id)] }

    // What is known about word number `id` (nothing for `unknown`), one fact at a time, so
    // that no whole `Info` is copied.
    func skipsCorrection(_ id: Int32) -> Bool { id >= 0 && info[Int(id)].skipsCorrection }
    func phrases(_ id: Int32) -> [Phrase]? { id >= 0 ? info[Int(id)].phrases : nil }
    func phraseKeys(_ id: Int32) -> [PhraseKey] { id >= 0 ? info[Int(id)].phraseKeys : [] }
    func phraseIDs(_ id: Int32) -> [Int32] { id >= 0 ? info[Int(id)].phraseIDs : [] }
    func number(_ id: Int32) -> Double? { id >= 0 ? info[Int(id)].number : nil }
    func unit(_ id: Int32) -> TimeUnit? { id >= 0 ? info[Int(id)].unit : nil }
    func expansion(_ id: Int32) -> [Token]? { id >= 0 ? info[Int(id)].expansion : nil }
    func isFunctionWord(_ id: Int32) -> Bool { id >= 0 && info[Int(id)].isFunctionWord }
    func startsClause(_ id: Int32) -> Bool { id >= 0 && info[Int(id)].startsClause }
    func isQuestionWord(_ id: Int32) -> Bool { id >= 0 && info[Int(id)].isQuestionWord }
    func isPersonWord(_ id: Int32) -> Bool { id >= 0 && info[Int(id)].isPersonWord }
    func isFillerWord(_ id: Int32) -> Bool { id >= 0 && info[Int(id)].isFillerWord }
    func isInsert(_ id: Int32) -> Bool { id >= 0 && info[Int(id)].isInsert }
    func concepts(_ id: Int32) -> ConceptSet { id >= 0 ? info[Int(id)].concepts : 0 }
    func matchAs(_ id: Int32) -> Int32 { id >= 0 ? info[Int(id)].matchAs : Self.unknown }

    /// What the quantity reader asks of a word, its value as a number or unit of time, without
    /// the rest of the table: a copy of the whole table retains every array it holds.
    struct Amounts: Sendable {
        fileprivate let info: [Info]
        func number(_ id: Int32) -> Double? { id >= 0 ? info[Int(id)].number : nil }
        func unit(_ id: Int32) -> TimeUnit? { id >= 0 ? info[Int(id)].unit : nil }
    }

    var amounts: Amounts { Amounts(info: info) }

    /// Word number `id`'s facts. Changed in place (`_modify`): with a plain setter, setting one
    /// fact copied the whole `Info` out and back, thousands of times while the lexicon is built.
    subscript(id: Int32) -> Info {
        get { info[Int(id)] }
        _modify { yield &info[Int(id)] }
    }
}

/// A set of word numbers (`WordTable` ids) as bits: a word is told by one load, not by hashing.
struct WordIDSet: Sendable {
    private var bits: [UInt64] = []

    init() {}

    /// The known words of `ids` (`WordTable.unknown` and other negative numbers are left out).
    init(_ ids: [Int32]) {
        for id in ids where id >= 0 {
            let word = Int(id) / 64
            if word >= bits.count { bits.append(contentsOf: repeatElement(0, count: word - bits.count + 1)) }
            bits[word] |= 1 << UInt64(Int(id) % 64)
        }
    }

    @inline(__always)
    func contains(_ id: Int32) -> Bool {
        guard id >= 0 else { return false }
        let word = Int(id) / 64
        return word < bits.count && bits[word] & (1 << UInt64(Int(id) % 64)) != 0
    }
}
