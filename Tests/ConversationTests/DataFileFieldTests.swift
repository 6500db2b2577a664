import Foundation
import Knowledge
import Testing

@testable import Conversation

/// A misspelt field in the interview or the replies is an error naming the file, the line, the
/// entry and the field, as in the knowledge files (the decoder refuses keys no type reads).
@Suite("Unknown fields in the conversation's data files")
struct DataFileFieldTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func shipped(_ name: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent("Sources/Conversation/Resources/\(name)"), encoding: .utf8)
    }

    @Test("the shipped interview and replies load")
    func shippedLoad() throws {
        let knowledge = try KnowledgeLoader.loadBundled()
        _ = try Interview.load(text: try Self.shipped("interview.yaml"), file: "interview.yaml", knowledge: knowledge)
        _ = try Replies.load(text: try Self.shipped("replies.yaml"), file: "replies.yaml")
    }

    @Test("a misspelt first_when under a question is named, with the question and the fields it may have")
    func misspeltQuestionField() throws {
        let knowledge = try KnowledgeLoader.loadBundled()
        let text = try Self.shipped("interview.yaml")
        let edited = text.replacingOccurrences(of: "    first_when: [\"symptom:swelling\"]", with: "    fisrt_when: [\"symptom:swelling\"]")
        #expect(edited != text)
        let line = edited.components(separatedBy: "\n").firstIndex { $0.contains("fisrt_when") }.map { $0 + 1 }
        do {
            _ = try Interview.load(text: edited, file: "interview.yaml", knowledge: knowledge)
            Issue.record("the misspelt field was accepted")
        } catch {
            let issue = try #require(error.issues.first { $0.problem.hasPrefix("unknown field 'fisrt_when'") }, "\(error)")
            #expect(issue.file == "interview.yaml")
            #expect(issue.line == line)
            #expect(issue.entry == "question 'side'")
            #expect(issue.problem.contains("first_when"))
        }
    }

    @Test("an unknown top-level section of the replies is named")
    func unknownReplySection() throws {
        let text = try Self.shipped("replies.yaml") + "\nreplys:\n  hello: \"hi\"\n"
        do {
            _ = try Replies.load(text: text, file: "replies.yaml")
            Issue.record("the unknown section was accepted")
        } catch {
            #expect(error.issues.contains { $0.file == "replies.yaml" && $0.problem.hasPrefix("unknown field 'replys'") }, "\(error)")
        }
    }
    @Test("every question has other words for an answer not understood, and they are other words")
    func otherWords() throws {
        let knowledge = try KnowledgeLoader.loadBundled()
        let text = try Self.shipped("interview.yaml")
        let interview = try Interview.load(text: text, file: "interview.yaml", knowledge: knowledge)
        for question in interview.questions {
            let again = try #require(question.textAgain, "question '\(question.id)'")
            #expect(Wording.render(again, for: nil) != question.textForSelf, "question '\(question.id)'")
        }
        // Without them, the question is named.
        let edited = text.components(separatedBy: "\n").filter { !$0.hasPrefix("    text_again:") || !$0.contains("roughly?") }.joined(separator: "\n")
        #expect(edited != text)
        do {
            _ = try Interview.load(text: edited, file: "interview.yaml", knowledge: knowledge)
            Issue.record("a question without text_again was accepted")
        } catch {
            #expect(error.issues.contains { $0.entry == "question 'age'" && $0.problem.contains("text_again") }, "\(error)")
        }
    }
}
