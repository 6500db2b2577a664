import ArgumentParser
import Foundation
import Terminal

/// The prompt's flags shared by `chat` and `connect`.
struct TerminalOptions: ParsableArguments {
    @Flag(help: "Keep no history file.")
    var noHistory = false

    @Flag(help: "No colour or emphasis (also when NO_COLOR is set).")
    var noColor = false

    /// The REPL's options: history unless --no-history, colour unless --no-color or NO_COLOR.
    var repl: REPL.Options {
        REPL.Options(history: !noHistory, colour: !noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
    }
}
