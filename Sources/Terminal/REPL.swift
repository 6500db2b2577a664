import CReadline
import Conversation
import Foundation
import Knowledge

/// The readline REPL: line editing, history, Tab completion, Ctrl-C and Ctrl-D, wrapping to the
/// terminal's width. Runs on the main thread; readline's global state is in CReadline's shim.
public struct REPL {
    public struct Options: Sendable {
        public var history: Bool
        public var colour: Bool
        public init(history: Bool, colour: Bool) {
            self.history = history
            self.colour = colour
        }
    }

    /// Commands offered by Tab.
    public static let commands = ["/help", "/restart", "/back", "/summary", "/why", "/report", "/quit"]

    /// Answers one line: the in-process engine, or a running daemon for `charley connect`.
    /// nil when the engine is gone (the daemon closed the connection).
    public typealias Engine = (String) -> Reply?

    let greeting: String
    let engine: Engine
    let options: Options
    let style: Style

    /// What Ctrl-D shows instead of ending the conversation (when it is kept to resume later).
    let farewell: String?
    /// `/report [FILE]`: the summary to take to the doctor, written here (nil: not offered).
    let report: PromptReport?

    public init(greeting: String, options: Options, farewell: String? = nil, report: PromptReport? = nil, engine: @escaping Engine) {
        self.greeting = greeting
        self.farewell = farewell
        self.report = report
        self.engine = engine
        self.options = options
        self.style = Style(enabled: options.colour)
    }

    /// The REPL over an in-process conversation.
    public init(conversation: Conversation, options: Options) {
        var state = SessionState()
        self.init(greeting: conversation.greeting, options: options) { conversation.respond(to: $0, state: &state) }
    }

    /// Runs until the person leaves; returns the exit code.
    public func run() -> Int32 {
        let historyPath = HistoryFile.path()
        charley_setup("charley", Int32(HistoryFile.limit))
        if options.history {
            do {
                try HistoryFile.prepare(historyPath)
                read_history(historyPath)
            } catch {
                FileHandle.standardError.write(
                    Data("charley: cannot use the history file \(historyPath): \(error.localizedDescription); continuing without history\n".utf8))
            }
        }
        charley_install_signal_flags()
        defer {
            if options.history {
                write_history(historyPath)
                history_truncate_file(historyPath, Int32(HistoryFile.limit))
                chmod(historyPath, 0o600)
            }
        }

        show(greeting)
        show(style.dim("Type /help for commands. Tab completes commands and suggested answers; Ctrl-D leaves."))
        var suggestions: [String] = []
        var interruptedOnEmptyLine = false

        while true {
            setCompletions(Self.commands + suggestions)
            charley_begin_line(style.enabled ? "\u{01}\u{1B}[1m\u{02}you>\u{01}\u{1B}[0m\u{02} " : "you> ")
            var line: String?
            var ended = false
            reading: while true {
                var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
                let ready = poll(&descriptor, 1, 250)
                let signal = charley_take_signal()
                if signal == SIGINT {
                    // Read what was typed before the Ctrl-C, so "is the line empty?" is right.
                    var pending = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
                    while poll(&pending, 1, 0) > 0 && charley_line_is_ready() == 0 { rl_callback_read_char() }
                }
                switch signal {
                case SIGINT:
                    if charley_line_length() == 0 && interruptedOnEmptyLine {
                        charley_end_reading()
                        print("")
                        ended = true
                        break reading
                    }
                    interruptedOnEmptyLine = charley_line_length() == 0
                    charley_cancel_line()
                    if interruptedOnEmptyLine { show(style.dim("(Press Ctrl-C again or Ctrl-D to leave.)")) }
                    charley_begin_line(style.enabled ? "\u{01}\u{1B}[1m\u{02}you>\u{01}\u{1B}[0m\u{02} " : "you> ")
                    continue
                case SIGTERM:
                    charley_end_reading()
                    print("")
                    ended = true
                    break reading
                case SIGWINCH:
                    charley_resize()
                default:
                    break
                }
                if ready > 0 {
                    rl_callback_read_char()
                    if charley_line_is_ready() != 0 {
                        if let pointer = charley_take_line() {
                            line = String(cString: pointer)
                            free(pointer)
                        } else {
                            ended = true  // Ctrl-D
                        }
                        break reading
                    }
                }
            }
            if ended {
                if let farewell { show(farewell) } else if let goodbye = engine("/quit") { show(goodbye.reply) }
                return 0
            }
            guard let text = line else { continue }
            interruptedOnEmptyLine = false
            if text.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            add_history(text)
            if let report, let said = report.handle(text) {
                show(said)
                continue
            }
            guard let reply = engine(text) else {
                show("The connection to Charley was closed.")
                return 1
            }
            show(reply.reply, emphasise: true)
            if let report, reply.understood.intent == .help { show(report.help) }
            suggestions = reply.suggestions
            if !reply.suggestions.isEmpty {
                show(style.dim("(" + reply.suggestions.joined(separator: " / ") + ")"))
            }
            if reply.done { return 0 }
        }
    }

    private func setCompletions(_ words: [String]) {
        var pointers = words.map { strdup($0) }
        pointers.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) {
                charley_set_completions($0, Int32(buffer.count))
            }
        }
        pointers.forEach { free($0) }
    }

    /// Prints a reply wrapped to the terminal's current width (read on every reply, so a
    /// resized window re-wraps).
    private func show(_ text: String, emphasise: Bool = false) {
        let width = Self.terminalWidth()
        let paragraphs = text.components(separatedBy: "\n\n").map { paragraph in
            let wrapped = TextLayout.wrap(paragraph, width: width)
            return emphasise ? style.emphasise(wrapped) : wrapped
        }
        print(paragraphs.joined(separator: "\n\n") + "\n")
        charley_flush_output()
    }

    public static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return min(Int(size.ws_col) - 1, 100) }
        return 79
    }
}
