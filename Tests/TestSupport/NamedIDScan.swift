import Foundation

/// The data ids a target's Swift sources name as literals, read from the files as a person
/// reads them: `Finding(.side, "left")` (every literal between the parentheses, so both of a
/// `cond ? "a" : "b"`), a topic compared or looked up (`topic == "other_cramps"`,
/// `knowledge.topic("relief")`, a `…Topics = [...]` table), and the literal keys of the calls
/// `patterns` names (`replies["farewell"]`, `wording.fill("made", ...)`). Comment lines and the
/// target's CodeNames table itself are left out. Each test compares what is found with its
/// target's table, so that an id named in new code without the table fails a test.
public enum NamedIDScan {
    public struct Found: Hashable, CustomStringConvertible {
        /// `finding:<kind>` (the data's kind, `age_group`), `topic`, or a pattern's name.
        public var section: String
        public var id: String
        public var place: String
        public var description: String { "\(section) '\(id)' at \(place)" }
    }

    /// The sources of `target` (Sources/TARGET), scanned for findings, topics and `calls`:
    /// for each name, the call's text before the literal (`replies[`, `replies.fill(`).
    public static func scan(target: String, calls: [String: [String]] = [:]) throws -> [Found] {
        let folder = CharleyProcess.packageRoot.appendingPathComponent("Sources/\(target)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".swift") && !$0.hasPrefix("CodeNames+") }.sorted()
        var found: [Found] = []
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for (index, line) in text.components(separatedBy: "\n").enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                guard !code.hasPrefix("//") else { continue }
                let place = "\(file):\(index + 1)"
                for match in matches(#"Finding\(\.(\w+), ([^)]*)\)"#, in: code) {
                    for id in literals(in: match[2]) {
                        found.append(Found(section: "finding:\(snakeCase(match[1]))", id: id, place: place))
                    }
                }
                if !matches(#"(^|[a-z])[Tt]opics?\b"#, in: code).isEmpty && !code.hasPrefix("case ") {
                    if let table = matches(#"Topics\b[^=]*=\s*\[([^\]]*)\]"#, in: code).first {
                        for id in literals(in: table[1]) { found.append(Found(section: "topic", id: id, place: place)) }
                    } else {
                        for match in matches(#"(==|!=|\?\?|[^=!<>] =|[Tt]opic\()\s*"([a-z_]+)""#, in: code) {
                            found.append(Found(section: "topic", id: match[2], place: place))
                        }
                    }
                }
                for (name, prefixes) in calls {
                    for prefix in prefixes {
                        for match in matches(NSRegularExpression.escapedPattern(for: prefix) + #""([a-z_]+)""#, in: code) {
                            found.append(Found(section: name, id: match[1], place: place))
                        }
                    }
                }
            }
        }
        return found
    }

    private static func matches(_ pattern: String, in text: String) -> [[String]] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { result in
            (0..<result.numberOfRanges).map { Range(result.range(at: $0), in: text).map { String(text[$0]) } ?? "" }
        }
    }

    private static func literals(in text: String) -> [String] {
        matches(#""([a-z_]+)""#, in: text).map { $0[1] }
    }

    /// A Swift case name as the data writes the kind: `ageGroup` is `age_group`.
    private static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { out, character in
            if character.isUppercase { out += "_" + character.lowercased() } else { out.append(character) }
        }
    }
}
