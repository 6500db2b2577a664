import Foundation
import TestSupport
import Testing

@testable import Terminal

let charleyBinary = CharleyProcess.binary

/// Runs the real binary with `input` on a pipe; returns standard output and the exit code.
func runCharley(_ arguments: [String], input: String, environment: [String: String] = [:]) throws -> (String, Int32) {
    try CharleyProcess.run(arguments, input: input, environment: environment)
}

@Suite("The terminal front end, through the real binary")
struct TerminalTests {
    @Test("piped input: no prompt, no echo, one reply block per line")
    func pipedMode() throws {
        let (output, status) = try runCharley([], input: "hi\nmy calf cramps at night\n")
        #expect(status == 0)
        #expect(!output.contains("you>"))
        #expect(!output.contains("my calf cramps at night"), "the input is not echoed")
        let blocks = output.components(separatedBy: "\n\n\n")
        #expect(output.contains("When do your cramps usually come"))
        #expect(output.contains("How long does one cramp"))
        #expect(blocks.count >= 1)
    }

    @Test("--json prints one contract reply per input line")
    func jsonMode() throws {
        let (output, status) = try runCharley(["chat", "--json"], input: "my calf cramps at night\nleft\n")
        #expect(status == 0)
        let lines = output.split(separator: "\n")
        #expect(lines.count == 2)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        #expect(first["stage"] as? String == "onset")
    }

    @Test("over a pipe that stays open, each reply comes before the next line is written")
    func coprocess() throws {
        for arguments in [["chat", "--json"], ["chat"]] {
            let charley = try CharleyProcess.Coprocess(arguments)
            charley.send("my calf cramps at night")
            let first = try #require(charley.readLine(), "no reply to the first line while stdin is open (\(arguments))")
            if arguments.contains("--json") {
                let reply = try JSONSerialization.jsonObject(with: Data(first.utf8)) as! [String: Any]
                #expect(reply["stage"] as? String == "onset")
            } else {
                #expect(first.contains("Noted: calf, at night."))
            }
            charley.send("a few seconds")
            #expect(charley.readLine() != nil, "no reply to the second line (\(arguments))")
            #expect(charley.finish() == 0)
        }
    }

    @Test("charley ask answers one question and exits")
    func ask() throws {
        let (output, status) = try runCharley(["ask", "is quinine safe?"], input: "")
        #expect(status == 0)
        #expect(output.contains("no longer recommended"))
    }

    @Test("binary junk on stdin is answered, not a crash")
    func junk() throws {
        var bytes = [UInt8](repeating: 0, count: 2000)
        for index in bytes.indices { bytes[index] = UInt8((index * 37 + 11) % 256) }
        let junk = String(decoding: bytes, as: UTF8.self)
        let (output, status) = try runCharley([], input: junk + "\nmy calf cramps\n")
        #expect(status == 0)
        #expect(output.contains("When do your cramps usually come"))
    }

    @Test("at a terminal: prompt, completion, Ctrl-C, Ctrl-D, history, SIGTERM (pty)")
    func ptySession() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/pty_session.py")
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("charley-pty-\(getpid())")
        defer {
            try? FileManager.default.removeItem(at: state)
            try? FileManager.default.removeItem(atPath: state.path + "-none")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, charleyBinary.path, state.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        print(text)
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("all pty checks passed"))
    }

    @Test("replies wrap to the width, list items keep their indent")
    func wrapping() {
        let wrapped = TextLayout.wrap("- Stretch the muscle: straighten the leg and gently pull your toes up towards your knee", width: 30)
        for line in wrapped.split(separator: "\n") { #expect(line.count <= 30) }
        #expect(wrapped.split(separator: "\n").dropFirst().allSatisfy { $0.hasPrefix("  ") })
    }

    @Test("the history path follows XDG_STATE_HOME, else ~/.local/state")
    func historyPath() {
        #expect(HistoryFile.path(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/charley/history")
        #expect(HistoryFile.path(environment: ["HOME": "/h"]) == "/h/.local/state/charley/history")
    }

    @Test("colour only when enabled; triage stands out")
    func style() {
        #expect(Style(enabled: false).emphasise("Triage: urgent. See a doctor today.") == "Triage: urgent. See a doctor today.")
        #expect(Style(enabled: true).emphasise("Triage: urgent. See a doctor today.").hasPrefix("\u{1B}[1;31m"))
    }
}
