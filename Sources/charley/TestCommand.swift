import ArgumentParser
import DialogueTesting
import Foundation

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run scripted dialogue tests.",
        discussion: """
            Runs every .dialogue file in the given files and folders (default: Dialogues) through \
            the conversation engine and reports each failed expectation as file:line with what was \
            expected and what Charley did. Exit 1 when any fails. The format is in Dialogues/README.md.
            """)

    @Argument(help: "Dialogue files or folders.", completion: .file(extensions: ["dialogue"]))
    var paths: [String] = ["Dialogues"]

    func run() throws {
        let runner = DialogueRunner(conversation: try loadConversationOrExit())
        var failed = 0, passed = 0
        for url in try DialogueRunner.files(at: paths) {
            let script = try DialogueScript.parse(String(contentsOf: url, encoding: .utf8), file: url.path)
            let failures = runner.run(script)
            if failures.isEmpty {
                passed += 1
            } else {
                failed += 1
                print("FAIL \(url.path)")
                for failure in failures { print("  " + failure.description) }
            }
        }
        print("\(passed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }
}
