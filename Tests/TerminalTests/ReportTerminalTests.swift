import Foundation
import TestSupport
import Testing

/// `/report` at the prompt and `charley report` on the command line, through the real binary.
@Suite("The report from the terminal and the command line")
struct ReportTerminalTests {
    func temporaryFolder(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("charley-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("piped: /report writes the report under XDG_STATE_HOME/charley/reports (0700, file 0600) and says where; FILE.txt is text")
    func pipedReport() throws {
        let state = try temporaryFolder("report-piped")
        defer { try? FileManager.default.removeItem(at: state) }
        let textFile = state.appendingPathComponent("mine.txt").path
        let (output, status) = try CharleyProcess.run(
            [], input: "my left calf cramps at night\n/report\n/report \(textFile)\n/report\n",
            environment: ["XDG_STATE_HOME": state.path])
        #expect(status == 0)
        let folder = state.appendingPathComponent("charley/reports").path
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(
            files.count == 2 && files.allSatisfy { $0.hasPrefix("charley-report-") && $0.hasSuffix(".html") },
            "two reports, the second not over the first: \(files)")
        let html = folder + "/" + files[0]
        #expect(output.contains("The report is written to \(html)"))
        #expect(try mode(folder) == 0o700 && mode(html) == 0o600)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("the left leg"))
        #expect(output.contains("The report is written to \(textFile)"))
        let text = try String(contentsOfFile: textFile, encoding: .utf8)
        #expect(text.hasPrefix("LEG CRAMPS") && text.contains("Where: the calf"))
        #expect(try mode(textFile) == 0o600)
        // The conversation was not disturbed: the next question still waits.
        #expect(!output.contains("I didn't follow"))
    }

    @Test("charley report SESSION-ID: text, HTML to --output (0600), and a clear error for an unknown session")
    func commandLine() throws {
        let folder = try temporaryFolder("report-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("sessions.sqlite").path
        let (_, kept) = try CharleyProcess.run(
            ["--resume", "--store", store, "--session", "demo:1"],
            input: "my right calf cramps at night and it is swollen\n")
        #expect(kept == 0)
        let (text, status) = try CharleyProcess.run(["report", "demo:1", "--store", store, "--format", "text"])
        #expect(status == 0)
        #expect(text.contains("Which side: the right leg") && text.contains("What comes with them: swelling"))
        #expect(text.contains("HOW SOON TO GET HELP") && text.contains("Urgent."))
        let html = folder.appendingPathComponent("report.html").path
        let (said, written) = try CharleyProcess.run(["report", "demo:1", "--store", store, "--output", html], mergingErrors: true)
        #expect(written == 0 && said.contains("written to \(html)"))
        #expect(try String(contentsOfFile: html, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
        #expect(try mode(html) == 0o600)
        let svg = folder.appendingPathComponent("legs.svg").path
        #expect(try CharleyProcess.run(["report", "demo:1", "--store", store, "--output", svg]).status == 0)
        #expect(try String(contentsOfFile: svg, encoding: .utf8).contains("<svg"))
        let (error, failed) = try CharleyProcess.run(["report", "nobody", "--store", store], mergingErrors: true)
        #expect(failed == 1)
        #expect(error.contains("no session 'nobody'"))
    }

    @Test("at a terminal: Tab completes /report, /help names it, /report writes the file (pty)")
    func ptyReport() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/pty_report.py")
        let state = try temporaryFolder("report-pty")
        defer { try? FileManager.default.removeItem(at: state) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, CharleyProcess.binary.path, state.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        print(text)
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("all report pty checks passed"))
    }
}
