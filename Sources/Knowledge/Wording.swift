import Foundation
import WireFormat

/// Who a conversation is about: the person writing, or someone they write for (a child, a
/// partner, a parent, a client), with the relation and sex when they were given.
public struct Subject: Sendable, Equatable, Hashable {
    /// nil: the person writing.
    public var relation: String?
    /// "female", "male", or nil when not known.
    public var sex: String?
    public var isSelf: Bool

    public static let me = Subject(relation: nil, sex: nil, isSelf: true)

    public init(relation: String?, sex: String?, isSelf: Bool = false) {
        self.relation = relation
        self.sex = sex
        self.isSelf = isSelf
    }

    /// Another person, of known sex or not.
    public static func other(relation: String? = nil, sex: String? = nil) -> Subject { Subject(relation: relation, sex: sex) }

    /// `self` with what `newer` adds (a sex or relation learnt later), unless `newer` is another kind.
    public func merged(with newer: Subject) -> Subject {
        guard isSelf == newer.isSelf else { return newer }
        return Subject(relation: newer.relation ?? relation, sex: newer.sex ?? sex, isSelf: isSelf)
    }
}

extension Subject: Codable {
    enum CodingKeys: String, CodingKey { case who, relation, sex }

    /// The contract's shape: `{"who": "self"}` or `{"who": "other", "relation": "mother", "sex": "female"}`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(isSelf ? "self" : "other", forKey: .who)
        try c.encodeIfPresent(relation, forKey: .relation)
        try c.encodeIfPresent(sex, forKey: .sex)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        isSelf = try c.decode(String.self, forKey: .who) == "self"
        relation = try c.decodeIfPresent(String.self, forKey: .relation)
        sex = try c.decodeIfPresent(String.self, forKey: .sex)
    }

    /// Contract JSON, sorted keys (as `ContractJSON` writes it).
    public func write(to out: inout JSONWriter) {
        out.beginObject()
        if let relation {
            out.key("relation")
            out.string(relation)
        }
        if let sex {
            out.key("sex")
            out.string(sex)
        }
        out.key("who")
        out.string(isSelf ? "self" : "other")
        out.endObject()
    }
}

/// Sentences written once for every subject: the data files write `{your} cramps`, `{do_you} get
/// them at night?`, and each conversation reads them for its own person ("your", "her", "his",
/// "their"). The placeholders are the whole of the grammar needed: pronouns, and the verbs that
/// follow "you" in the questions.
public enum Wording {
    /// Each placeholder's forms: for the person writing, a woman or girl, a man or boy, and
    /// someone whose sex was not given.
    static let forms: [String: (me: String, she: String, he: String, they: String)] = [
        "you": ("you", "she", "he", "they"),
        "you_obj": ("you", "her", "him", "them"),
        "your": ("your", "her", "his", "their"),
        "yours": ("yours", "hers", "his", "theirs"),
        "yourself": ("yourself", "herself", "himself", "themselves"),
        "do_you": ("do you", "does she", "does he", "do they"),
        "are_you": ("are you", "is she", "is he", "are they"),
        "have_you": ("have you", "has she", "has he", "have they"),
        "you_are": ("you are", "she is", "he is", "they are"),
        "you_have": ("you have", "she has", "he has", "they have"),
        "you_were": ("you were", "she was", "he was", "they were"),
        "you_get": ("you get", "she gets", "he gets", "they get"),
        "you_take": ("you take", "she takes", "he takes", "they take"),
        "you_do": ("you do", "she does", "he does", "they do")
    ]

    /// The placeholders of `text` that are not known, for the loaders' checks.
    public static func unknownPlaceholders(in text: String) -> [String] {
        placeholders(in: text).filter { forms[$0.lowercased()] == nil }
    }

    static func placeholders(in text: String) -> [String] {
        var found: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else {
                found.append(String(rest[open...]))
                break
            }
            found.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return found
    }

    /// `text` for `subject` (nil: the person writing). A placeholder written with a capital
    /// (`{Do_you}`) gives a capitalised form. Text without a brace is returned as it is. Bytes,
    /// not characters: every reply goes through here.
    public static func render(_ text: String, for subject: Subject?) -> String {
        let open = UInt8(ascii: "{")
        // Most sentences have no placeholder: a byte search, not a generic walk of the view.
        let hasPlaceholder =
            text.utf8.withContiguousStorageIfAvailable { bytes in
                bytes.baseAddress.map { memchr($0, Int32(open), bytes.count) != nil } ?? false
            } ?? text.utf8.contains(open)
        guard hasPlaceholder else { return text }
        var text = text
        return text.withUTF8 { render(bytes: $0, for: subject) }
    }

    private static func render(bytes: UnsafeBufferPointer<UInt8>, for subject: Subject?) -> String {
        let open = UInt8(ascii: "{")
        let close = UInt8(ascii: "}")
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var i = 0
        while i < bytes.count {
            // The text up to the next brace, copied in one go (byte by byte, this was most of a reply's cost).
            let base = bytes.baseAddress!
            var next = bytes.count
            if let found = memchr(base + i, Int32(open), bytes.count - i) { next = UnsafeRawPointer(found) - UnsafeRawPointer(base) }
            if next > i {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<next]))
                i = next
                continue
            }
            guard bytes[i] == open, let end = bytes[i...].firstIndex(of: close) else {
                out.append(bytes[i])
                i += 1
                continue
            }
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[(i + 1)..<end]), as: UTF8.self)
            guard let form = forms[name] ?? forms[name.lowercased()] else {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i...end]))
                i = end + 1
                continue
            }
            let word: String
            switch (subject?.isSelf ?? true, subject?.sex) {
            case (true, _): word = form.me
            case (false, "female"?): word = form.she
            case (false, "male"?): word = form.he
            default: word = form.they
            }
            var wordBytes = Array(word.utf8)
            if let first = name.utf8.first, first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z"),
                let lead = wordBytes.first, lead >= UInt8(ascii: "a") && lead <= UInt8(ascii: "z")
            {
                wordBytes[0] = lead - 32
            }
            out.append(contentsOf: wordBytes)
            i = end + 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
