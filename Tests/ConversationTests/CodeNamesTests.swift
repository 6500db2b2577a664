import Foundation
import Knowledge
import TestSupport
import Testing

@testable import Conversation

/// The ids the code of Conversation names (`CodeNames.conversation`) are checked when the
/// interview loads, and the tables list every id the sources name: findings, topics and the
/// replies (`Replies.ids`).
@Suite("Ids named by the code of Conversation")
struct CodeNamesTests {
    static func interview() throws -> String {
        try String(contentsOf: CharleyProcess.packageRoot.appendingPathComponent("Sources/Conversation/Resources/interview.yaml"), encoding: .utf8)
    }

    @Test("the shipped model has every id of the table")
    func shipped() throws {
        #expect(CodeNames.conversation.issues(in: try KnowledgeLoader.loadBundled()).isEmpty)
    }

    @Test("a topic the code names, renamed in topics.yaml, fails the interview's load naming the file, the id and the code")
    func renamedTopic() throws {
        let folder = try #require(KnowledgeLoader.bundledDirectory)
        var documents = try KnowledgeLoader.readDocuments(in: folder)
        let index = try #require(documents.firstIndex { $0.name == "topics.yaml" })
        let edited = documents[index].text.replacingOccurrences(of: "  - id: medicines\n", with: "  - id: medicine_list\n")
        #expect(edited != documents[index].text)
        documents[index].text = edited
        let model = try KnowledgeLoader.load(documents: documents)
        let text = try Self.interview()
        do {
            _ = try Interview.load(text: text, file: "interview.yaml", knowledge: model)
            Issue.record("the interview loaded without a topic its code names")
        } catch {
            let issue = try #require(error.issues.first { $0.entry == "topic 'medicines'" }, "\(error)")
            #expect(issue.file == "topics.yaml")
            #expect(issue.problem.hasPrefix("missing: the code of Conversation names it (Turn.swift: topics about medicines"))
        }
    }

    @Test("a treatment the code names, missing from the model, fails the interview's load")
    func missingTreatment() throws {
        var model = try KnowledgeLoader.loadBundled()
        model.treatments.removeAll { $0.id == "massage" }
        let text = try Self.interview()
        do {
            _ = try Interview.load(text: text, file: "interview.yaml", knowledge: model)
            Issue.record("the interview loaded without a treatment its code names")
        } catch {
            #expect(
                error.issues.contains {
                    $0.file == "care.yaml" && $0.entry == "treatment 'massage'"
                        && $0.problem == "missing: the code of Conversation names it (Conversation.swift: the general care of every assessment)"
                }, "\(error)")
        }
    }

    @Test("every finding, topic and reply the sources name is in its table")
    func sourcesNameOnlyListedIDs() throws {
        let found = try NamedIDScan.scan(target: "Conversation", calls: ["reply": ["replies[", "replies.fill("]])
        #expect(found.filter { $0.section == "reply" }.count > 40, "the scan finds the replies: \(found)")
        #expect(found.contains { $0.section == "topic" }, "the scan finds the topics: \(found)")
        for item in found {
            switch item.section {
            case "reply":
                #expect(Replies.ids.contains(item.id), "\(item) is not in Replies.ids")
            case "topic":
                #expect(CodeNames.conversation.lists(.topic, item.id), "\(item) is not in CodeNames.conversation")
            default:
                let kind = try #require(FindingKind(rawValue: String(item.section.dropFirst("finding:".count))), "\(item)")
                #expect(CodeNames.conversation.lists(.finding(kind), item.id), "\(item) is not in CodeNames.conversation")
            }
        }
    }
}
