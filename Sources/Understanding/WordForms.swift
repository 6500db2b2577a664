/// The forms of a word: "sag", "sags", "sagged", "sagging" and "saggy" share one stem, so a
/// writer lists one form in the lexicon and the others are understood. A light, English-only
/// suffix stripper, used on both sides: each lexicon word's stem is indexed at load, and a word
/// the lexicon does not know is read as the lexicon word with the same stem. The stems are keys,
/// not words ("pale" and "paler" both give "pal").
enum WordForms {
    /// Words shorter than this are left alone: too many short words share a stem by chance.
    static let minimumLength = 4

    /// Endings stripped, longest first; the stem that is left must keep three letters.
    private static let endings: [(ending: [UInt8], replacement: [UInt8])] = [
        ("iness", "y"), ("ness", ""), ("ily", "y"), ("iest", "y"), ("ier", "y"), ("ies", "y"), ("ied", "y"),
        ("ingly", ""), ("edly", ""), ("ing", ""), ("ed", ""), ("ly", ""), ("es", ""), ("s", "")
    ].map { (Array($0.0.utf8), Array($0.1.utf8)) }
    // Not "-er" or "-est": "liver" is no form of "live", nor "shoulder" of "should". Comparatives
    // that matter ("bigger", "weaker") are listed in the lexicon.

    /// The stem of `word` (lower-case ASCII letters; anything else is returned as it is).
    static func stem(_ word: String) -> String {
        guard word.utf8.count >= minimumLength, word.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return word }
        var bytes = Array(word.utf8)
        for (e, replacement) in endings {
            guard bytes.count - e.count >= 3, bytes.suffix(e.count).elementsEqual(e) else { continue }
            // "ss" is not a plural ("loss", "numbness" is taken by "ness" first).
            if e == [UInt8(ascii: "s")] && bytes[bytes.count - 2] == UInt8(ascii: "s") { break }
            bytes.removeLast(e.count)
            bytes += replacement
            break
        }
        // "puffy" -> "puff", "saggy" -> "sagg"
        if bytes.count > 3 && bytes.last == UInt8(ascii: "y") { bytes.removeLast() }
        // "sagg" -> "sag", "bigg" -> "big"; "swell" and "stiff" keep theirs.
        if bytes.count > 3, bytes[bytes.count - 1] == bytes[bytes.count - 2],
            Self.doubled.contains(bytes[bytes.count - 1])
        {
            bytes.removeLast()
        }
        // "droope"... and "pale"/"paled"/"paler" -> "pal"
        if bytes.count > 3 && bytes.last == UInt8(ascii: "e") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let doubled: Set<UInt8> = Set("bdgmnprt".utf8)
}
