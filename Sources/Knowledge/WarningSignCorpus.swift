import Foundation

/// The phrasings of every warning sign (`knowledge/warning-signs.tsv`): lay messages that must
/// raise a red-flag rule, and false alarms that must raise none. The matcher's evaluation reads
/// them; `charley knowledge check` refuses an urgent or emergency rule with too few, so no
/// warning sign is added untested.
public struct WarningSignCorpus: Sendable {
    public struct Entry: Sendable, CustomStringConvertible {
        /// The rule the text must raise (at least at its level), or nil for a false alarm.
        public var rule: String?
        public var text: String
        /// Marked `!`: known not to be understood yet (tracked, not failing the build).
        public var knownMiss: Bool
        public var line: Int
        public var description: String { "\(WarningSignCorpus.file):\(line): \(text)" }
    }

    public static let file = "warning-signs.tsv"
    /// Phrasings each urgent or emergency rule needs at least.
    public static let minimumPhrasings = 20

    public var entries: [Entry]

    /// Parses the file; every malformed line is reported with its number.
    public init(text: String, file: String = Self.file) throws(KnowledgeError) {
        var entries: [Entry] = []
        var issues: [KnowledgeIssue] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !raw.isEmpty, !raw.hasPrefix("#") else { continue }
            let parts = raw.split(separator: "\t", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[1].trimmingCharacters(in: .whitespaces).isEmpty else {
                issues.append(KnowledgeIssue(file: file, line: index + 1, problem: "expected RULE<TAB>TEXT"))
                continue
            }
            var rule = String(parts[0])
            let knownMiss = rule.hasPrefix("!")
            if knownMiss { rule.removeFirst() }
            entries.append(Entry(rule: rule == "none" ? nil : rule, text: String(parts[1]), knownMiss: knownMiss, line: index + 1))
        }
        guard issues.isEmpty else { throw KnowledgeError(issues: issues) }
        self.entries = entries
    }

    /// The corpus shipped with the knowledge model.
    public static func loadBundled() throws(KnowledgeError) -> WarningSignCorpus {
        guard let url = KnowledgeLoader.bundledDirectory?.appendingPathComponent(file) else {
            throw KnowledgeError(issues: [KnowledgeIssue(file: file, problem: "the warning-sign corpus is missing from Charley's resources")])
        }
        return try load(url)
    }

    /// The corpus in a file (read as the knowledge files are: a file that is not UTF-8 is an error).
    public static func load(_ url: URL) throws(KnowledgeError) -> WarningSignCorpus {
        try WarningSignCorpus(text: KnowledgeLoader.readDocument(url).text)
    }

    /// The rule whose phrasings count for `rule`: a rule whose id extends another's
    /// ("cauda_equina_bladder_alone" of "cauda_equina") shares them, the shortest such id's.
    public static func family(of rule: String, among ids: Set<String>) -> String {
        var best = rule
        for id in ids where id != rule && rule.hasPrefix(id + "_") && id.count < best.count { best = id }
        return best
    }

    /// Problems against `model`: a line naming no rule of it, and an urgent or emergency rule
    /// with fewer than `minimumPhrasings` phrasings.
    public func issues(against model: KnowledgeModel) -> [KnowledgeIssue] {
        let ids = Set(model.triageRules.map(\.id))
        var issues: [KnowledgeIssue] = []
        var counts: [String: Int] = [:]
        for entry in entries {
            guard let rule = entry.rule else { continue }
            if ids.contains(rule) {
                counts[Self.family(of: rule, among: ids), default: 0] += 1
            } else {
                issues.append(KnowledgeIssue(file: Self.file, line: entry.line, entry: rule, problem: "no triage rule has this id"))
            }
        }
        for rule in model.triageRules where rule.isRedFlag {
            let count = counts[Self.family(of: rule.id, among: ids), default: 0]
            if count < Self.minimumPhrasings {
                issues.append(
                    KnowledgeIssue(
                        file: Self.file, entry: "triage rule '\(rule.id)'",
                        problem:
                            "has \(count) phrasings in \(Self.file); an urgent or emergency rule needs \(Self.minimumPhrasings) written by someone who has not read the lexicon"
                    ))
            }
        }
        return issues
    }
}
