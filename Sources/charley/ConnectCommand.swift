import ArgumentParser
import Conversation
import Foundation
import Knowledge
import Report
import SocketServer
import Terminal

struct ConnectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect",
        abstract: "Talk to a running `charley serve` daemon, with the terminal front end.",
        discussion: "The same prompt as `charley chat`, but each line goes over the daemon's socket (one session).")

    @OptionGroup var daemon: DaemonSocketOptions

    @OptionGroup var prompt: TerminalOptions

    func run() throws {
        let path = daemon.path
        let client: SocketClient
        do {
            client = try SocketClient(path: path)
        } catch {
            FileHandle.standardError.write(Data("charley connect: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let session = "connect:\(getpid())-\(Int(Date().timeIntervalSince1970))"
        let decoder = JSONDecoder()
        let engine: REPL.Engine = { text in
            let request = ["session": session, "text": text]
            guard let data = try? JSONSerialization.data(withJSONObject: request),
                (try? client.send(String(decoding: data, as: UTF8.self))) != nil,
                let line = client.readLine()
            else { return nil }
            if let reply = try? decoder.decode(Reply.self, from: Data(line.utf8)) { return reply }
            return nil
        }
        // /report asks the daemon for the session's report and writes it here.
        let wording = try loadOrExit { () throws(KnowledgeError) in try ReportWording.loadBundled() }
        let report = PromptReport(wording: wording) { format in
            let request = ["type": "report", "session": session, "format": format.rawValue]
            guard let data = try? JSONSerialization.data(withJSONObject: request),
                (try? client.send(String(decoding: data, as: UTF8.self))) != nil,
                let line = client.readLine()
            else { return .failure(ReportUnavailable("the daemon closed the connection")) }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                return .failure(ReportUnavailable("the daemon's reply could not be read"))
            }
            if let document = object["report"] as? String { return .success(document) }
            let message = (object["error"] as? [String: Any])?["message"] as? String ?? "the daemon sent no report"
            return .failure(ReportUnavailable(message))
        }
        if isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 {
            let greeting = "Connected to Charley at \(path)."
            let code = REPL(greeting: greeting, options: prompt.repl, report: report, engine: engine).run()
            if code != 0 { throw ExitCode(code) }
            return
        }
        while let line = readLine(strippingNewline: true) {
            if let said = report.handle(line) {
                print(said + "\n")
                continue
            }
            guard let reply = engine(line) else {
                FileHandle.standardError.write(Data("charley connect: the daemon closed the connection\n".utf8))
                throw ExitCode(1)
            }
            print(reply.reply + "\n")
            if reply.done { break }
        }
    }
}
