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
    func tokens(_ text: String, words table: WordTable? = nil) -> [Token] {
        func wordToken(_ text: String) -> Token {
            Token(text: text, kind: .word, id: table?.id(text) ?? WordTable.unknown)
        }
        var tokens: [Token] = []
        tokens.reserveCapacity(text.utf8.count / 4 + 1)
        var word: [UInt8] = []  // UTF-8 of the word being read; far cheaper than String appends
        word.reserveCapacity(32)
        var wordHasLetter = false
        var wordHasDigit = false
        var wordHasApostrophe = false
        var wordIsASCII = true

        func flushWord() {
            guard !word.isEmpty else { return }
            // The common case, a word of ASCII letters, is looked up from its bytes: a known
            // word's token shares the table's text instead of making its own.
            if let table, wordIsASCII && !wordHasDigit && !wordHasApostrophe && word.first != UInt8(ascii: "/") {
                let id = word.withUnsafeBufferPointer { table.id(ascii: $0) }
                if id != WordTable.unknown {
                    word.removeAll(keepingCapacity: true)
                    wordHasLetter = false
                    if let expansion = table.expansion(id) {
                        tokens.append(contentsOf: expansion)
                    } else {
                        tokens.append(Token(text: table.word(id), kind: .word, id: id))
                    }
                    return
                }
            }
            wordIsASCII = true
            var text = String(decoding: word, as: UTF8.self)
            word.removeAll(keepingCapacity: true)
            let hadApostrophe = wordHasApostrophe
            defer { wordHasLetter = false; wordHasDigit = false; wordHasApostrophe = false }
            if hadApostrophe {
                // Trailing/leading apostrophes are quotes, not part of the word.
                while text.last == "'" { text.removeLast() }
                while text.first == "'" { text.removeFirst() }
                guard !text.isEmpty else { return }
            }
            if wordHasDigit && !wordHasLetter, let value = Double(text) {
                tokens.append(Token(text: text, kind: .number(value), id: table?.id(text) ?? WordTable.unknown))
                return
            }
            if wordHasDigit && wordHasLetter {
                splitDigits(text)
                return
            }
            appendWord(text, hasApostrophe: hadApostrophe)
        }

        func appendWord(_ text: String, hasApostrophe: Bool = true) {
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
                for part in expansion { tokens.append(wordToken(part)) }
            } else if !hasApostrophe {
                tokens.append(wordToken(text))
            } else if text.hasSuffix("'s") {
                tokens.append(wordToken(String(text.dropLast(2))))  // possessive: "calf's" -> "calf"
            } else if text.contains(where: { $0 == "'" }) {
                let bare = text.filter { $0 != "'" }
                if let expansion = contractions[bare] {
                    for part in expansion { tokens.append(wordToken(part)) }
                } else {
                    tokens.append(wordToken(bare))
                }
            } else {
                tokens.append(wordToken(text))
            }
        }

        /// "2hrs" -> 2, "hrs"; "l5" -> "l", 5; "4am" -> 4, "am".
        func splitDigits(_ text: String) {
            var run = ""
            var runIsDigit = false
            func emit() {
                guard !run.isEmpty else { return }
                if runIsDigit, let value = Double(run) {
                    tokens.append(Token(text: run, kind: .number(value), id: table?.id(run) ?? WordTable.unknown))
                } else {
                    appendWord(run)
                }
                run = ""
            }
            for ch in text {
                let isDigit = ch.isNumber || (ch == "." && runIsDigit)
                if !run.isEmpty && isDigit != runIsDigit { emit() }
                runIsDigit = isDigit
                run.append(ch)
            }
            emit()
        }

        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            index = scalars.index(after: index)
            switch scalar {
            case "A"..."Z":
                word.append(UInt8(scalar.value + 32))
                wordHasLetter = true
            case "a"..."z":
                word.append(UInt8(scalar.value))
                wordHasLetter = true
            case "0"..."9":
                word.append(UInt8(scalar.value))
                wordHasDigit = true
            case ".":
                // A decimal point inside a number stays; otherwise it ends a sentence.
                let nextIsDigit = index < scalars.endIndex && ("0"..."9").contains(scalars[index])
                if wordHasDigit && !wordHasLetter && nextIsDigit {
                    word.append(UInt8(ascii: "."))
                } else {
                    flushWord()
                    appendMark(".", to: &tokens)
                }
            case "'", "\u{2019}", "\u{2018}", "`", "\u{00B4}":
                word.append(UInt8(ascii: "'"))
                wordHasApostrophe = true
            case ",", "?", "!", ";", ":":
                flushWord()
                appendMark(Character(scalar), to: &tokens)
            case "\u{FF1F}":  // full-width question mark
                flushWord()
                appendMark("?", to: &tokens)
            case "/":
                // Keep "/help" whole; elsewhere "and/or" splits.
                if word.isEmpty && (tokens.isEmpty || tokens.last?.isMark == true) {
                    word.append(UInt8(ascii: "/"))
                } else {
                    flushWord()
                }
            case "&":
                if !word.isEmpty { word.append(UInt8(ascii: "&")) } else { flushWord() }
            case " ", "-", "\n", "\t", "\r", "\"", "(", ")":
                flushWord()
            default:
                if scalar.value >= 0x80 && scalar.properties.isAlphabetic {
                    // Letters beyond ASCII (é, ü, ...) are kept, lower-cased.
                    word.append(contentsOf: String(scalar).lowercased().utf8)
                    wordHasLetter = true
                    wordIsASCII = false
                } else {
                    flushWord()  // spaces, hyphens, emoji, symbols
                }
            }
        }
        flushWord()
        return tokens
    }

    private func appendMark(_ mark: Character, to tokens: inout [Token]) {
        // "???" and "..." count once.
        if tokens.last?.kind == .mark(mark) { return }
        tokens.append(Token(text: String(mark), kind: .mark(mark)))
    }
}
