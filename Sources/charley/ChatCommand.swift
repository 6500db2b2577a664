import ArgumentParser
import Conversation
import Foundation
import Knowledge
import Terminal

struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Talk to Charley (the default command).",
        discussion: """
            At a terminal Charley runs a readline prompt: line editing, a history file \
            ($XDG_STATE_HOME/charley/history, else ~/.local/state/charley/history, mode 0600), Tab \
            completion of the commands /help /restart /back /summary /why /quit and of suggested \
            answers. Ctrl-C clears the line; Ctrl-C on an empty line again, or Ctrl-D, leaves.

            When standard input is not a terminal there is no prompt and no echo: one reply block \
            per input line, so `printf 'hi\\nmy calf cramps at night\\n' | charley` is scriptable. \
            With --json every reply is one contract JSON object per line (docs/PROTOCOL.md).
            """)

    @Flag(help: "Print each reply as one JSON object per line.")
    var json = false

    @Flag(help: "Keep no history file.")
    var noHistory = false

    @Flag(help: "No colour or emphasis (also when NO_COLOR is set).")
    var noColor = false

    func run() throws {
        let conversation = try loadConversationOrExit()
        let terminal = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        if terminal && !json {
            let colour = !noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            let code = REPL(conversation: conversation, options: .init(history: !noHistory, colour: colour)).run()
            if code != 0 { throw ExitCode(code) }
            return
        }
        var state = SessionState()
        while let line = readLine(strippingNewline: true) {
            let reply = conversation.respond(to: line, state: &state)
            print(json ? try ContractJSON.string(reply) : reply.reply + "\n")
            if reply.done { break }
        }
    }
}

func loadConversationOrExit() throws -> Conversation {
    try loadOrExit { () throws(KnowledgeError) in try Conversation.bundled() }
}
