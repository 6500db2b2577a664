import Knowledge

/// Finds the lexicon word a misspelt word was meant to be, with a symmetric-delete index
/// (every word with one or two letters removed), so a lookup costs a few hash probes instead of
/// a scan of the vocabulary. Only words of five letters or more are corrected, with one edit
/// (two from nine letters), and the first letter must agree: "numbnes" -> "numbness", but
/// "light" is never read as "night".
struct SpellingIndex: Sendable {
    let words: Set<String>
    /// The words that can be suggested, by number.
    private var candidates: [String] = []
    /// Every delete-variant of every candidate as a 64-bit hash of its bytes, with the number of
    /// its word, sorted by hash (a hash's owners side by side): built without making a string
    /// per variant. Two variants that share a hash only add a candidate, which the edit distance
    /// then rejects, so the answer is the same as with the variants themselves.
    private var hashes: [UInt64] = []
    private var owners: [Int32] = []
    /// Where each distinct hash starts in `hashes`: one or two probes where a bisection of the
    /// whole array took seventeen, most of them cache misses.
    private var starts = HashSlots()
    /// The longest candidate's length. A word more than two letters longer can be no candidate
    /// within the edits allowed, so it is never looked up: the variants of a word of n letters
    /// cost O(n^3) to hash (n^2/2 variants of n bytes), and a pasted word of 4,000 letters took
    /// 42 s. This bound makes a lookup O(1) in the length of the input.
    private var longest = 0
    /// The letters beyond ASCII the candidates use. Each letter of a word outside them costs an
    /// edit, so a word with more such letters than two edits can be no candidate's misspelling
    /// and is never looked up (a message in another script, or of every Unicode plane).
    private var otherLetters: Set<Unicode.Scalar> = []

    static let minimumLength = 5

    static func allowedEdits(_ length: Int) -> Int { length >= 9 ? 2 : 1 }

    init(words: Set<String>) {
        self.words = words
        var pairs: [(hash: UInt64, owner: Int32)] = []
        for word in words.sorted() where word.count >= Self.minimumLength && Words.isAllLetters(word) {
            let owner = Int32(candidates.count)
            candidates.append(word)
            longest = max(longest, word.count)
            otherLetters.formUnion(word.unicodeScalars.filter { !$0.isASCII })
            for hash in Self.variantHashes(of: word, edits: Self.allowedEdits(word.count)) { pairs.append((hash, owner)) }
        }
        pairs.sort { ($0.hash, $0.owner) < ($1.hash, $1.owner) }
        hashes = pairs.map(\.hash)
        owners = pairs.map(\.owner)
        starts = HashSlots(capacity: hashes.count)
        for index in hashes.indices where index == 0 || hashes[index - 1] != hashes[index] {
            starts.insert(hashes[index], Int32(index))
        }
    }

    /// The first position of `hash` in `hashes`, or `hashes.count` when it is not there.
    private func start(of hash: UInt64) -> Int {
        starts.first(hash) { _ in true }.map(Int.init) ?? hashes.count
    }

    func contains(_ word: String) -> Bool { words.contains(word) }

    /// Whether the word has more letters that no lexicon word uses than two edits could
    /// mend: then it is no lexicon word, no form of one and no misspelling of one.
    func isForeign(_ word: String) -> Bool {
        guard !Words.isASCII(word) else { return false }
        var outside = 0
        for scalar in word.unicodeScalars where !scalar.isASCII && !otherLetters.contains(scalar) {
            outside += 1
            if outside > 2 { return true }
        }
        return false
    }

    /// The closest lexicon word, or nil when none is close enough.
    func correction(for word: String) -> String? {
        // The length in bytes first: never count the characters of a long word.
        guard word.utf8.count <= 4 * (longest + 2), !isForeign(word) else { return nil }
        let length = word.count
        guard length >= Self.minimumLength, length <= longest + 2, Words.isAllLetters(word) else { return nil }
        let edits = Self.allowedEdits(length)
        // Ties go to the longer word (typing drops letters more often than it adds them), then
        // alphabetical order, so the result never depends on hashing.
        var best: (distance: Int, word: String)?
        var tried: [Int32] = []
        for hash in Self.variantHashes(of: word, edits: edits) {
            var index = start(of: hash)
            while index < hashes.count && hashes[index] == hash {
                let owner = owners[index]
                index += 1
                guard !tried.contains(owner) else { continue }
                tried.append(owner)
                let candidate = candidates[Int(owner)]
                guard candidate.first == word.first,
                    let distance = EditDistance.distance(candidate, word, limit: min(edits, Self.allowedEdits(candidate.count)))
                else { continue }
                if best == nil || (distance, -candidate.count, candidate) < (best!.distance, -best!.word.count, best!.word) {
                    best = (distance, candidate)
                }
            }
        }
        return best?.word
    }

    /// Hashes of the word and of every string made by deleting up to `edits` characters from it,
    /// each once, cut from the word's bytes at its character boundaries without a string per
    /// variant (a byte per character in ASCII words, which are nearly all).
    static func variantHashes(of word: String, edits: Int) -> [UInt64] {
        let bytes = Array(word.utf8)
        // Where each character starts in `bytes`, and the end.
        var bounds: [Int]
        if bytes.allSatisfy({ $0 < 0x80 }) {
            bounds = Array(0...bytes.count)
        } else {
            bounds = [0]
            for character in word { bounds.append(bounds[bounds.count - 1] + character.utf8.count) }
        }
        let count = bounds.count - 1
        func hash(deleting first: Int, _ second: Int) -> UInt64 {
            var hash = FNV1a()
            for character in 0..<count where character != first && character != second {
                for index in bounds[character]..<bounds[character + 1] { hash.add(bytes[index]) }
            }
            return hash.value
        }
        var result: [UInt64] = []
        result.reserveCapacity(1 + count + (edits >= 2 ? count * (count - 1) / 2 : 0))
        // Deleting nothing, one character, or two (first < second).
        for first in -1..<count {
            result.append(hash(deleting: first, -1))
            if edits >= 2 && first >= 0 {
                for second in (first + 1)..<count { result.append(hash(deleting: first, second)) }
            }
        }
        result.sort()
        var unique = 0
        for index in result.indices where unique == 0 || result[unique - 1] != result[index] {
            result[unique] = result[index]
            unique += 1
        }
        result.removeSubrange(unique...)
        return result
    }
}
