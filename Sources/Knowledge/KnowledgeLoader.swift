import Foundation
import Yams

/// One problem found while loading a knowledge file: where it is and what is wrong, worded for
/// the clinician or writer who edits the file.
public struct KnowledgeIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// The entry, e.g. `cause 'dehydration'`; nil for problems with the file as a whole.
    public var entry: String?
    public var problem: String

    public init(file: String, line: Int? = nil, entry: String? = nil, problem: String) {
        self.file = file
        self.line = line
        self.entry = entry
        self.problem = problem
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let entry { text += "\(entry): " }
        return text + problem
    }
}

/// Loading failed; every problem found is listed, not only the first.
public struct KnowledgeError: Error, Sendable, CustomStringConvertible {
    public var issues: [KnowledgeIssue]

    public init(issues: [KnowledgeIssue]) { self.issues = issues }

    public var description: String {
        "the knowledge model has \(issues.count) problem\(issues.count == 1 ? "" : "s"):\n"
            + issues.map { "  " + $0.description }.joined(separator: "\n")
    }
}

/// A knowledge file's name and text, so loading can be tested without a file system.
public struct KnowledgeDocument: Sendable {
    public var name: String
    public var text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}

/// Reads the knowledge files, merges their sections and validates the result.
public enum KnowledgeLoader {
    /// The folder of knowledge files shipped with Charley.
    public static var bundledDirectory: URL? {
        Bundle.module.url(forResource: "knowledge", withExtension: nil)
    }

    /// Loads the shipped model.
    public static func loadBundled() throws(KnowledgeError) -> KnowledgeModel {
        guard let directory = bundledDirectory else {
            throw KnowledgeError(issues: [
                KnowledgeIssue(
                    file: "knowledge", problem: "the knowledge files are missing from Charley's resources")
            ])
        }
        return try load(directory: directory)
    }

    /// Loads every `.yaml` file of a folder.
    public static func load(directory: URL) throws(KnowledgeError) -> KnowledgeModel {
        try load(documents: readDocuments(in: directory))
    }

    /// Loads the shipped model with `file` standing in for the shipped file of the same name
    /// (or added to them): how an editor checks the one file they changed.
    public static func load(replacing file: URL) throws(KnowledgeError) -> KnowledgeModel {
        var documents = try bundledDirectory.map { url throws(KnowledgeError) in try readDocuments(in: url) } ?? []
        let replacement = try readDocument(file)
        documents.removeAll { $0.name == replacement.name }
        documents.append(replacement)
        return try load(documents: documents)
    }

    /// Parses, merges and validates documents. Sections may be split across documents;
    /// `version` must be given exactly once.
    public static func load(documents: [KnowledgeDocument]) throws(KnowledgeError) -> KnowledgeModel {
        var issues: [KnowledgeIssue] = []
        var parts: [ParsedDocument] = []
        for document in documents.sorted(by: { $0.name < $1.name }) {
            switch parse(document) {
            case .success(let part): parts.append(part)
            case .failure(let error): issues += error.issues
            }
        }
        if documents.isEmpty {
            issues.append(KnowledgeIssue(file: "knowledge", problem: "no knowledge files (*.yaml) were found"))
        }
        guard issues.isEmpty else { throw KnowledgeError(issues: issues) }

        let (model, locations, mergeIssues) = merge(parts)
        issues += mergeIssues
        issues += KnowledgeValidator.validate(model, locations: locations)
        guard issues.isEmpty else { throw KnowledgeError(issues: issues) }
        return model.withProseTrimmed()
    }

    // MARK: - Reading

    package static func readDocuments(in directory: URL) throws(KnowledgeError) -> [KnowledgeDocument] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw KnowledgeError(issues: [
                KnowledgeIssue(
                    file: directory.path, problem: "cannot read the folder: \(error.localizedDescription)")
            ])
        }
        var documents: [KnowledgeDocument] = []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            documents.append(try readDocument(directory.appendingPathComponent(name)))
        }
        return documents
    }

    static func readDocument(_ url: URL) throws(KnowledgeError) -> KnowledgeDocument {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw KnowledgeError(issues: [KnowledgeIssue(file: url.path, problem: "cannot read the file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw KnowledgeError(issues: [KnowledgeIssue(file: url.lastPathComponent, problem: "the file is not UTF-8 text")])
        }
        return KnowledgeDocument(name: url.lastPathComponent, text: text)
    }

    /// Parses a YAML data file of Charley's (lexicon, interview) into `T`, with its node tree
    /// for line numbers; every failure becomes an issue naming the file and, where known, the line.
    package static func decodeYAML<T: Decodable>(_ type: T.Type, text: String, file: String) throws(KnowledgeError) -> (T, Node) {
        do {
            guard let node = try Yams.compose(yaml: text, .basic) else {
                throw KnowledgeError(issues: [KnowledgeIssue(file: file, problem: "the file is empty")])
            }
            do {
                return (try NodeDecoder().decodeCheckingFields(T.self, from: node), node)
            } catch let error as DecodingError {
                throw KnowledgeError(issues: [issue(for: error, file: file, root: node)])
            } catch let error as UnknownFieldsError {
                throw KnowledgeError(issues: error.fields.map { issue(for: $0, file: file, root: node, entry: listEntryName) })
            }
        } catch let error as KnowledgeError {
            throw error
        } catch let error as YamlError {
            throw KnowledgeError(issues: [issue(for: error, file: file)])
        } catch {
            throw KnowledgeError(issues: [KnowledgeIssue(file: file, problem: "\(error)")])
        }
    }

    // MARK: - Parsing one document

    struct ParsedDocument {
        var name: String
        var root: Node
        var content: KnowledgeFileContent
    }

    /// A key of the vocabulary that is no finding kind.
    struct UnknownKindError: Error { var kind: String }

    /// A field no type reads, as an issue: its line, the entry it is in, and the fields known there.
    static func issue(
        for field: UnknownFieldsError.Field, file: String, root: Node,
        entry: ([any CodingKey], Node) -> String?
    ) -> KnowledgeIssue {
        let known = field.known.isEmpty ? "" : "; known fields are \(field.known.joined(separator: ", "))"
        let missing = field.missing.map { " (the field '\($0)' is missing: misspelt?)" } ?? ""
        return KnowledgeIssue(file: file, line: field.line, entry: entry(field.path, root), problem: "unknown field '\(field.key)'\(known)\(missing)")
    }

    /// For the lexicon and the interview: `question 'timing'` for a path into a list of entries
    /// with ids, the key (`symptom:numbness`) for one into a mapping, else nothing.
    static func listEntryName(path: [any CodingKey], root: Node) -> String? {
        guard let last = path.last else { return nil }
        if let index = last.intValue, path.count >= 2 {
            let list = path[path.count - 2].stringValue
            let singular = list.hasSuffix("s") ? String(list.dropLast()) : list
            let entry = node(at: path, in: root)
            return "\(singular.replacingOccurrences(of: "_", with: " ")) '\(entry["id"]?.string ?? "#\(index + 1)")'"
        }
        return path.count >= 2 ? "\(path[path.count - 2].stringValue) '\(last.stringValue)'" : "'\(last.stringValue)'"
    }

    /// The sections a knowledge file may hold; all optional, merged across files.
    struct KnowledgeFileContent: Decodable {
        var version: String?
        var sources: [Source]?
        var vocabulary: [FindingKind: [Term]]?
        var causes: [Cause]?
        var treatments: [Treatment]?
        var prevention: [PreventionTip]?
        var triageRules: [TriageRule]?
        var topics: [Topic]?
        var doctorQuestions: [DoctorQuestion]?

        enum CodingKeys: String, CodingKey {
            case version, sources, vocabulary, causes, treatments, prevention, topics
            case triageRules = "triage_rules"
            case doctorQuestions = "doctor_questions"
        }

        /// A key of the vocabulary that is no finding kind is named as such.
        struct KindKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            version = try c.decodeIfPresent(String.self, forKey: .version)
            sources = try c.decodeIfPresent([Source].self, forKey: .sources)
            if c.contains(.vocabulary) {
                let kinds = try c.nestedContainer(keyedBy: KindKey.self, forKey: .vocabulary)
                var vocabulary: [FindingKind: [Term]] = [:]
                for key in kinds.allKeys {
                    guard let kind = FindingKind(rawValue: key.stringValue) else { throw UnknownKindError(kind: key.stringValue) }
                    vocabulary[kind] = try kinds.decode([Term].self, forKey: key)
                }
                self.vocabulary = vocabulary
            }
            causes = try c.decodeIfPresent([Cause].self, forKey: .causes)
            treatments = try c.decodeIfPresent([Treatment].self, forKey: .treatments)
            prevention = try c.decodeIfPresent([PreventionTip].self, forKey: .prevention)
            triageRules = try c.decodeIfPresent([TriageRule].self, forKey: .triageRules)
            topics = try c.decodeIfPresent([Topic].self, forKey: .topics)
            doctorQuestions = try c.decodeIfPresent([DoctorQuestion].self, forKey: .doctorQuestions)
        }
    }

    static func parse(_ document: KnowledgeDocument) -> Result<ParsedDocument, KnowledgeError> {
        let file = document.name
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: document.text, .basic) else {
                return .failure(KnowledgeError(issues: [KnowledgeIssue(file: file, problem: "the file is empty")]))
            }
            root = node
        } catch let error as YamlError {
            return .failure(KnowledgeError(issues: [issue(for: error, file: file)]))
        } catch {
            return .failure(KnowledgeError(issues: [KnowledgeIssue(file: file, problem: "\(error)")]))
        }
        guard root.mapping != nil else {
            return .failure(
                KnowledgeError(issues: [
                    KnowledgeIssue(
                        file: file, line: root.mark?.line,
                        problem: "the file must be a mapping of sections (causes:, topics:, ...)")
                ]))
        }
        do {
            let content = try NodeDecoder().decodeCheckingFields(KnowledgeFileContent.self, from: root)
            return .success(ParsedDocument(name: file, root: root, content: content))
        } catch let error as DecodingError {
            return .failure(KnowledgeError(issues: [issue(for: error, file: file, root: root)]))
        } catch let error as UnknownFieldsError {
            return .failure(KnowledgeError(issues: error.fields.map { issue(for: $0, file: file, root: root, entry: entryName) }))
        } catch let error as UnknownKindError {
            let key = root["vocabulary"]?.mapping?.first { $0.key.string == error.kind }?.key
            return .failure(
                KnowledgeError(issues: [
                    KnowledgeIssue(
                        file: file, line: key?.mark?.line,
                        problem: "unknown kind '\(error.kind)'; known kinds are \(FindingKind.allCases.map(\.rawValue).sorted().joined(separator: ", "))")
                ]))
        } catch {
            return .failure(KnowledgeError(issues: [KnowledgeIssue(file: file, problem: "\(error)")]))
        }
    }

    package static func issue(for error: YamlError, file: String) -> KnowledgeIssue {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return KnowledgeIssue(file: file, line: mark.line, problem: "not valid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return KnowledgeIssue(
                file: file, line: context.mark.line,
                problem: "a key is given twice: \(duplicates.joined(separator: ", "))")
        default:
            return KnowledgeIssue(file: file, problem: "not valid YAML: \(error)")
        }
    }

    package static func issue(for error: DecodingError, file: String, root: Node) -> KnowledgeIssue {
        let path: [any CodingKey]
        let problem: String
        switch error {
        case .keyNotFound(let key, let context):
            path = context.codingPath
            problem = "the field '\(key.stringValue)' is missing"
        case .typeMismatch(let type, let context):
            path = context.codingPath
            problem = "expected \(describe(type)) at '\(dotted(context.codingPath))'"
        case .valueNotFound(let type, let context):
            path = context.codingPath
            problem = "expected \(describe(type)) at '\(dotted(context.codingPath))', found nothing"
        case .dataCorrupted(let context):
            path = context.codingPath
            problem = "\(context.debugDescription) (at '\(dotted(context.codingPath))')"
        @unknown default:
            path = []
            problem = "\(error)"
        }
        let node = node(at: path, in: root)
        return KnowledgeIssue(file: file, line: node.mark?.line, entry: entryName(path: path, root: root), problem: problem)
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Double.Type, is Int.Type: "a number"
        case is Bool.Type: "true or false"
        default:
            String(describing: type).hasPrefix("Array") ? "a list" : "a mapping"
        }
    }

    static func dotted(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
    }

    /// The deepest node the coding path reaches.
    static func node(at path: [any CodingKey], in root: Node) -> Node {
        var current = root
        for key in path {
            if let index = key.intValue, let sequence = current.sequence, index < sequence.count {
                current = sequence[index]
            } else if let child = current[key.stringValue] {
                current = child
            } else {
                break
            }
        }
        return current
    }

    /// `cause 'dehydration'` for a path into the causes list, when the entry has an id.
    static func entryName(path: [any CodingKey], root: Node) -> String? {
        guard path.count >= 2, let index = path[1].intValue,
            let section = Section(rawValue: path[0].stringValue),
            let entry = root[path[0].stringValue]?.sequence.flatMap({ index < $0.count ? $0[index] : nil })
        else { return nil }
        return section.entryName(id: entry["id"]?.string ?? "#\(index + 1)")
    }

    // MARK: - Merging

    enum Section: String, CaseIterable {
        case sources, causes, treatments, prevention, topics
        case triageRules = "triage_rules"
        case vocabulary
        case doctorQuestions = "doctor_questions"

        func entryName(id: String) -> String {
            switch self {
            case .doctorQuestions: "doctor question '\(id)'"
            case .sources: "source '\(id)'"
            case .causes: "cause '\(id)'"
            case .treatments: "treatment '\(id)'"
            case .prevention: "prevention tip '\(id)'"
            case .topics: "topic '\(id)'"
            case .triageRules: "triage rule '\(id)'"
            case .vocabulary: "term '\(id)'"
            }
        }
    }

    static func merge(_ parts: [ParsedDocument]) -> (KnowledgeModel, EntryLocations, [KnowledgeIssue]) {
        var issues: [KnowledgeIssue] = []
        var locations = EntryLocations()
        var version: String?
        var model = KnowledgeModel(
            version: "", sources: [], vocabulary: [:], causes: [], treatments: [],
            prevention: [], triageRules: [], topics: [])

        func record(_ section: Section, _ ids: [String], _ part: ParsedDocument, key: String? = nil) {
            let list = part.root[key ?? section.rawValue]?.sequence
            for (index, id) in ids.enumerated() {
                let line = list.flatMap { index < $0.count ? $0[index].mark?.line : nil }
                let location = EntryLocation(file: part.name, line: line)
                let keyID = key.map { "\($0)/\(id)" } ?? id
                if let earlier = locations[section, keyID] {
                    issues.append(
                        KnowledgeIssue(
                            file: part.name, line: line, entry: section.entryName(id: key.map { "\($0):\(id)" } ?? id),
                            problem: "the id is used twice (also at \(earlier.file):\(earlier.line ?? 0))"))
                } else {
                    locations[section, keyID] = location
                }
            }
        }

        for part in parts {
            let content = part.content
            if let v = content.version {
                if version != nil {
                    issues.append(
                        KnowledgeIssue(
                            file: part.name, line: part.root["version"]?.mark?.line,
                            problem: "'version' is given in more than one file"))
                }
                version = v
            }
            if let s = content.sources {
                record(.sources, s.map(\.id), part)
                model.sources += s
            }
            if let c = content.causes {
                record(.causes, c.map(\.id), part)
                model.causes += c
            }
            if let t = content.treatments {
                record(.treatments, t.map(\.id), part)
                model.treatments += t
            }
            if let p = content.prevention {
                record(.prevention, p.map(\.id), part)
                model.prevention += p
            }
            if let r = content.triageRules {
                record(.triageRules, r.map(\.id), part)
                model.triageRules += r
            }
            if let t = content.topics {
                record(.topics, t.map(\.id), part)
                model.topics += t
            }
            if let q = content.doctorQuestions {
                record(.doctorQuestions, q.map(\.id), part)
                model.doctorQuestions += q
            }
            if let vocabulary = content.vocabulary {
                for (kind, terms) in vocabulary.sorted(by: { $0.key < $1.key }) {
                    let vocabularyNode = part.root["vocabulary"]
                    let list = vocabularyNode?[kind.rawValue]?.sequence
                    for (index, term) in terms.enumerated() {
                        let line = list.flatMap { index < $0.count ? $0[index].mark?.line : nil }
                        let keyID = "\(kind.rawValue)/\(term.id)"
                        if let earlier = locations[.vocabulary, keyID] {
                            issues.append(
                                KnowledgeIssue(
                                    file: part.name, line: line, entry: "\(kind.rawValue) '\(term.id)'",
                                    problem: "the id is used twice (also at \(earlier.file):\(earlier.line ?? 0))"))
                        } else {
                            locations[.vocabulary, keyID] = EntryLocation(file: part.name, line: line)
                        }
                    }
                    model.vocabulary[kind, default: []] += terms
                }
            }
        }
        if let version {
            model.version = version
        } else if !parts.isEmpty {
            issues.append(KnowledgeIssue(file: parts[0].name, problem: "no file gives the model's 'version'"))
        }
        return (model, locations, issues)
    }
}

/// Where an entry was defined, so validation can point at it.
struct EntryLocation: Equatable {
    var file: String
    var line: Int?
}

struct EntryLocations {
    private var table: [String: EntryLocation] = [:]

    subscript(section: KnowledgeLoader.Section, id: String) -> EntryLocation? {
        get { table["\(section.rawValue)/\(id)"] }
        set { table["\(section.rawValue)/\(id)"] = newValue }
    }
}

extension KnowledgeModel {
    /// YAML's folded blocks end with a newline; prose is stored without it so replies need no
    /// trimming at run time.
    func withProseTrimmed() -> KnowledgeModel {
        func clean(_ text: String) -> String {
            text.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }.joined(separator: " ")
        }
        var model = self
        for index in model.causes.indices {
            model.causes[index].summary = clean(model.causes[index].summary)
            model.causes[index].affects = clean(model.causes[index].affects)
            model.causes[index].whatToDo = model.causes[index].whatToDo.map(clean)
        }
        for index in model.treatments.indices {
            model.treatments[index].how = clean(model.treatments[index].how)
            model.treatments[index].caution = model.treatments[index].caution.map(clean)
        }
        for index in model.prevention.indices { model.prevention[index].advice = clean(model.prevention[index].advice) }
        for index in model.triageRules.indices {
            model.triageRules[index].message = clean(model.triageRules[index].message)
            model.triageRules[index].why = clean(model.triageRules[index].why)
        }
        for index in model.topics.indices { model.topics[index].answer = clean(model.topics[index].answer) }
        for index in model.doctorQuestions.indices { model.doctorQuestions[index].question = clean(model.doctorQuestions[index].question) }
        return model
    }
}
