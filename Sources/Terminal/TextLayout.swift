/// Word-wrapping and emphasis for replies shown at a terminal.
public enum TextLayout {
    /// Wraps each paragraph to `width` columns, keeping list items ("- ", "1. ") indented.
    public static func wrap(_ text: String, width: Int) -> String {
        let width = max(20, width)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let string = String(line)
            guard string.count > width else { return string }
            let indent = listIndent(string)
            var lines: [String] = []
            var current = ""
            for word in string.split(separator: " ", omittingEmptySubsequences: true) {
                let candidate = current.isEmpty ? String(word) : current + " " + word
                if candidate.count > width && !current.isEmpty {
                    lines.append(current)
                    current = String(repeating: " ", count: indent) + word
                } else {
                    current = candidate
                }
            }
            if !current.isEmpty { lines.append(current) }
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }

    private static func listIndent(_ line: String) -> Int {
        if line.hasPrefix("- ") { return 2 }
        if let dot = line.firstIndex(of: "."), line[..<dot].allSatisfy(\.isNumber), !line[..<dot].isEmpty {
            return line.distance(from: line.startIndex, to: dot) + 2
        }
        return 0
    }
}

/// ANSI emphasis, only when it is wanted (a terminal, no NO_COLOR, no --no-color).
public struct Style: Sendable {
    public var enabled: Bool

    public init(enabled: Bool) { self.enabled = enabled }

    public func bold(_ text: String) -> String { enabled ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    public func dim(_ text: String) -> String { enabled ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    public func colour(_ code: Int, _ text: String) -> String { enabled ? "\u{1B}[1;\(code)m\(text)\u{1B}[0m" : text }

    /// Makes the triage and red-flag lines stand out: red for urgent and emergency, yellow for
    /// see a doctor, green for self-care.
    public func emphasise(_ paragraph: String) -> String {
        if paragraph.hasPrefix("This could be an emergency") || paragraph.hasPrefix("This needs a doctor today")
            || paragraph.hasPrefix("Triage: emergency") || paragraph.hasPrefix("Triage: urgent")
        {
            return colour(31, paragraph)
        }
        if paragraph.hasPrefix("Triage: see a doctor") { return colour(33, paragraph) }
        if paragraph.hasPrefix("Triage: self-care") { return colour(32, paragraph) }
        return paragraph
    }
}
