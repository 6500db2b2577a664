import Foundation
import Knowledge

/// What Charley says in the conversation, by id, from replies.yaml: a writer changes the
/// wording there, not in Swift. Checked at load: every id the code uses is there, no other, and
/// every placeholder ({your}, {do_you}) is one `Wording` knows.
public struct Replies: Sendable {
    private let texts: [String: String]
    /// The texts of ASCII with a value to put in (`<name>`), cut at load into their pieces,
    /// so that filling one joins them instead of searching the text on every turn.
    private let pieces: [String: (pieces: [Piece], size: Int)]

    private enum Piece: Sendable {
        case text(String)
        case value(String)
    }

    init(texts: [String: String]) {
        self.texts = texts
        var pieces: [String: (pieces: [Piece], size: Int)] = [:]
        for (id, text) in texts {
            if let cut = Self.cut(text) { pieces[id] = (cut, text.utf8.count) }
        }
        self.pieces = pieces
    }

    /// `text` as `fill` reads it: the text between its `<name>`s, and each name. Nil for a text
    /// beyond ASCII, without a value, or with a "<" inside a name (`fill` searches those).
    private static func cut(_ text: String) -> [Piece]? {
        let bytes = Array(text.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }), bytes.contains(UInt8(ascii: "<")) else { return nil }
        var pieces: [Piece] = []
        var start = 0
        while let open = bytes[start...].firstIndex(of: UInt8(ascii: "<")) {
            guard let close = bytes[(open + 1)...].firstIndex(of: UInt8(ascii: ">")) else { break }
            guard !bytes[(open + 1)..<close].contains(UInt8(ascii: "<")) else { return nil }
            pieces.append(.text(String(decoding: bytes[start..<open], as: UTF8.self)))
            pieces.append(.value(String(decoding: bytes[(open + 1)..<close], as: UTF8.self)))
            start = close + 1
        }
        pieces.append(.text(String(decoding: bytes[start...], as: UTF8.self)))
        return pieces
    }

    /// The ids the conversation uses.
    public static let ids: Set<String> = [
        "already_said_stands", "anything_else", "ask_anything_else", "back", "cannot_answer", "cannot_diagnose", "farewell",
        "have_that_already", "hello", "hello_again", "invite_leg_cramps", "invite_own_cramps", "is_it_happening_now", "move_on",
        "not_followed", "not_followed_after_assessment", "not_happening_now", "nothing_to_go_back_to", "self_care_can_wait",
        "start_again", "when_ready", "why_questions", "you_are_welcome", "welcome_before_you_go", "check_before_you_go", "plan_before_you_go", "before_you_go",
        "about_someone_else", "see_doctor_if", "good_plan", "triage_kept", "off_topic", "explained", "noted", "noted_how_to_correct", "provisional_triage",
        "back_to_question", "best_fitting_cause", "triage_for_them", "no_medicine_or_dose",
        "get_help_first", "no_change", "if_it_happens_emergency", "if_it_happens_urgent", "another_sign", "could_be_emergency",
        "needs_doctor_today", "why_it_matters", "escalated_reminder", "assessment_opening", "no_likely_cause", "possible_causes"
    ]

    /// The reply `id` with its values put in: `<message>` in the text is `values["message"]`.
    /// One pass over the text (a Foundation replace per value cost more than the rest of the reply).
    func fill(_ id: String, _ values: [String: String]) -> String {
        fill(id, valuesSize: values.values.reduce(0) { $0 + $1.utf8.count }) { values[$0] }
    }

    /// `fill(id, [name: value])`, without making a dictionary for the one value.
    func fill(_ id: String, _ name: String, _ value: String) -> String {
        fill(id, valuesSize: value.utf8.count) { $0 == name ? value : nil }
    }

    /// The reply `id` with `lookup(name)` for each `<name>` it has a value for.
    private func fill(_ id: String, valuesSize: Int, _ lookup: (String) -> String?) -> String {
        if let (pieces, size) = pieces[id] {
            var out = ""
            out.reserveCapacity(size + valuesSize)
            for piece in pieces {
                switch piece {
                case .text(let text): out += text
                // A name without a value stays as written, as the search below leaves it.
                case .value(let name): out += lookup(name) ?? "<" + name + ">"
                }
            }
            return out
        }
        let text = self[id]
        // ASCII text (all the shipped replies) by its bytes, in place: a search by Character walks
        // graphemes, and one by the generic index of a UTF-8 view costs a call a byte.
        let filled = text.utf8.withContiguousStorageIfAvailable { bytes -> String? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + valuesSize)
            var start = 0
            while let open = bytes[start...].firstIndex(of: UInt8(ascii: "<")) {
                out.append(contentsOf: bytes[start..<open])
                let afterOpen = open + 1
                if let close = bytes[afterOpen...].firstIndex(of: UInt8(ascii: ">")),
                    let value = lookup(String(decoding: bytes[afterOpen..<close], as: UTF8.self))
                {
                    out.append(contentsOf: value.utf8)
                    start = close + 1
                } else {
                    out.append(UInt8(ascii: "<"))
                    start = afterOpen
                }
            }
            out.append(contentsOf: bytes[start...])
            return String(decoding: out, as: UTF8.self)
        }
        if let filled = filled ?? nil { return filled }
        var out = ""
        out.reserveCapacity(text.utf8.count + valuesSize)
        var rest = text[...]
        while let open = rest.firstIndex(of: "<") {
            out += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(of: ">"), let value = lookup(String(rest[afterOpen..<close])) {
                out += value
                rest = rest[rest.index(after: close)...]
            } else {
                out += "<"
                rest = rest[afterOpen...]
            }
        }
        out += rest
        return out
    }

    /// The values a reply must show, by id.
    static let parameters: [String: [String]] = [
        "get_help_first": ["message"], "no_change": ["level"], "why_it_matters": ["why"], "escalated_reminder": ["advice"],
        "explained": ["what"], "noted": ["what"], "provisional_triage": ["level", "advice"], "back_to_question": ["question"],
        "best_fitting_cause": ["cause", "because"], "triage_for_them": ["advice"]
    ]

    public subscript(id: String) -> String {
        // Every id is checked at load; a typo in the code is caught by the tests that run it.
        texts[id] ?? id
    }

    public static func loadBundled() throws(KnowledgeError) -> Replies {
        guard let url = Bundle.module.url(forResource: "replies", withExtension: "yaml"),
            let data = FileManager.default.contents(atPath: url.path)
        else {
            throw KnowledgeError(issues: [KnowledgeIssue(file: "replies.yaml", problem: "the replies are missing from Charley's resources")])
        }
        return try load(text: String(decoding: data, as: UTF8.self), file: "replies.yaml")
    }

    public static func load(text: String, file: String) throws(KnowledgeError) -> Replies {
        struct File: Decodable { var replies: [String: String] }
        let (parsed, _) = try KnowledgeLoader.decodeYAML(File.self, text: text, file: file)
        var issues: [KnowledgeIssue] = []
        for id in ids.subtracting(parsed.replies.keys).sorted() {
            issues.append(KnowledgeIssue(file: file, entry: "reply '\(id)'", problem: "missing: the conversation says it"))
        }
        for id in Set(parsed.replies.keys).subtracting(ids).sorted() {
            issues.append(KnowledgeIssue(file: file, entry: "reply '\(id)'", problem: "no reply has this id (a misspelt one?)"))
        }
        for (id, text) in parsed.replies.sorted(by: { $0.key < $1.key }) {
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                issues.append(KnowledgeIssue(file: file, entry: "reply '\(id)'", problem: "the text is empty"))
            }
            for name in Wording.unknownPlaceholders(in: text) {
                issues.append(KnowledgeIssue(file: file, entry: "reply '\(id)'", problem: "'{\(name)}' is not a placeholder Charley knows"))
            }
        }
        for (id, names) in parameters {
            guard let text = parsed.replies[id] else { continue }
            for name in names where !text.contains("<\(name)>") {
                issues.append(KnowledgeIssue(file: file, entry: "reply '\(id)'", problem: "it must say <\(name)> where Charley puts the \(name)"))
            }
        }
        guard issues.isEmpty else { throw KnowledgeError(issues: issues) }
        return Replies(texts: parsed.replies)
    }
}
