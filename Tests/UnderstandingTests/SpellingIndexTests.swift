import Knowledge
import TestSupport
import Testing

@testable import Understanding

@Suite("Spelling correction by hashed delete-variants")
struct SpellingIndexTests {
    /// What the index must answer: the closest eligible word by a scan of them all, with the
    /// same rules (five letters or more, the first letter kept, one edit or two from nine
    /// letters, ties to the longer word, then alphabetical).
    static func bruteForce(_ word: String, in words: Set<String>) -> String? {
        guard word.count >= SpellingIndex.minimumLength, Words.isAllLetters(word) else { return nil }
        let edits = SpellingIndex.allowedEdits(word.count)
        var best: (distance: Int, word: String)?
        for candidate in words.sorted()
        where candidate.count >= SpellingIndex.minimumLength && Words.isAllLetters(candidate) && candidate.first == word.first {
            guard let distance = EditDistance.distance(candidate, word, limit: min(edits, SpellingIndex.allowedEdits(candidate.count))) else { continue }
            if best == nil || (distance, -candidate.count, candidate) < (best!.distance, -best!.word.count, best!.word) {
                best = (distance, candidate)
            }
        }
        return best?.word
    }

    @Test("a word longer than any lexicon word by more than the edits allowed is never looked up, and the longest still are")
    func longWordsAreBounded() throws {
        let index = sharedInterpreter.lexicon.spelling
        let longest = index.words.filter { $0.count >= SpellingIndex.minimumLength && Words.isAllLetters($0) }.max { $0.count < $1.count }!
        // Two letters added at the end: within reach, and still found.
        #expect(index.correction(for: longest + "xx") == longest)
        // Far beyond reach: a pasted word of 4,000 letters (it used to take 42 s, the
        // variants' hashing growing with the cube of the length).
        #expect(index.correction(for: String(repeating: longest, count: 4_000 / longest.count + 1)) == nil)
        #expect(sharedInterpreter.interpret(String(repeating: "n", count: 4_000)).intent == .unrecognized)
    }

    @Test("the index answers as a scan of every word would, on thousands of seeded misspellings of lexicon words")
    func agreesWithScan() throws {
        let words = sharedInterpreter.lexicon.spelling.words
        let index = SpellingIndex(words: words)
        let eligible = words.filter { $0.count >= SpellingIndex.minimumLength && Words.isAllLetters($0) }.sorted()
        #expect(eligible.count > 100)
        var random = SeededRandom(seed: 0xc0ffee)
        func next(_ bound: Int) -> Int { Int.random(in: 0..<bound, using: &random) }
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        var corrected = 0
        for _ in 0..<4_000 {
            var characters = Array(eligible[next(eligible.count)])
            for _ in 0...next(3) {
                let at = next(characters.count)
                switch next(4) {
                case 0 where characters.count > 1: characters.remove(at: at)
                case 1: characters.insert(letters[next(26)], at: at)
                case 2: characters[at] = letters[next(26)]
                default: if at + 1 < characters.count { characters.swapAt(at, at + 1) }
                }
            }
            let typed = String(characters)
            let expected = Self.bruteForce(typed, in: words)
            #expect(index.correction(for: typed) == expected, "\(typed)")
            if expected != nil { corrected += 1 }
        }
        #expect(corrected > 1_000, "most misspellings are close enough to correct")
    }

    @Test("words beyond ASCII are indexed and corrected too")
    func beyondASCII() {
        let index = SpellingIndex(words: ["crème", "brûlée", "numbness"])
        #expect(index.correction(for: "crèmme") == "crème")
        #expect(index.correction(for: "brûlé") == "brûlée")
        #expect(index.correction(for: "numbnes") == "numbness")
        #expect(index.correction(for: "xumbness") == nil, "the first letter is kept")
    }
}
