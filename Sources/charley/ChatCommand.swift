import ArgumentParser
import Conversation
import Foundation
import Knowledge
import Report
import Storage
import Terminal

struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Talk to Charley (the default command).",
        discussion: """
            At a terminal Charley runs a readline prompt: line editing, a history file \
            ($XDG_STATE_HOME/charley/history, else ~/.local/state/charley/history, mode 0600), Tab \
            completion of the commands /help /restart /back /summary /why /report /quit and of \
            suggested answers. Ctrl-C clears the line; Ctrl-C on an empty line again, or Ctrl-D, leaves.

            /report [FILE] writes a summary of the conversation to take to a doctor or pharmacist: \
            an HTML page (inline picture of the legs, prints on A4 and Letter), or plain text when \
            FILE ends in .txt. Without FILE it is a new file under $XDG_STATE_HOME/charley/reports \
            (else ~/.local/state/charley/reports), folder 0700, file 0600. It works when piped \
            too (not with --json).

            When standard input is not a terminal there is no prompt and no echo: one reply block \
            per input line, so `printf 'hi\\nmy calf cramps at night\\n' | charley` is scriptable. \
            With --json every reply is one contract JSON object per line (docs/PROTOCOL.md).

            With --resume the conversation is kept in the session store (as `charley serve` keeps \
            its sessions) under --session, and the next `charley --resume` carries on where it \
            left off. Without it nothing of the conversation outlives the process.
            """)

    @Flag(help: "Print each reply as one JSON object per line.")
    var json = false

    @OptionGroup var prompt: TerminalOptions

    @Flag(help: "Keep this conversation in the session store and continue the stored one, if any.")
    var resume = false

    @Option(help: "With --resume: the session id to keep the conversation under (default: terminal:USER).")
    var session: String?

    @Option(help: "With --resume: start afresh after this many idle minutes.")
    var idleMinutes = 24 * 60

    @OptionGroup var storage: StoreOptions

    func validate() throws {
        // The flag only: a CHARLEY_STORE set for `serve` or `sessions` does not stop a plain chat.
        if !resume && (session != nil || storage.storeOption != nil) {
            throw ValidationError("--session and --store only apply with --resume")
        }
        guard idleMinutes >= 1 else { throw ValidationError("--idle-minutes must be positive") }
    }

    func run() throws {
        let conversation = try loadConversationOrExit()
        let stored =
            resume
            ? StoredConversation(
                conversation: conversation, store: try storage.open(),
                idleExpiry: Double(idleMinutes * 60)) : nil
        let id = session ?? "terminal:\(NSUserName())"
        var current = Conversation.Resumed(state: SessionState())
        if let stored {
            do {
                current = try stored.resume(id, at: Date().timeIntervalSince1970)
            } catch {
                FileHandle.standardError.write(Data("charley: \(error); starting a new conversation\n".utf8))
            }
        }
        let engine: (String) -> Reply = { text in
            guard let stored else { return conversation.respond(to: text, state: &current.state) }
            let (reply, saved) = stored.respond(to: text, in: &current, id: id, at: Date().timeIntervalSince1970)
            if case .failure(let error) = saved {
                FileHandle.standardError.write(Data("charley: this turn could not be saved: \(error)\n".utf8))
            }
            return reply
        }
        let wording = try loadOrExit { () throws(KnowledgeError) in try ReportWording.loadBundled(knowledge: conversation.knowledge) }
        let report = PromptReport(wording: wording) { format in
            .success(DoctorReport(state: current.state, conversation: conversation, wording: wording, date: Date()).document(format))
        }
        let terminal = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        if terminal && !json {
            let greeting = stored != nil && current.state != SessionState() ? conversation.welcomeBack(current.state) : conversation.greeting
            let farewell = stored.map { _ in
                """
                Our conversation is saved: `charley --resume` carries on where we left off. If your cramps get \
                worse, last more than 10 minutes, or come with swelling, redness or warmth in one leg, please \
                see a doctor. In an emergency, call emergency services.
                """
            }
            let code = REPL(greeting: greeting, options: prompt.repl, farewell: farewell, report: report) {
                engine($0)
            }.run()
            if code != 0 { throw ExitCode(code) }
            return
        }
        while let line = readLine(strippingNewline: true) {
            if !json, let said = report.handle(line) {
                print(said + "\n")
                fflush(nil)
                continue
            }
            let reply = engine(line)
            print(json ? String(decoding: reply.json(), as: UTF8.self) : reply.reply + "\n")
            if !json, reply.understood.intent == .help { print(report.help + "\n") }
            // Each reply as it is made: a bridge or a harness on the other end of a pipe waits
            // for it before it writes the next line.
            fflush(nil)  // nil: every stream (stdout is a global Swift 6 will not share)
            if reply.done { break }
        }
    }
}

func loadConversationOrExit() throws -> Conversation {
    try loadOrExit { () throws(KnowledgeError) in try Conversation.bundled() }
}
