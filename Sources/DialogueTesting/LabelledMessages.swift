import Foundation
import Knowledge
import Understanding

/// One labelled utterance of Corpus/utterances.txt.
public struct LabelledUtterance: Sendable, CustomStringConvertible {
    public var line: Int
    public var text: String
    public var intent: String
    public var topic: String?
    public var present: Set<String>
    public var denied: Set<String>
    public var redFlags: Set<String>
    /// The set labels who each message is about (the independent set does; the corpus does not).
    public var labelsSubject = false

    public var description: String { "line \(line): \(text)" }

    /// Reads a labelled file: `text | intent[:topic] | findings`, one per line, `#` comments.
    /// Findings: `kind:value` present, `-kind:value` denied, `!rule_id` a red flag.
    public static func parse(_ text: String, file: String) throws -> [LabelledUtterance] {
        var result: [LabelledUtterance] = []
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 3 else { throw LabelledSetError(file: file, line: index + 1, problem: "expected text | intent | findings") }
            guard !parts[0].isEmpty else { throw LabelledSetError(file: file, line: index + 1, problem: "no text before the first |") }
            guard !parts[1].isEmpty, !parts[1].hasPrefix(":") else {
                throw LabelledSetError(file: file, line: index + 1, problem: "no intent between the two | (e.g. describe, answer, question:causes)")
            }
            let intentParts = parts[1].split(separator: ":", maxSplits: 1).map(String.init)
            var utterance = LabelledUtterance(
                line: index + 1, text: parts[0], intent: intentParts[0],
                topic: intentParts.count > 1 ? intentParts[1] : nil,
                present: [], denied: [], redFlags: [])
            for label in parts[2].split(whereSeparator: \.isWhitespace) {
                if label.hasPrefix("-") {
                    utterance.denied.insert(String(label.dropFirst()))
                } else if label.hasPrefix("!") {
                    utterance.redFlags.insert(String(label.dropFirst()))
                } else {
                    utterance.present.insert(String(label))
                }
            }
            result.append(utterance)
        }
        // A set that labels who any message is about labels it for every message (none: the writer).
        if result.contains(where: { $0.present.contains { $0.hasPrefix("subject:") } }) {
            for index in result.indices { result[index].labelsSubject = true }
        }
        return result
    }

    public static func load(file url: URL) throws -> [LabelledUtterance] {
        try parse(String(contentsOf: url, encoding: .utf8), file: url.path)
    }
}

/// A line of a labelled file that is not `text | intent | findings`.
public struct LabelledSetError: Error, CustomStringConvertible {
    public var file: String, line: Int, problem: String
    public var description: String { "\(file):\(line): \(problem)" }
}

/// Precision and recall counts for one field.
public struct Score: Sendable {
    public var truePositives = 0, falsePositives = 0, falseNegatives = 0
    public init() {}
    public var precision: Double { truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives) }
    public var recall: Double { truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives) }

    public mutating func add(expected: Set<String>, actual: Set<String>) {
        truePositives += expected.intersection(actual).count
        falsePositives += actual.subtracting(expected).count
        falseNegatives += expected.subtracting(actual).count
    }
}

/// The evaluation of the matcher on a labelled set: accuracy of intent and topic, precision and
/// recall per field, and each message it got wrong.
public struct CorpusEvaluation: Sendable {
    public var intentCorrect = 0, topicCorrect = 0, total = 0
    public var fields: [String: Score] = [:]
    /// Warning signs by level: raised at least at the labelled level (true positives), missed or
    /// raised lower (false negatives), an urgent or emergency level where none is labelled (false
    /// positives). Not a field of `understood`, so not in `fields`.
    public var warningSigns = Score()
    public var misses: [String] = []

    public init(_ corpus: [LabelledUtterance], interpreter: Interpreter) {
        // Red flags are scored by family: possible_dvt_one_leg raised where possible_dvt is
        // labelled is the same warning sign, said by another of its rules.
        let ruleIDs = Set(interpreter.knowledge.triageRules.map(\.id))
        func families(_ ids: some Sequence<String>) -> Set<String> { Set(ids.map { WarningSignCorpus.family(of: $0, among: ruleIDs) }) }
        for item in corpus {
            let understood = interpreter.interpret(item.text)
            total += 1
            var wrong: [String] = []
            if understood.intent.rawValue == item.intent { intentCorrect += 1 } else { wrong.append("intent \(understood.intent.rawValue)") }
            if understood.topic == item.topic { topicCorrect += 1 } else { wrong.append("topic \(understood.topic ?? "nil")") }
            if understood.intent.rawValue == item.intent, understood.topic == item.topic { intentAndTopicCorrect += 1 }
            let findings = understood.findings
            let present = Set(findings.present.map(\.description))
            let denied = Set(findings.absent.map(\.description))
            for kind in FindingKind.allCases {
                let prefix = kind.rawValue + ":"
                fields[kind.rawValue, default: Score()].add(
                    expected: item.present.filter { $0.hasPrefix(prefix) }, actual: present.filter { $0.hasPrefix(prefix) })
            }
            fields["denied", default: Score()].add(expected: item.denied, actual: denied)
            // Only the urgent and emergency rules are red flags (a set may label the milder ones too).
            let expectedFlags = item.redFlags.filter { id in interpreter.knowledge.rule(id)?.isRedFlag ?? true }
            fields["red_flags", default: Score()].add(expected: families(expectedFlags), actual: families(understood.redFlags))
            // The level that matters for safety: a warning sign raised at its level (or above),
            // whichever of a family of rules says it (possible_dvt or possible_dvt_one_leg), and
            // no urgent or emergency level where none is labelled.
            let levels = interpreter.knowledge
            let expectedLevel = expectedFlags.compactMap { levels.rule($0)?.level }.max()
            let actualLevel = understood.redFlags.compactMap { levels.rule($0)?.level }.max()
            if let expectedLevel {
                if let actualLevel, actualLevel >= expectedLevel { warningSigns.truePositives += 1 } else { warningSigns.falseNegatives += 1 }
            } else if actualLevel != nil {
                warningSigns.falsePositives += 1
            }
            // Who it is about, where the set says (subject:other).
            if item.labelsSubject {
                fields["subject", default: Score()].add(
                    expected: item.present.contains("subject:other") ? ["other"] : [],
                    actual: understood.subject.map { $0.isSelf ? [] : ["other"] } ?? [])
            }
            let labelled = item.present.filter { !$0.hasPrefix("subject:") }
            if present != labelled { wrong.append("found \(present.subtracting(labelled).sorted()) missed \(labelled.subtracting(present).sorted())") }
            if denied != item.denied { wrong.append("denied \(denied.sorted()) expected \(item.denied.sorted())") }
            if families(understood.redFlags) != families(expectedFlags) { wrong.append("red flags \(understood.redFlags)") }
            if !wrong.isEmpty { misses.append("\(item): \(wrong.joined(separator: "; "))") }
        }
    }

    /// Every finding field together (red flags apart).
    public var findingsScore: Score {
        fields.filter { $0.key != "red_flags" }.values.reduce(into: Score()) {
            $0.truePositives += $1.truePositives
            $0.falsePositives += $1.falsePositives
            $0.falseNegatives += $1.falseNegatives
        }
    }

    public var intentAccuracy: Double { Double(intentCorrect) / Double(max(total, 1)) }
    public var topicAccuracy: Double { Double(topicCorrect) / Double(max(total, 1)) }

    /// Messages whose intent and topic were both read as labelled.
    public var intentAndTopicCorrect = 0

    /// The share of the set's labels understood: each message's intent with its topic counts as
    /// one label, each finding and red flag labelled as one more. (Findings found that were not
    /// labelled do not count here; the per-field precision shows them.)
    public var allLabels: (understood: Int, total: Int) {
        let findings = findingsScore
        let flags = fields["red_flags", default: Score()]
        return (
            intentAndTopicCorrect + findings.truePositives + flags.truePositives,
            total + findings.truePositives + findings.falseNegatives + flags.truePositives + flags.falseNegatives
        )
    }

    public var report: String {
        var lines = [
            "corpus: \(total) utterances",
            String(format: "  %-12@ accuracy %.3f", "intent" as NSString, Double(intentCorrect) / Double(total)),
            String(format: "  %-12@ accuracy %.3f", "topic" as NSString, Double(topicCorrect) / Double(total))
        ]
        for (name, score) in fields.sorted(by: { $0.key < $1.key }) where score.truePositives + score.falseNegatives + score.falsePositives > 0 {
            lines.append(
                String(
                    format: "  %-12@ precision %.3f recall %.3f (n=%d)", name as NSString, score.precision, score.recall,
                    score.truePositives + score.falseNegatives))
        }
        let all = findingsScore
        lines.append(String(format: "  %-12@ precision %.3f recall %.3f", "all findings" as NSString, all.precision, all.recall))
        lines.append(
            String(
                format: "  warning signs at their level: %d of %d raised, %d false alarms",
                warningSigns.truePositives, warningSigns.truePositives + warningSigns.falseNegatives, warningSigns.falsePositives))
        return lines.joined(separator: "\n")
    }
}
