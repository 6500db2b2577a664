/// The ids of the knowledge model that one target's Swift code names: a finding it records
/// (`Finding(.side, "left")`), a topic it answers with, a treatment it offers. Each target keeps
/// them in one table, next to the code, with what needs each; the loaders check the table
/// against the model, so that an id misspelt in the code or renamed in the data is an error at
/// load naming the file, the id and the code, not a reply that silently goes missing. A test in
/// each target reads its sources for ids named there that the table does not list.
public struct CodeNames: Sendable {
    /// Where an id named by the code must be.
    public enum Section: Sendable, Hashable {
        case finding(FindingKind)
        case topic, cause, treatment, prevention

        /// The shipped file that holds the section.
        var file: String {
            switch self {
            case .finding: "vocabulary.yaml"
            case .topic: "topics.yaml"
            case .cause: "causes.yaml"
            case .treatment, .prevention: "care.yaml"
            }
        }

        func entry(_ id: String) -> String {
            switch self {
            case .finding(let kind): "term '\(kind.rawValue):\(id)'"
            case .topic: "topic '\(id)'"
            case .cause: "cause '\(id)'"
            case .treatment: "treatment '\(id)'"
            case .prevention: "prevention tip '\(id)'"
            }
        }
    }

    public struct Name: Sendable {
        public var section: Section
        public var id: String
        /// The code that names it, e.g. "Reading.swift: left and right make both".
        public var neededBy: String
    }

    /// The target whose code names the ids ("Understanding").
    public let target: String
    public let names: [Name]

    public init(target: String, _ groups: [[Name]]) {
        self.target = target
        self.names = groups.flatMap { $0 }
    }

    /// Findings, written `kind:value` as in the data files.
    public static func findings(_ texts: [String], neededBy: String) -> [Name] {
        texts.map { text in
            guard let finding = Finding(parsing: text) else { preconditionFailure("'\(text)' is not kind:value") }
            return Name(section: .finding(finding.kind), id: finding.value, neededBy: neededBy)
        }
    }

    /// Values of one kind, as the code lists them (`["left", "right"]` of `.side`).
    public static func findings(_ kind: FindingKind, _ ids: [String], neededBy: String) -> [Name] {
        ids.map { Name(section: .finding(kind), id: $0, neededBy: neededBy) }
    }

    public static func topics(_ ids: some Sequence<String>, neededBy: String) -> [Name] {
        ids.sorted().map { Name(section: .topic, id: $0, neededBy: neededBy) }
    }

    public static func treatments(_ ids: [String], neededBy: String) -> [Name] {
        ids.map { Name(section: .treatment, id: $0, neededBy: neededBy) }
    }

    /// Whether the table lists `id` in `section`.
    public func lists(_ section: Section, _ id: String) -> Bool {
        names.contains { $0.section == section && $0.id == id }
    }

    /// Every id of the table the model lacks, one issue each.
    public func issues(in model: KnowledgeModel) -> [KnowledgeIssue] {
        names.compactMap { name in
            let known =
                switch name.section {
                case .finding(let kind): model.knows(Finding(kind, name.id))
                case .topic: model.topic(name.id) != nil
                case .cause: model.cause(name.id) != nil
                case .treatment: model.treatment(name.id) != nil
                case .prevention: model.preventionTip(name.id) != nil
                }
            if known { return nil }
            return KnowledgeIssue(
                file: name.section.file, entry: name.section.entry(name.id),
                problem: "missing: the code of \(target) names it (\(name.neededBy))")
        }
    }
}
