import ArgumentParser
import Conversation
import Foundation
import Knowledge
import Report
import Understanding

struct KnowledgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "knowledge",
        abstract: "Show or check the knowledge model.",
        discussion: """
            The knowledge model is the set of YAML files Charley answers from: causes and their \
            evidence, treatments, prevention, triage rules and topics. Clinicians and writers edit \
            them; `charley knowledge check` validates an edit before it ships.
            """,
        subcommands: [Show.self, Check.self],
        defaultSubcommand: Show.self
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the loaded knowledge model (a summary, or all of it with --json).")

        @Flag(help: "Print the whole model as JSON, for bridges and tests.")
        var json = false

        func run() throws {
            let model = try loadOrExit { () throws(KnowledgeError) in try KnowledgeLoader.loadBundled() }
            if json {
                print(try ContractJSON.string(model, pretty: true))
            } else {
                print("Knowledge model \(model.version)")
                print("  causes: \(model.causes.count), triage rules: \(model.triageRules.count), topics: \(model.topics.count)")
                print("  treatments: \(model.treatments.count), prevention tips: \(model.prevention.count), sources: \(model.sources.count)")
                for kind in FindingKind.allCases {
                    print("  \(kind.rawValue): \(model.terms(kind).map(\.id).joined(separator: ", "))")
                }
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate knowledge files; exit 1 with every problem found.",
            discussion: """
                PATH may be a folder of .yaml files (checked on its own) or one file, which is \
                checked in place of the shipped file of the same name, together with the other \
                shipped files; a lexicon.yaml is checked against the shipped model. Without PATH, \
                the shipped model is checked with the shipped lexicon, interview and replies. Either \
                way, every id Charley's code names (a topic, a finding) must be in the model checked.
                """)

        @Argument(help: "A knowledge folder or file.", completion: .file(extensions: ["yaml", "yml"]))
        var path: String?

        func run() throws {
            let model = try loadOrExit { () throws(KnowledgeError) in
                var model = KnowledgeModel?.none
                var corpus = WarningSignCorpus?.none
                if let path {
                    var isDirectory: ObjCBool = false
                    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                        throw KnowledgeError(issues: [KnowledgeIssue(file: path, problem: "no such file or folder")])
                    }
                    let url = URL(fileURLWithPath: path)
                    // A folder stands for all the files; one file for the shipped one of its name.
                    // The warning-sign phrasings: those in the folder, or the edited file itself.
                    let corpusURL = isDirectory.boolValue ? url.appendingPathComponent(WarningSignCorpus.file) : url
                    if corpusURL.lastPathComponent == WarningSignCorpus.file, FileManager.default.fileExists(atPath: corpusURL.path) {
                        corpus = try WarningSignCorpus.load(corpusURL)
                    }
                    if !isDirectory.boolValue, url.lastPathComponent == "lexicon.yaml" {
                        // The lexicon, against the shipped model.
                        let shipped = try KnowledgeLoader.loadBundled()
                        _ = try Lexicon.load(file: url, knowledge: shipped)
                        return shipped
                    }
                    if isDirectory.boolValue {
                        model = try KnowledgeLoader.load(directory: url)
                    } else if corpus == nil {
                        model = try KnowledgeLoader.load(replacing: url)
                    }
                }
                // (`??` would lose the typed throw.)
                let checked: KnowledgeModel
                if let model { checked = model } else { checked = try KnowledgeLoader.loadBundled() }
                let phrasings: WarningSignCorpus
                if let corpus { phrasings = corpus } else { phrasings = try WarningSignCorpus.loadBundled() }
                // And every id the code names, in whichever model is checked.
                let issues =
                    phrasings.issues(against: checked)
                    + [CodeNames.understanding, .conversation, .report].flatMap { $0.issues(in: checked) }
                guard issues.isEmpty else { throw KnowledgeError(issues: issues) }
                // The shipped model: with the lexicon, the interview and the replies that read it.
                if path == nil { _ = try Conversation.bundled() }
                return checked
            }
            print(
                "ok: knowledge model \(model.version): \(model.causes.count) causes, "
                    + "\(model.triageRules.count) triage rules, \(model.topics.count) topics")
        }
    }
}

/// Runs a load of Charley's data files; on failure prints every problem to stderr and exits 1.
func loadOrExit<T>(_ load: () throws(KnowledgeError) -> T) throws -> T {
    do {
        return try load()
    } catch {
        FileHandle.standardError.write(Data((error.description + "\n").utf8))
        throw ExitCode(1)
    }
}
