import ArgumentParser

@main
struct Charley: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "charley",
        abstract: "A conversational assistant for leg cramps (charley horses).",
        discussion: """
            Charley asks about your cramps and explains possible causes, self-care, prevention and \
            when to see a doctor. It does not diagnose, and it is not for emergencies: for chest \
            pain, trouble breathing, or a swollen, red, warm leg, call emergency services.
            """,
        version: version,
        subcommands: [ChatCommand.self, AskCommand.self, InterpretCommand.self, TestCommand.self, KnowledgeCommand.self, BenchCommand.self],
        defaultSubcommand: ChatCommand.self
    )
}
