import Foundation
import Knowledge
import TestSupport
import Testing

@testable import Understanding

/// The ids the code of Understanding names (`CodeNames.understanding`) are checked when the
/// lexicon loads, and the table lists every one the sources name.
@Suite("Ids named by the code of Understanding")
struct CodeNamesTests {
    /// The shipped knowledge files, one of them edited.
    static func knowledge(_ file: String, replacing old: String, with new: String) throws -> KnowledgeModel {
        let folder = try #require(KnowledgeLoader.bundledDirectory)
        var documents = try KnowledgeLoader.readDocuments(in: folder)
        let index = try #require(documents.firstIndex { $0.name == file })
        let edited = documents[index].text.replacingOccurrences(of: old, with: new)
        #expect(edited != documents[index].text)
        documents[index].text = edited
        return try KnowledgeLoader.load(documents: documents)
    }

    @Test("the shipped model has every id of the table")
    func shipped() throws {
        #expect(CodeNames.understanding.issues(in: try KnowledgeLoader.loadBundled()).isEmpty)
    }

    @Test("a topic the code names, renamed in topics.yaml, fails the lexicon's load naming the file, the id and the code")
    func renamedTopic() throws {
        let model = try Self.knowledge("topics.yaml", replacing: "  - id: night_cramps\n", with: "  - id: nightly_cramps\n")
        do {
            _ = try Lexicon.loadBundled(knowledge: model)
            Issue.record("the lexicon loaded without the topic its code names")
        } catch {
            let issue = try #require(error.issues.first { $0.entry == "topic 'night_cramps'" }, "\(error)")
            #expect(issue.file == "topics.yaml")
            #expect(issue.problem == "missing: the code of Understanding names it (Interpreter.swift: topics an explicit kind of question wins over)")
        }
    }

    @Test("a finding the code names, missing from the model, fails the lexicon's load")
    func missingFinding() throws {
        var model = try KnowledgeLoader.loadBundled()
        model.vocabulary[.trigger]?.removeAll { $0.id == "clot_risk" }
        do {
            _ = try Lexicon.loadBundled(knowledge: model)
            Issue.record("the lexicon loaded without a finding its code names")
        } catch {
            #expect(
                error.issues.contains {
                    $0.file == "vocabulary.yaml" && $0.entry == "term 'trigger:clot_risk'"
                        && $0.problem.hasPrefix("missing: the code of Understanding names it (Quantities.swift")
                }, "\(error)")
        }
    }

    @Test("every finding and topic the sources name is in the table")
    func sourcesNameOnlyListedIDs() throws {
        let found = try NamedIDScan.scan(target: "Understanding")
        #expect(found.count > 20, "the scan finds the ids it should: \(found)")
        for item in found {
            #expect(CodeNames.understanding.lists(try section(item.section), item.id), "\(item) is not in CodeNames.understanding")
        }
    }
}

/// The table's section for a scanned one (`finding:age_group`, `topic`).
func section(_ name: String) throws -> CodeNames.Section {
    if name == "topic" { return .topic }
    let kind = try #require(name.hasPrefix("finding:") ? FindingKind(rawValue: String(name.dropFirst(8))) : nil, "\(name)")
    return .finding(kind)
}
