import Knowledge

/// Finds the lexicon word a misspelt word was meant to be, with a symmetric-delete index
/// (every word with one or two letters removed), so a lookup costs a few hash probes instead of
/// a scan of the vocabulary. Only words of five letters or more are corrected, with one edit
/// (two from nine letters), and the first letter must agree: "numbnes" -> "numbness", but
/// "light" is never read as "night".
struct SpellingIndex: Sendable {
    let words: Set<String>
    private var deletes: [String: [String]] = [:]

    static let minimumLength = 5

    static func allowedEdits(_ length: Int) -> Int { length >= 9 ? 2 : 1 }

    init(words: Set<String>) {
        self.words = words
        for word in words.sorted() where word.count >= Self.minimumLength && Words.isAllLetters(word) {
            for variant in Self.variants(of: word, edits: Self.allowedEdits(word.count)) {
                deletes[variant, default: []].append(word)
            }
        }
    }

    func contains(_ word: String) -> Bool { words.contains(word) }

    /// The closest lexicon word, or nil when none is close enough.
    func correction(for word: String) -> String? {
        let length = word.count
        guard length >= Self.minimumLength, Words.isAllLetters(word) else { return nil }
        let edits = Self.allowedEdits(length)
        // Ties go to the longer word (typing drops letters more often than it adds them), then
        // alphabetical order, so the result never depends on hashing.
        var best: (distance: Int, word: String)?
        for variant in Self.variants(of: word, edits: edits) {
            for candidate in deletes[variant] ?? [] where candidate.first == word.first {
                guard let distance = EditDistance.distance(candidate, word, limit: min(edits, Self.allowedEdits(candidate.count))) else { continue }
                if best == nil || (distance, -candidate.count, candidate) < (best!.distance, -best!.word.count, best!.word) {
                    best = (distance, candidate)
                }
            }
        }
        return best?.word
    }

    /// The word and every string made by deleting up to `edits` characters from it. ASCII
    /// words (nearly all) are cut as bytes, which is several times cheaper than as Characters.
    private static func variants(of word: String, edits: Int) -> Set<String> {
        guard word.utf8.allSatisfy({ $0 < 0x80 }) else { return characterVariants(of: word, edits: edits) }
        var result: Set<String> = [word]
        var frontier: [[UInt8]] = [Array(word.utf8)]
        for _ in 0..<edits {
            var next: [[UInt8]] = []
            for item in frontier where item.count > 1 {
                for index in item.indices {
                    var copy = item
                    copy.remove(at: index)
                    if result.insert(String(decoding: copy, as: UTF8.self)).inserted { next.append(copy) }
                }
            }
            frontier = next
        }
        return result
    }

    private static func characterVariants(of word: String, edits: Int) -> Set<String> {
        var result: Set<String> = [word]
        var frontier: Set<String> = [word]
        for _ in 0..<edits {
            var next = Set<String>()
            for item in frontier where item.count > 1 {
                let characters = Array(item)
                for index in characters.indices {
                    var copy = characters
                    copy.remove(at: index)
                    next.insert(String(copy))
                }
            }
            result.formUnion(next)
            frontier = next
        }
        return result
    }
}
