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

            EXAMPLES
              charley                                   talk at a terminal
              printf 'my calf cramps at night\\n' | charley chat --json
              charley ask "is quinine safe?"
              echo "no numbness or swelling" | charley interpret --pretty
              charley --resume                          a conversation you can come back to
              charley test Dialogues                    run the scripted dialogue tests
              charley sessions                          the daemon's stored sessions
              charley report tg:4711 --output r.html    a stored session's report for the doctor
              charley stats --prometheus                a running daemon's metrics
              charley knowledge check causes.yaml       validate an edited knowledge file

            FILES
              $XDG_STATE_HOME/charley/history (else ~/.local/state/charley/history), mode 0600: \
            the line history of the terminal prompt; --no-history keeps none.
              $XDG_STATE_HOME/charley/sessions.sqlite (else ~/.local/state/charley/sessions.sqlite), \
            mode 0600: the session store of `charley serve` and `charley --resume`.
              $XDG_STATE_HOME/charley/reports/ (else ~/.local/state/charley/reports/), mode 0700: \
            the reports /report writes at the terminal, each 0600.

            ENVIRONMENT
              NO_COLOR    no colour or emphasis at the terminal
              XDG_STATE_HOME    where the history file, the session store and the reports live

            EXIT STATUS
              0 on success; 1 when a data file does not validate or a dialogue test fails; 64 \
            for a usage error.
            """,
        version: version,
        subcommands: [
            ChatCommand.self, AskCommand.self, ServeCommand.self, ConnectCommand.self, StatsCommand.self, InterpretCommand.self, TestCommand.self,
            KnowledgeCommand.self, SessionsCommand.self, ReportCommand.self, BenchCommand.self
        ],
        defaultSubcommand: ChatCommand.self
    )
}
