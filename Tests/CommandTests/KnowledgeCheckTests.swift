import Foundation
import TestSupport
import Testing

/// `charley knowledge check`, the command editors run before an edit ships (and CI on the shipped
/// files): it must check the lexicon too, not only the knowledge model's files.
@Suite("charley knowledge check")
struct KnowledgeCheckTests {
    static let lexicon = CharleyProcess.packageRoot.appendingPathComponent("Sources/Understanding/Resources/lexicon.yaml")

    @Test("the shipped files pass, lexicon included")
    func shipped() throws {
        let result = try CharleyProcess.run(["knowledge", "check"], mergingErrors: true)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.hasPrefix("ok: knowledge model"))
    }

    @Test("an edited lexicon with a phrase under two meanings fails, naming the file, the entry and the phrase")
    func brokenLexicon() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("charley-lexcheck-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var text = try String(contentsOf: Self.lexicon, encoding: .utf8)
        let restart = try #require(text.range(of: "  restart: [restart,"))
        text.replaceSubrange(restart, with: "  restart: [restart, aye,")
        let edited = folder.appendingPathComponent("lexicon.yaml")
        try text.write(to: edited, atomically: true, encoding: .utf8)
        let result = try CharleyProcess.run(["knowledge", "check", edited.path], mergingErrors: true)
        #expect(result.status == 1)
        #expect(result.output.contains("lexicon.yaml:"), "\(result.output)")
        #expect(result.output.contains("intent restart: the phrase 'aye' is also listed under intent affirm"), "\(result.output)")
    }

    @Test("a misspelt field in the lexicon is named with the pattern and the fields it may have")
    func misspeltLexiconField() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("charley-lexfield-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try String(contentsOf: Self.lexicon, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "  - {together: [face, droop], means", with: "  - {together: [face, droop], unles: [x], means")
        #expect(edited != text)
        let file = folder.appendingPathComponent("lexicon.yaml")
        try edited.write(to: file, atomically: true, encoding: .utf8)
        let result = try CharleyProcess.run(["knowledge", "check", file.path], mergingErrors: true)
        #expect(result.status == 1)
        #expect(result.output.contains("unknown field 'unles'; known fields are cause, means, together, unless"), "\(result.output)")
    }

    @Test("a topic the code names, renamed in an edited topics.yaml, fails naming the file, the id and the code of each target")
    func renamedTopicTheCodeNames() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("charley-codenames-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let shipped = CharleyProcess.packageRoot.appendingPathComponent("Sources/Knowledge/Resources/knowledge/topics.yaml")
        let text = try String(contentsOf: shipped, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "  - id: other_cramps\n", with: "  - id: other_cramp\n")
        #expect(edited != text)
        let file = folder.appendingPathComponent("topics.yaml")
        try edited.write(to: file, atomically: true, encoding: .utf8)
        let result = try CharleyProcess.run(["knowledge", "check", file.path], mergingErrors: true)
        #expect(result.status == 1)
        #expect(
            result.output.contains("topics.yaml: topic 'other_cramps': missing: the code of Understanding names it (Interpreter.swift:"), "\(result.output)")
        #expect(result.output.contains("topics.yaml: topic 'other_cramps': missing: the code of Conversation names it (Turn.swift:"), "\(result.output)")
    }
}
