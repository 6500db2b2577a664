import ArgumentParser
import Foundation
import Knowledge
import Understanding

struct InterpretCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interpret",
        abstract: "Read lines on standard input and print what Charley understood in each.",
        discussion: """
            Prints one `understood` JSON object per input line (see docs/PROTOCOL.md): the \
            intent and topic, slots, triggers, conditions, symptoms present and absent, red \
            flags and a confidence. This is the same function the conversation calls.
            """)

    @Flag(help: "Indent the JSON for reading.")
    var pretty = false

    func run() throws {
        let interpreter = try loadInterpreterOrExit()
        while let line = readLine(strippingNewline: true) {
            print(try ContractJSON.string(interpreter.interpret(line), pretty: pretty))
        }
    }
}

func loadInterpreterOrExit() throws -> Interpreter {
    try loadOrExit { () throws(KnowledgeError) in try Interpreter.bundled() }
}
