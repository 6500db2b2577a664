/// Small word-level readings of raw text that the conversation needs besides the tokens. ASCII
/// text (nearly all of it) is read byte by byte; anything else goes through `Character`, which
/// knows every script's letters but costs far more.
public enum Words {
    /// Lower case, letters and digits only, words joined by one space: "Not sure!" -> "not sure".
    public static func normalised(_ text: String) -> String {
        guard isASCII(text) else {
            return text.lowercased().split { !$0.isLetter && !$0.isNumber }.joined(separator: " ")
        }
        // Written straight into the string's storage: the normalised text is never longer than
        // the text (each byte of it stands for one of the text's, a space for at least one).
        return String(unsafeUninitializedCapacity: text.utf8.count) { storage in
            var count = 0
            _ = normalisedBytes(ofASCII: text) { byte in
                guard count < storage.count else { return false }
                storage[count] = byte
                count += 1
                return true
            }
            return count
        }
    }

    /// Whether `normalised(text) == normalisedLabel`, without making the normalised text (a
    /// typed answer is compared with every suggestion of the pending question).
    public static func normalised(_ text: String, equals normalisedLabel: String) -> Bool {
        guard isASCII(text) else {
            // An answer is a few words and some marks or emoji: a text of more than 256 bytes
            // beyond four times the label's length is no match, and is not normalised to find
            // that out (a pasted 4,000-character message was, for every suggestion).
            guard text.utf8.count <= 4 * normalisedLabel.utf8.count + 256 else { return false }
            return normalised(text) == normalisedLabel
        }
        var label = normalisedLabel.utf8.makeIterator()
        return normalisedBytes(ofASCII: text) { label.next() == $0 } && label.next() == nil
    }

    /// A typed answer made ready to be compared with many normalised labels (every suggestion of
    /// a question, or of every question): `matches(label)` is `normalised(text, equals: label)`,
    /// with a text of ASCII normalised once instead of once a label.
    public struct Answer: Sendable {
        public let text: String
        private let normalisedASCII: String?

        public init(_ text: String) {
            self.text = text
            normalisedASCII = Words.isASCII(text) ? Words.normalised(text) : nil
        }

        public func matches(_ normalisedLabel: String) -> Bool {
            if let normalisedASCII { return normalisedASCII == normalisedLabel }
            return Words.normalised(text, equals: normalisedLabel)
        }
    }

    /// Hands `body` the bytes of `normalised(text)` one by one, for ASCII text; stops, and
    /// returns false, as soon as `body` does.
    private static func normalisedBytes(ofASCII text: String, _ body: (UInt8) -> Bool) -> Bool {
        var pendingSpace = false
        var started = false
        for byte in text.utf8 {
            guard let letter = lowerLetterOrDigit(byte) else {
                pendingSpace = started
                continue
            }
            if pendingSpace {
                guard body(0x20) else { return false }
                pendingSpace = false
            }
            guard body(letter) else { return false }
            started = true
        }
        return true
    }

    /// A word's hash for `mayHold(anyOf:in:)` (FNV-1a over its UTF-8).
    public static func hash(ofWord word: Substring) -> UInt64 {
        var hash = FNV1a()
        for byte in word.utf8 { hash.add(byte) }
        return hash.value
    }

    /// For ASCII text, the `hash(ofWord:)` of every word of `normalised(text)`, in order, without
    /// making the normalised text; nil for other text. What `mayHold(anyOf:in:)` reads, once for
    /// many lists of words.
    public static func wordHashes(in text: String) -> [UInt64]? {
        var hashes: [UInt64] = []
        guard forEachWordHash(in: text, { hashes.append($0) }) else { return nil }
        return hashes
    }

    /// For ASCII text, whether a word of `normalised(text)` may be one of the words whose
    /// `hash(ofWord:)` is in `hashes`: false only when none is (equal words hash alike), without
    /// making the normalised text. Nil for other text.
    public static func mayHold(anyOf hashes: [UInt64], in text: String) -> Bool? {
        var found = false
        guard forEachWordHash(in: text, { if !found && hashes.contains($0) { found = true } }) else { return nil }
        return found
    }

    /// The `hash(ofWord:)` of each word of `normalised(text)` (its runs of letters and digits,
    /// lowercased), in order, read from the bytes; false, having read part of it, for text that is
    /// not ASCII.
    @inline(__always)
    private static func forEachWordHash(in text: String, _ body: (UInt64) -> Void) -> Bool {
        var hash = FNV1a()
        var inWord = false
        for byte in text.utf8 {
            guard byte < 0x80 else { return false }
            if let letter = lowerLetterOrDigit(byte) {
                hash.add(letter)
                inWord = true
            } else if inWord {
                body(hash.value)
                hash = FNV1a()
                inWord = false
            }
        }
        if inWord { body(hash.value) }
        return true
    }

    /// Whether the text speaks about the person themselves ("my calf", "I get", "I'm").
    public static func isPersonal(_ text: String) -> Bool {
        guard isASCII(text) else {
            let words = Set(text.lowercased().split { !$0.isLetter && $0 != "'" && $0 != "\u{2019}" }.map(String.init))
            return !words.isDisjoint(with: firstPerson)
        }
        var word: [UInt8] = []
        word.reserveCapacity(16)
        func isFirstPerson() -> Bool {
            defer { word.removeAll(keepingCapacity: true) }
            return word.count <= 6 && firstPersonASCII.contains(word)
        }
        for byte in text.utf8 {
            if let letter = lowerLetter(byte) ?? (byte == UInt8(ascii: "'") ? byte : nil) {
                word.append(letter)
            } else if !word.isEmpty, isFirstPerson() {
                return true
            }
        }
        return !word.isEmpty && isFirstPerson()
    }

    /// The first run of digits, as a number: "I'm 67" -> 67.
    public static func firstNumber(in text: String) -> Int? {
        guard isASCII(text) else { return text.split { !$0.isNumber }.first.flatMap { Int($0) } }
        var value: Int?
        for byte in text.utf8 {
            if byte >= 0x30 && byte <= 0x39 {
                let (product, overflow) = (value ?? 0).multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                value = product + Int(byte - 0x30)
            } else if value != nil {
                break
            }
        }
        return value
    }

    /// True when every character is a letter: `a`-`z` and `A`-`Z` by bytes, others by `Character`.
    public static func isAllLetters(_ word: String) -> Bool {
        guard isASCII(word) else { return word.allSatisfy(\.isLetter) }
        return word.utf8.allSatisfy { lowerLetter($0) != nil }
    }

    static let firstPerson: Set<String> = ["i", "my", "me", "i'm", "im", "i’m", "i've", "ive", "mine", "myself"]

    /// `firstPerson.contains(word)`, hashing only a word that starts with "i" or "m" (each of
    /// them does): a message's every token is asked.
    static func isFirstPerson(_ word: String) -> Bool {
        guard let first = word.utf8.first, first == UInt8(ascii: "i") || first == UInt8(ascii: "m") else { return false }
        return firstPerson.contains(word)
    }
    private static let firstPersonASCII: Set<[UInt8]> = Set(firstPerson.filter { isASCII($0) }.map { Array($0.utf8) })

    @inline(__always)
    static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }

    @inline(__always)
    private static func lowerLetter(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x61...0x7A: byte
        case 0x41...0x5A: byte + 0x20
        default: nil
        }
    }

    @inline(__always)
    private static func lowerLetterOrDigit(_ byte: UInt8) -> UInt8? {
        byte >= 0x30 && byte <= 0x39 ? byte : lowerLetter(byte)
    }
}
