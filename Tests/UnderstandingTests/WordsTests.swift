import TestSupport
import Testing

@testable import Understanding

@Suite("Word-level readings of raw text")
struct WordsTests {
    /// The `Character`-based readings the byte paths stand in for.
    static func referenceNormalised(_ text: String) -> String {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }.joined(separator: " ")
    }

    static func referencePersonal(_ text: String) -> Bool {
        let words = Set(text.lowercased().split { !$0.isLetter && $0 != "'" && $0 != "\u{2019}" }.map(String.init))
        return !words.isDisjoint(with: Words.firstPerson)
    }

    static func referenceNumber(_ text: String) -> Int? {
        text.split { !$0.isNumber }.first.flatMap { Int($0) }
    }

    @Test("examples, ASCII and not")
    func examples() {
        #expect(Words.normalised("  Not SURE!! ") == "not sure")
        #expect(Words.normalised("Both, left-and right") == "both left and right")
        #expect(Words.normalised("Ça va? Très bien") == "ça va très bien")
        #expect(
            Words.normalised(" Not  sure! ", equals: "not sure") && !Words.normalised("not sure", equals: "not")
                && !Words.normalised("not", equals: "not sure") && Words.normalised("...", equals: ""))
        // Beyond ASCII too, with emoji around; a pasted long message is no answer of a few words.
        #expect(Words.normalised("LEFT 👍👍👍", equals: "left") && Words.normalised("Très bien", equals: "très bien"))
        #expect(!Words.normalised(String(repeating: "é ", count: 2000), equals: "left"))
        #expect(Words.isPersonal("My calf hurts") && Words.isPersonal("i'm 40") && Words.isPersonal("I’m fine"))
        #expect(!Words.isPersonal("what causes cramps?") && !Words.isPersonal("mime"))
        #expect(Words.firstNumber(in: "I'm 67 and 3") == 67 && Words.firstNumber(in: "none") == nil)
        #expect(Words.firstNumber(in: "99999999999999999999999") == nil, "too big is no number")
        #expect(Words.isAllLetters("numbness") && !Words.isAllLetters("numb3r") && Words.isAllLetters("crème"))
    }

    @Test("the byte paths agree with Character's on random ASCII text (seeded)")
    func agreesWithCharacters() {
        var random = SeededRandom(seed: 0x9e37)
        func next() -> UInt64 { random.next() >> 33 }
        let alphabet = Array("aAiImMyYeE'  ,.?!-09873\t\nxyzIVE'M".utf8)
        for _ in 0..<20_000 {
            let length = Int(next() % 24)
            let text = String(decoding: (0..<length).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }, as: UTF8.self)
            #expect(Words.normalised(text) == Self.referenceNormalised(text), "\(text)")
            let label = ["not sure", "no", "i", "yes im", Self.referenceNormalised(text)][Int(next() % 5)]
            #expect(Words.normalised(text, equals: label) == (Self.referenceNormalised(text) == label), "\(text) ~ \(label)")
            #expect(Words.isPersonal(text) == Self.referencePersonal(text), "\(text)")
            #expect(Words.firstNumber(in: text) == Self.referenceNumber(text), "\(text)")
        }
    }
}

@Suite("The word table's lookup from bytes")
struct WordTableTests {
    @Test("finds every ASCII word of the lexicon as the String lookup does, and nothing else (seeded random words)")
    func bytesAgreeWithStrings() {
        let table = sharedInterpreter.lexicon.words
        func byBytes(_ word: String) -> Int32 {
            Array(word.utf8).withUnsafeBufferPointer { table.id(ascii: $0) }
        }
        var known = 0
        for id in table.info.indices {
            let word = table.word(Int32(id))
            guard word.utf8.allSatisfy({ $0 < 0x80 }) else { continue }
            #expect(byBytes(word) == Int32(id) && table.id(word) == Int32(id), "\(word)")
            known += 1
        }
        #expect(known > 500, "the lexicon's words were all tried")
        var random = SeededRandom(seed: 0x70c5)
        let letters = Array("abcdefghijklmnopqrstuvwxyz".utf8)
        for _ in 0..<20_000 {
            let word = String(decoding: (0..<Int.random(in: 1...9, using: &random)).map { _ in letters.randomElement(using: &random)! }, as: UTF8.self)
            #expect(byBytes(word) == table.id(word), "\(word)")
        }
    }

    @Test("mayHold is true whenever a normalised word of the text is one of the words, and nil beyond ASCII")
    func mayHoldAgreesWithTheWords() {
        let words: [Substring] = ["no", "nothing", "or", "otherwise", "none"]
        let hashes = words.map(Words.hash(ofWord:))
        #expect(Words.mayHold(anyOf: hashes, in: "No, NOTHING else!") == true)
        #expect(Words.mayHold(anyOf: hashes, in: "my calf (left)") == false)
        #expect(Words.mayHold(anyOf: hashes, in: "") == false)
        #expect(Words.mayHold(anyOf: hashes, in: "no ça") == nil)
        var random = SeededRandom(seed: 0xde71)
        let pieces = ["no", "No", "nothing", "or", "NONE", "otherwise", "not", "n", "o", "calf", "12", " ", ",", "!", "-", "'", "  "]
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...8, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            let said = Words.normalised(text).split(separator: " ").contains(where: words.contains)
            // A hash shared by chance may say true; a word there is never missed.
            let may = Words.mayHold(anyOf: hashes, in: text)
            #expect(may != nil && (!said || may == true), "\(text)")
            #expect(may == said, "\(text)")
        }
    }

    @Test("wordHashes are the hashes of the normalised words, and nil beyond ASCII")
    func wordHashesAreTheWords() {
        #expect(Words.wordHashes(in: "no ça") == nil)
        #expect(Words.wordHashes(in: "") == [])
        var random = SeededRandom(seed: 0x5a17)
        let pieces = ["no", "No", "nothing", "or", "NONE", "otherwise", "not", "n", "o", "calf", "12", " ", ",", "!", "-", "'", "  "]
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...8, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            let words = Words.normalised(text).split(separator: " ")
            #expect(Words.wordHashes(in: text) == words.map(Words.hash(ofWord:)), "\(text)")
        }
    }
}
