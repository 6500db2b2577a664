import ArgumentParser
import Conversation
import Knowledge

struct AskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Answer one question and exit.",
        discussion: "Example: charley ask \"what causes night cramps?\"")

    @Argument(help: "The question, in your own words.")
    var question: [String]

    @Flag(help: "Print the reply as contract JSON.")
    var json = false

    func validate() throws {
        if question.joined().trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("Give a question, e.g. charley ask \"what causes night cramps?\"")
        }
    }

    func run() throws {
        var state = SessionState()
        let reply = try loadConversationOrExit().respond(to: question.joined(separator: " "), state: &state)
        print(json ? try ContractJSON.string(reply) : reply.reply)
    }
}
