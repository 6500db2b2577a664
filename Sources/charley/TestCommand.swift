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

            With --labels, scores labelled message files instead (`text | intent[:topic] | \
            findings` a line, the format of Tests/UnderstandingTests/Corpus/utterances.txt): \
            intent and topic accuracy, precision and recall per field, the share of all labels \
            understood, and with --misses each message read otherwise. Exit 1 when a field's \
            precision or recall (or the intent's accuracy) is below --floor.
            """)

    @Argument(help: "Dialogue files or folders.", completion: .file(extensions: ["dialogue"]))
    var paths: [String] = ["Dialogues"]

    @Option(
        name: .long, help: ArgumentHelp("A labelled message file to score (repeatable).", valueName: "file"),
        completion: .file(extensions: ["txt"]))
    var labels: [String] = []

    @Option(help: "With --labels: the lowest precision, recall or accuracy allowed, from 0 to 1.")
    var floor: Double?

    @Flag(help: "With --labels: print each message that was read otherwise, and how.")
    var misses = false

    func run() throws {
        guard labels.isEmpty else { return try score() }
        let runner = DialogueRunner(conversation: try loadConversationOrExit())
        var failed = 0
        var passed = 0
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

    func score() throws {
        let interpreter = try loadInterpreterOrExit()
        var set: [LabelledUtterance] = []
        for path in labels {
            do { set += try LabelledUtterance.load(file: URL(fileURLWithPath: path)) } catch let error as LabelledSetError {
                throw ValidationError(error.description)
            } catch {
                throw ValidationError("cannot read \(path): \(error.localizedDescription)")
            }
        }
        let evaluation = CorpusEvaluation(set, interpreter: interpreter)
        print(evaluation.report)
        let (understood, total) = evaluation.allLabels
        print(String(format: "  %-12@ %d of %d (%.3f)", "all labels" as NSString, understood, total, Double(understood) / Double(max(total, 1))))
        if misses { for miss in evaluation.misses { print("miss: " + miss) } }
        guard let floor else { return }
        var below = evaluation.intentAccuracy < floor ? ["intent"] : []
        if evaluation.warningSigns.recall < floor { below.append("warning signs") }
        for (name, field) in evaluation.fields.sorted(by: { $0.key < $1.key }) where min(field.precision, field.recall) < floor {
            below.append(name)
        }
        if !below.isEmpty {
            print("below \(floor): \(below.joined(separator: ", "))")
            throw ExitCode(1)
        }
    }
}
