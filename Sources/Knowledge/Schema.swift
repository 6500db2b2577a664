import Yams

/// The shape of a knowledge file, used to catch misspelt field names. Decoding alone would
/// silently ignore `cuation:` under a treatment and lose the warning it was meant to carry.
indirect enum Schema: Sendable {
    /// A mapping with these known keys.
    case fields([String: Schema])
    /// A mapping whose keys are from a fixed set, each value of one shape.
    case keyed(Set<String>, Schema)
    /// A list of entries; `entryKind` names them in messages ("cause 'dehydration'").
    case list(Schema, entryKind: String = "entry")
    /// A scalar (or anything we do not inspect further).
    case value

    static func record(_ names: String..., nested: [String: Schema] = [:]) -> Schema {
        var fields = Dictionary(uniqueKeysWithValues: names.map { ($0, Schema.value) })
        fields.merge(nested) { _, new in new }
        return .fields(fields)
    }

    static let match = Schema.record("all", "any", "at_least", "none")
    static let evidence = Schema.record("finding", "weight", "reason")

    static let file = Schema.fields([
        "version": .value,
        "sources": .list(.record("id", "title", "kind", "site"), entryKind: "source"),
        "vocabulary": .keyed(Set(FindingKind.allCases.map(\.rawValue)),
                             .list(.record("id", "label", "noted", "noted_absent", "transient", "description", "question", "why", "sources", "event", "unless"), entryKind: "term")),
        "causes": .list(.record("id", "name", "summary", "affects", "what_to_do", "see_doctor_if", "care_level", "prior",
                                "treatments", "prevention", "sources", nested: ["evidence": .list(evidence)]), entryKind: "cause"),
        "treatments": .list(.record("id", "name", "kind", "how", "caution", "sources"), entryKind: "treatment"),
        "prevention": .list(.record("id", "name", "advice", "foods", "sources"), entryKind: "prevention tip"),
        "triage_rules": .list(.record("id", "level", "title", "message", "why", "sources", "even_if_passed", nested: ["match": match]), entryKind: "triage rule"),
        "topics": .list(.record("id", "kind", "title", "answer", "sources"), entryKind: "topic"),
        "doctor_questions": .list(.record("id", "question", "causes", "findings", "levels", "sources"), entryKind: "doctor question"),
    ])

    /// Problems with unknown keys below `node`.
    func check(_ node: Node, file: String, entry: String?) -> [KnowledgeIssue] {
        switch self {
        case .value:
            return []
        case .list(let element, let entryKind):
            guard let sequence = node.sequence else { return [] }  // the decoder reports the type
            return sequence.flatMap { item in
                element.check(item, file: file, entry: item["id"]?.string.map { "\(entryKind) '\($0)'" } ?? entry)
            }
        case .fields(let fields):
            guard let mapping = node.mapping else { return [] }
            var issues: [KnowledgeIssue] = []
            for (keyNode, value) in mapping {
                guard let key = keyNode.string else { continue }
                if let child = fields[key] {
                    issues += child.check(value, file: file, entry: entry)
                } else {
                    issues.append(KnowledgeIssue(
                        file: file, line: keyNode.mark?.line, entry: entry,
                        problem: "unknown field '\(key)'; known fields are \(fields.keys.sorted().joined(separator: ", "))"))
                }
            }
            return issues
        case .keyed(let allowed, let child):
            guard let mapping = node.mapping else { return [] }
            var issues: [KnowledgeIssue] = []
            for (keyNode, value) in mapping {
                guard let key = keyNode.string else { continue }
                if allowed.contains(key) {
                    issues += child.check(value, file: file, entry: entry)
                } else {
                    issues.append(KnowledgeIssue(
                        file: file, line: keyNode.mark?.line, entry: entry,
                        problem: "unknown kind '\(key)'; known kinds are \(allowed.sorted().joined(separator: ", "))"))
                }
            }
            return issues
        }
    }
}
