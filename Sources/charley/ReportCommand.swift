import ArgumentParser
import Conversation
import Foundation
import Knowledge
import Report
import Storage
import Terminal

extension ReportFormat: ExpressibleByArgument {}

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The report of a stored session: a summary to take to a doctor or pharmacist.",
        discussion: """
            Makes the report of a session kept in the session store (by `charley serve`, or by \
            `charley --resume` under terminal:USER): what was told and for whom, where it hurts \
            (a picture of the legs), the triage and why, the possible causes with the reasons for \
            and against (not a diagnosis), what to do, questions worth asking the doctor, the \
            sources, the date and the knowledge model's version. No dose, ever.

            --format html (the default) is one self-contained page, with the picture inline, that \
            prints on A4 and Letter; text is plain text; svg is the picture alone. With --output \
            the report is written to FILE (mode 0600, the format from its name when --format is \
            not given: .txt text, .svg the picture, else HTML); without it, to standard output.
            """)

    @OptionGroup var storage: StoreOptions

    @Argument(help: "The session id (see `charley sessions`).")
    var session: String

    @Option(help: "html, text or svg (default: from --output's name, else html).")
    var format: ReportFormat?

    @Option(help: "Write the report to this file (mode 0600) instead of standard output.")
    var output: String?

    func run() async throws {
        let conversation = try loadConversationOrExit()
        let wording = try loadOrExit { () throws(KnowledgeError) in try ReportWording.loadBundled(knowledge: conversation.knowledge) }
        let loaded: StoredSession.Loaded?
        let path: String
        (loaded, path) = try await SessionsCommand.withStore(storage) { store in
            do { return (try await store.load(session), store.path) } catch let error as StoreError { throw SessionsCommand.fail(error) }
        }
        let state: SessionState
        switch loaded {
        case nil:
            FileHandle.standardError.write(Data("charley: no session '\(session)' in \(path) (`charley sessions` lists them)\n".utf8))
            throw ExitCode(1)
        case .unreadable(let reason):
            FileHandle.standardError.write(Data("charley: session '\(session)' is stored but this Charley cannot read it (\(reason))\n".utf8))
            throw ExitCode(1)
        case .session(let stored):
            if stored.knowledge != conversation.knowledge.version, let problem = conversation.problem(resuming: stored.state) {
                FileHandle.standardError.write(Data("charley: no report of session '\(session)': \(problem)\n".utf8))
                throw ExitCode(1)
            }
            state = stored.state
        }
        let chosen = format ?? output.map(ReportFormat.forFile) ?? .html
        let document = DoctorReport(state: state, conversation: conversation, wording: wording, date: Date()).document(chosen)
        guard let output else {
            print(document, terminator: "")
            return
        }
        do {
            try ReportFile.write(document, to: output, makeFolder: false)
        } catch {
            FileHandle.standardError.write(Data("charley: \(wording.fill("not_written", ["path": output, "problem": error.localizedDescription]))\n".utf8))
            throw ExitCode(1)
        }
        FileHandle.standardError.write(Data("charley: the report of session '\(session)' is written to \(output)\n".utf8))
    }
}
