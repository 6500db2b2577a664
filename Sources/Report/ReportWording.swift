import Foundation
import Knowledge

/// The report's headings and sentences, by id, from report.yaml: a writer changes the wording
/// there, not in Swift. Checked at load: every id the report uses is there and no other, no
/// text is empty or gives a dose, every `{placeholder}` is one `Wording` knows and every
/// `<value>` a text needs is in it.
public struct ReportWording: Sendable {
    private let texts: [String: String]

    /// The ids the report uses.
    public static let ids: Set<String> = [
        "title", "made", "not_a_diagnosis", "not_finished",
        "about_heading", "about_self", "about_other", "someone_else", "your_relation",
        "told_heading", "when", "where", "side", "side_not_given", "triggers", "symptoms", "conditions", "medicines", "age",
        "denied", "not_told", "nothing_told",
        "picture_heading", "picture_title", "picture_places", "picture_places_no_side", "picture_no_place", "picture_swelling",
        "picture_redness", "front", "back", "left", "right", "legend_cramps", "legend_light", "legend_swelling", "legend_redness",
        "triage_heading", "no_triage", "warning_signs", "triage_kept",
        "causes_heading", "causes_intro", "causes_after_warning", "no_causes", "because", "against",
        "todo_heading", "self_care", "prevention", "see_doctor",
        "questions_heading", "sources_heading", "footer",
        "command_help", "written", "not_written", "no_report"
    ]

    /// The values a text must show, by id.
    static let parameters: [String: [String]] = [
        "made": ["date", "version"], "about_other": ["who"], "your_relation": ["relation"],
        "picture_places": ["places", "side"], "picture_places_no_side": ["places"],
        "picture_swelling": ["side"], "picture_redness": ["side"],
        "command_help": ["folder"], "written": ["path"], "not_written": ["path", "problem"], "no_report": ["problem"]
    ]

    public subscript(id: String) -> String { texts[id] ?? id }

    /// The text `id` with its values put in (`<date>` is `values["date"]`).
    public func fill(_ id: String, _ values: [String: String]) -> String {
        var text = self[id]
        for (name, value) in values { text = text.replacingOccurrences(of: "<\(name)>", with: value) }
        return text
    }

    /// With `knowledge`, the ids the report's code names (`CodeNames.report`) are checked in it too.
    public static func loadBundled(knowledge: KnowledgeModel? = nil) throws(KnowledgeError) -> ReportWording {
        guard let url = Bundle.module.url(forResource: "report", withExtension: "yaml"),
            let data = FileManager.default.contents(atPath: url.path)
        else {
            throw KnowledgeError(issues: [KnowledgeIssue(file: "report.yaml", problem: "the report's wording is missing from Charley's resources")])
        }
        return try load(text: String(decoding: data, as: UTF8.self), file: "report.yaml", knowledge: knowledge)
    }

    public static func load(text: String, file: String, knowledge: KnowledgeModel? = nil) throws(KnowledgeError) -> ReportWording {
        struct File: Decodable { var report: [String: String] }
        let (parsed, root) = try KnowledgeLoader.decodeYAML(File.self, text: text, file: file)
        let section = root["report"]
        func line(_ id: String) -> Int? { section?[id]?.mark?.line }
        var issues: [KnowledgeIssue] = []
        if let mapping = root.mapping {
            for (key, node) in mapping where key.string != "report" {
                issues.append(
                    KnowledgeIssue(file: file, line: node.mark?.line, problem: "unknown section '\(key.string ?? "?")'; the file holds 'report' only"))
            }
        }
        for id in ids.subtracting(parsed.report.keys).sorted() {
            issues.append(KnowledgeIssue(file: file, entry: "text '\(id)'", problem: "missing: the report says it"))
        }
        for id in Set(parsed.report.keys).subtracting(ids).sorted() {
            issues.append(KnowledgeIssue(file: file, line: line(id), entry: "text '\(id)'", problem: "no text of the report has this id (a misspelt one?)"))
        }
        var texts: [String: String] = [:]
        for (id, raw) in parsed.report.sorted(by: { $0.key < $1.key }) {
            let text = raw.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }.joined(separator: " ")
            texts[id] = text
            if text.isEmpty { issues.append(KnowledgeIssue(file: file, line: line(id), entry: "text '\(id)'", problem: "the text is empty")) }
            if let dose = DoseDetector.firstDose(in: text) {
                issues.append(KnowledgeIssue(file: file, line: line(id), entry: "text '\(id)'", problem: "gives a dose ('\(dose)'); Charley never gives doses"))
            }
            for name in Wording.unknownPlaceholders(in: text) {
                issues.append(KnowledgeIssue(file: file, line: line(id), entry: "text '\(id)'", problem: "'{\(name)}' is not a placeholder Charley knows"))
            }
            for name in parameters[id] ?? [] where !text.contains("<\(name)>") {
                issues.append(
                    KnowledgeIssue(file: file, line: line(id), entry: "text '\(id)'", problem: "it must say <\(name)> where Charley puts the \(name)"))
            }
        }
        if let knowledge { issues += CodeNames.report.issues(in: knowledge) }
        guard issues.isEmpty else { throw KnowledgeError(issues: issues) }
        return ReportWording(texts: texts)
    }
}
