/// One unit of an utterance after normalising: a lower-case word, a number, or a punctuation
/// mark that matters for meaning (sentence and clause ends, question marks).
struct Token: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case word
        case number(Double)
        /// `.`, `,`, `?`, `!`, `;` or `:`.
        case mark(Character)
    }

    var text: String
    var kind: Kind
    /// The word's number in the lexicon's `WordTable` (`WordTable.unknown` for other words,
    /// numbers and marks).
    var id: Int32 = WordTable.unknown

    init(text: String, kind: Kind, id: Int32 = WordTable.unknown) {
        self.text = text
        self.kind = kind
        self.id = id
    }

    var isMark: Bool { if case .mark = kind { true } else { false } }
    var number: Double? { if case .number(let value) = kind { value } else { nil } }
    /// Sentence ends close negation scope; commas are handled separately.
    var endsSentence: Bool {
        if case .mark(let c) = kind { return c == "." || c == "?" || c == "!" || c == ";" }
        return false
    }
}

/// Turns text into tokens: lower case, curly quotes straightened, emoji and stray symbols
/// dropped, contractions expanded, digits split from letters ("2hrs" -> "2", "hrs").
struct Tokenizer: Sendable {
    /// "don't" -> ["do", "not"], from the lexicon.
    var contractions: [String: [String]]
    init(contractions: [String: [String]]) {
        self.contractions = contractions
    }

    /// The tokens of `text`. With the lexicon's `words`, each word gets its number there (one
    /// lookup, which also finds its expansion when it is a contraction); without them (while
    /// the lexicon itself is being built) words get none.
    /// Reading stops once there are more than `limit` tokens (the matcher reads no more), so
    /// the text after them costs nothing.
    func tokens(_ text: String, words table: WordTable? = nil, limit: Int = .max) -> [Token] {
        var reader = Reader(contractions: contractions, capacity: min(text.utf8.count / 4, limit) + 1)
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        while index < scalars.endIndex && reader.tokens.count <= limit {
            let scalar = scalars[index]
            index = scalars.index(after: index)
            switch scalar {
            case "A"..."Z":
                reader.word.append(UInt8(scalar.value + 32))
                reader.hasLetter = true
            case "a"..."z":
                reader.word.append(UInt8(scalar.value))
                reader.hasLetter = true
            case "0"..."9":
                reader.word.append(UInt8(scalar.value))
                reader.hasDigit = true
            case ".":
                // A decimal point inside a number stays; otherwise it ends a sentence.
                let nextIsDigit = index < scalars.endIndex && ("0"..."9").contains(scalars[index])
                if reader.hasDigit && !reader.hasLetter && nextIsDigit {
                    reader.word.append(UInt8(ascii: "."))
                } else {
                    reader.flushWord(table)
                    Self.appendMark(".", to: &reader.tokens)
                }
            case "'", "\u{2019}", "\u{2018}", "`", "\u{00B4}":
                reader.word.append(UInt8(ascii: "'"))
                reader.hasApostrophe = true
            case ",", "?", "!", ";", ":":
                reader.flushWord(table)
                Self.appendMark(Character(scalar), to: &reader.tokens)
            case "\u{FF1F}":  // full-width question mark
                reader.flushWord(table)
                Self.appendMark("?", to: &reader.tokens)
            case "/":
                // Keep "/help" whole; elsewhere "and/or" splits.
                if reader.word.isEmpty && (reader.tokens.isEmpty || reader.tokens.last?.isMark == true) {
                    reader.word.append(UInt8(ascii: "/"))
                } else {
                    reader.flushWord(table)
                }
            case "&":
                if !reader.word.isEmpty { reader.word.append(UInt8(ascii: "&")) } else { reader.flushWord(table) }
            case " ", "-", "\n", "\t", "\r", "\"", "(", ")":
                reader.flushWord(table)
            default:
                let kind = scalar.value >= 0x80 ? reader.kind(of: scalar) : .other
                if kind != .other {
                    // Letters beyond ASCII (é, ü, ...) are kept, lower-cased; only a capital
                    // needs a string to lower-case it.
                    if kind == .capital {
                        reader.word.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
                    } else {
                        UTF8.encode(scalar) { reader.word.append($0) }
                    }
                    reader.hasLetter = true
                    reader.isASCII = false
                } else {
                    reader.flushWord(table)  // spaces, hyphens, emoji, symbols
                }
            }
        }
        reader.flushWord(table)
        return reader.tokens
    }

    /// The tokens so far and the word being read. A struct with methods rather than local
    /// functions over local variables: those are boxed and every access checked for
    /// exclusivity at run time (a quarter of the tokenizer's time in a profile). The word table
    /// is handed to the methods that look words up, not kept: a copy of it retains every array
    /// it holds.
    private struct Reader {
        let contractions: [String: [String]]
        var tokens: [Token] = []
        /// UTF-8 of the word being read; far cheaper than String appends.
        var word: [UInt8] = []
        var hasLetter = false
        var hasDigit = false
        var hasApostrophe = false
        var isASCII = true
        /// What the scalars beyond ASCII met so far are: asking Unicode's tables costs more than
        /// the rest of reading a letter, and a text in another script uses few letters, often.
        /// Direct-mapped by a hash of the scalar; made at the first such scalar.
        private var kinds: [(scalar: UInt32, kind: LetterKind)] = []

        enum LetterKind { case letter, capital, other }

        mutating func kind(of scalar: Unicode.Scalar) -> LetterKind {
            if kinds.isEmpty { kinds = Array(repeating: (0, .other), count: 256) }
            // Mixed, so that the letters of one script, or a letter of each plane, spread out.
            let slot = Int((scalar.value &* 0x9E37_79B1) >> 24)
            if kinds[slot].scalar == scalar.value { return kinds[slot].kind }
            let properties = scalar.properties
            let kind: LetterKind = !properties.isAlphabetic ? .other : properties.changesWhenLowercased ? .capital : .letter
            kinds[slot] = (scalar.value, kind)
            return kind
        }

        init(contractions: [String: [String]], capacity: Int) {
            self.contractions = contractions
            tokens.reserveCapacity(capacity)
            word.reserveCapacity(32)
        }

        func wordToken(_ text: String, _ table: WordTable?) -> Token {
            Token(text: text, kind: .word, id: table?.id(text) ?? WordTable.unknown)
        }

        mutating func flushWord(_ table: WordTable?) {
            guard !word.isEmpty else { return }
            // The common case, a word of ASCII letters, is looked up from its bytes: a known
            // word's token shares the table's text instead of making its own.
            if let table, isASCII && !hasDigit && !hasApostrophe && word.first != UInt8(ascii: "/") {
                let id = word.withUnsafeBufferPointer { table.id(ascii: $0) }
                if id != WordTable.unknown {
                    word.removeAll(keepingCapacity: true)
                    hasLetter = false
                    if let expansion = table.expansion(id) {
                        tokens.append(contentsOf: expansion)
                    } else {
                        tokens.append(Token(text: table.word(id), kind: .word, id: id))
                    }
                    return
                }
            }
            var text = String(decoding: word, as: UTF8.self)
            word.removeAll(keepingCapacity: true)
            let hadApostrophe = hasApostrophe
            let hadLetter = hasLetter
            let hadDigit = hasDigit
            hasLetter = false
            hasDigit = false
            hasApostrophe = false
            isASCII = true
            if hadApostrophe {
                // Trailing/leading apostrophes are quotes, not part of the word.
                while text.last == "'" { text.removeLast() }
                while text.first == "'" { text.removeFirst() }
                guard !text.isEmpty else { return }
            }
            if hadDigit && !hadLetter, let value = Double(text) {
                tokens.append(Token(text: text, kind: .number(value), id: table?.id(text) ?? WordTable.unknown))
                return
            }
            if hadDigit && hadLetter {
                splitDigits(text, table)
                return
            }
            appendWord(text, hasApostrophe: hadApostrophe, table)
        }

        mutating func appendWord(_ text: String, hasApostrophe: Bool = true, _ table: WordTable?) {
            if let table {
                // The common case in one lookup: the word's number, or its expansion.
                let id = table.id(text)
                if let expansion = table.expansion(id) {
                    tokens.append(contentsOf: expansion)
                    return
                }
                if !hasApostrophe {
                    tokens.append(Token(text: text, kind: .word, id: id))
                    return
                }
            }
            if let expansion = contractions[text] {
                for part in expansion { tokens.append(wordToken(part, table)) }
            } else if !hasApostrophe {
                tokens.append(wordToken(text, table))
            } else if text.hasSuffix("'s") {
                tokens.append(wordToken(String(text.dropLast(2)), table))  // possessive: "calf's" -> "calf"
            } else if text.contains(where: { $0 == "'" }) {
                let bare = text.filter { $0 != "'" }
                if let expansion = contractions[bare] {
                    for part in expansion { tokens.append(wordToken(part, table)) }
                } else {
                    tokens.append(wordToken(bare, table))
                }
            } else {
                tokens.append(wordToken(text, table))
            }
        }

        /// "2hrs" -> 2, "hrs"; "l5" -> "l", 5; "4am" -> 4, "am".
        mutating func splitDigits(_ text: String, _ table: WordTable?) {
            var run = ""
            var runIsDigit = false
            for ch in text {
                let isDigit = ch.isNumber || (ch == "." && runIsDigit)
                if !run.isEmpty && isDigit != runIsDigit {
                    emit(run, isDigit: runIsDigit, table)
                    run = ""
                }
                runIsDigit = isDigit
                run.append(ch)
            }
            if !run.isEmpty { emit(run, isDigit: runIsDigit, table) }
        }

        private mutating func emit(_ run: String, isDigit: Bool, _ table: WordTable?) {
            if isDigit, let value = Double(run) {
                tokens.append(Token(text: run, kind: .number(value), id: table?.id(run) ?? WordTable.unknown))
            } else {
                appendWord(run, table)
            }
        }
    }

    private static func appendMark(_ mark: Character, to tokens: inout [Token]) {
        // "???" and "..." count once.
        if tokens.last?.kind == .mark(mark) { return }
        tokens.append(Token(text: String(mark), kind: .mark(mark)))
    }
}
