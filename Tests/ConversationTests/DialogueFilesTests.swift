import DialogueTesting
import Foundation
import Testing

@testable import Conversation

let sharedConversation: Conversation = {
    do { return try Conversation.bundled() } catch { fatalError("the conversation does not load: \(error)") }
}()

/// The repository's Dialogues/ folder, found from this file's path.
let dialoguesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Dialogues")

let dialogueFiles: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: dialoguesFolder.path)) ?? [])
    .filter { $0.hasSuffix(".dialogue") }.sorted()

@Suite("Dialogues/")
struct DialogueFilesTests {
    @Test("there are dialogues to run")
    func present() {
        #expect(dialogueFiles.count >= 50)
    }

    @Test("every dialogue passes", arguments: dialogueFiles)
    func dialogue(_ name: String) throws {
        let url = dialoguesFolder.appendingPathComponent(name)
        let script = try DialogueScript.parse(String(contentsOf: url, encoding: .utf8), file: "Dialogues/\(name)")
        for failure in DialogueRunner(conversation: sharedConversation).run(script) {
            Issue.record(Comment(rawValue: failure.description))
        }
    }
}

@Suite("The dialogue format")
struct DialogueFormatTests {
    @Test("a bad line is reported with its file and line")
    func badLine() {
        #expect(throws: DialogueScript.ParseError.self) { try DialogueScript.parse("> hi\nstagee: onset\n", file: "x.dialogue") }
        do {
            _ = try DialogueScript.parse("> hi\nstagee: onset\n", file: "x.dialogue")
        } catch {
            #expect(error.description == "x.dialogue:2: unknown expectation 'stagee'; see Dialogues/README.md")
        }
    }

    @Test("a failing expectation names the line and shows what happened")
    func failureReport() throws {
        let script = try DialogueScript.parse("> my calf cramps at night\nstage: assessment\ncontains: banana\n", file: "t.dialogue")
        let failures = DialogueRunner(conversation: sharedConversation).run(script)
        #expect(failures.map(\.line) == [2, 3])
        #expect(failures[0].description.hasPrefix("t.dialogue:2: expected stage assessment"))
    }
}
