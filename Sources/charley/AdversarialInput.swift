/// Generated hostile messages for the worst-case benchmarks (issue 17): each within the
/// daemon's limits (`maximumTextCharacters` characters, `--max-line-bytes` bytes), each built to
/// stress one stage of understanding.
enum AdversarialInput {
    /// The daemon's limit on a message's characters (ServerConfiguration.maximumTextCharacters).
    static let characters = 4000

    /// Each kind of hostile message, about `length` characters long.
    static func all(length: Int = characters) -> [(name: String, text: String)] {
        func repeated(_ unit: String) -> String {
            String(String(repeating: unit, count: length / max(1, unit.count) + 1).prefix(length))
        }
        // Letters and characters in an order with no short period (a multiplicative walk), the
        // same on every run.
        func scattered<T>(_ items: [T]) -> [T] { (0..<length).map { items[($0 &* 2_654_435_761 >> 7) % items.count] } }
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let printable = (32...126).map { Character(Unicode.Scalar(UInt8($0))) }
        // One scalar from each Unicode plane that has assigned characters, and the edges of the BMP.
        let planes: [Character] = [0x41, 0xE9, 0x3A9, 0x5D0, 0x627, 0x4E2D, 0xAC00, 0xFFFD, 0x1F600, 0x1D11E, 0x20000, 0x30000, 0xE0041, 0xF0000, 0x10FFFD]
            .compactMap { Unicode.Scalar($0).map(Character.init) }
        return [
            ("one word of letters", repeated("a")),
            ("one word of random letters", String(scattered(letters))),
            ("a lexicon word without spaces", repeated("cramp")),
            ("a word repeated", repeated("cramp ")),
            ("digits", repeated("7")),
            ("numbers and units", repeated("12 hrs ")),
            ("commas", repeated(",")),
            ("full stops and question marks", repeated("?.")),
            ("negations", repeated("no ")),
            ("inabilities", repeated("can't ")),
            ("ifs", repeated("if ")),
            ("questions", repeated("is it? ")),
            ("hypotheticals", repeated("what if my calf ")),
            ("clauses", repeated("and she ")),
            ("brackets nested", String(repeating: "(", count: length / 2) + String(repeating: ")", count: length / 2)),
            ("quotes and apostrophes", repeated("'\"")),
            ("warning-sign words mixed", repeated("swollen red hot calf chest pain face droop numb bum pee dark ")),
            ("every Unicode plane", String((0..<length).map { planes[$0 % planes.count] })),
            ("emoji and joiners", repeated("👨‍👩‍👧 ")),
            // Characters are what the limit counts: one letter with a run of accents is one.
            ("combining accents", String(repeating: "e" + String(repeating: "\u{301}", count: 7), count: length / 4)),
            ("random printable", String(scattered(printable))),
            ("misspellings", repeated("crampz numbnes tingeling swolen "))
        ]
    }

    /// Ordinary messages run together to about `length` characters.
    static func ordinary(length: Int) -> String {
        let sentences = BenchCommand.Interpret.sample.joined(separator: ". ")
        var text = ""
        while text.count < length { text += sentences + ". " }
        return String(text.prefix(length))
    }

    /// An ordinary message of 20 words, the yardstick of issue 17.
    static let twentyWords = "my left calf has been cramping at night for about three weeks and it wakes me up most nights now"
}
