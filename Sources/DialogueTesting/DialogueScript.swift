import Foundation
import Knowledge

/// A scripted dialogue test: what the person says, turn by turn, and what each reply must show.
/// The format is described in Dialogues/README.md.
public struct DialogueScript: Sendable {
    public struct Turn: Sendable {
        public var line: Int
        public var text: String
        public var expectations: [Expectation]
    }

    public struct Expectation: Sendable {
        public var line: Int
        public var check: Check
    }

    public enum Check: Sendable {
        case contains(String)
        case lacks(String)
        case matches(String)
        case stage(String)
        case triage(String?)
        case slot(String, String)
        case has(Finding)
        case denies(Finding)
        case topCause(String)
        case causesInclude(String)
        case redFlag(String)
        case noRedFlags
        case intent(String)
        case topic(String?)
        case suggests(String)
        case done(Bool)
        /// `self`, `other`, or `other:RELATION` (`subject: other:mother`).
        case subject(String)
    }

    public var file: String
    public var turns: [Turn]

    /// A line of a script that could not be read.
    public struct ParseError: Error, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var problem: String
        public var description: String { "\(file):\(line): \(problem)" }
    }

    public static func parse(_ text: String, file: String) throws(ParseError) -> DialogueScript {
        var turns: [Turn] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix(">") {
                turns.append(Turn(line: number, text: String(line.dropFirst()).trimmingCharacters(in: .whitespaces), expectations: []))
                continue
            }
            guard !turns.isEmpty else {
                throw ParseError(file: file, line: number, problem: "an expectation before the first '>' line")
            }
            guard let colon = line.firstIndex(of: ":") else {
                throw ParseError(file: file, line: number, problem: "expected 'name: value' or '> what the person says'")
            }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            turns[turns.count - 1].expectations.append(Expectation(line: number, check: try check(name, value, file: file, line: number)))
        }
        if turns.isEmpty { throw ParseError(file: file, line: 1, problem: "no '>' lines: a dialogue needs at least one turn") }
        return DialogueScript(file: file, turns: turns)
    }

    private static func check(_ name: String, _ value: String, file: String, line: Int) throws(ParseError) -> Check {
        func finding() throws(ParseError) -> Finding {
            guard let finding = Finding(parsing: value) else {
                throw ParseError(file: file, line: line, problem: "'\(value)' is not a finding (kind:value)")
            }
            return finding
        }
        switch name {
        case "contains": return .contains(value)
        case "lacks": return .lacks(value)
        case "matches":
            guard (try? Regex(value)) != nil else { throw ParseError(file: file, line: line, problem: "'\(value)' is not a valid pattern") }
            return .matches(value)
        case "stage": return .stage(value)
        case "triage": return .triage(value == "none" || value == "null" ? nil : value)
        case "has": return .has(try finding())
        case "denies": return .denies(try finding())
        case "top cause": return .topCause(value)
        case "causes include": return .causesInclude(value)
        case "red flag": return value == "none" ? .noRedFlags : .redFlag(value)
        case "intent": return .intent(value)
        case "topic": return .topic(value == "none" || value == "null" ? nil : value)
        case "suggests": return .suggests(value)
        case "done": return .done(value == "yes" || value == "true")
        case "subject": return .subject(value)
        default:
            if name.hasPrefix("slot ") { return .slot(String(name.dropFirst(5)), value) }
            throw ParseError(file: file, line: line, problem: "unknown expectation '\(name)'; see Dialogues/README.md")
        }
    }
}
