import ArgumentParser
import Conversation
import Foundation
import Knowledge

struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Talk to Charley (the default command).",
        discussion: """
            Reads one message per line and answers each. This is the plain line mode: it works \
            with a pipe (printf 'hi\\nmy calf cramps at night\\n' | charley) and at a terminal. \
            With --json every reply is one contract JSON object per line (docs/PROTOCOL.md).
            """)

    @Flag(help: "Print each reply as one JSON object per line.")
    var json = false

    func run() throws {
        let conversation = try loadConversationOrExit()
        var state = SessionState()
        let interactive = isatty(STDIN_FILENO) == 1
        if !json { print(conversation.greeting + "\n") }
        while true {
            if interactive && !json { print("> ", terminator: "") }
            guard let line = readLine(strippingNewline: true) else { break }
            let reply = conversation.respond(to: line, state: &state)
            if json {
                print(try ContractJSON.string(reply))
            } else {
                print(reply.reply + "\n")
            }
            if reply.done { break }
        }
    }
}

func loadConversationOrExit() throws -> Conversation {
    try loadOrExit { () throws(KnowledgeError) in try Conversation.bundled() }
}
