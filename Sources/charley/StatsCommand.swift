import ArgumentParser
import Foundation
import SocketServer

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Print a running daemon's counters and histograms.",
        discussion: """
            Asks `charley serve` for {"type": "stats"} and prints its metrics: messages, errors by \
            code, replies by stage, triage levels, red flags by rule, turn and commit durations, \
            sessions held, connections and reloads (docs/PROTOCOL.md). As JSON by default; with \
            --prometheus in the Prometheus text format (for node_exporter's textfile collector, or a \
            scraper). The metrics hold counts, durations and ids, never what people wrote.
            """)

    @OptionGroup var daemon: DaemonSocketOptions

    @Flag(help: "Print the Prometheus text format instead of JSON.")
    var prometheus = false

    func run() throws {
        let path = daemon.path
        let answer: String?
        do {
            let client = try SocketClient(path: path)
            try client.send(#"{"type": "stats"}"#)
            answer = client.readLine(timeout: 30)
        } catch {
            FileHandle.standardError.write(Data("charley stats: \(error)\n".utf8))
            throw ExitCode(1)
        }
        guard let line = answer else {
            FileHandle.standardError.write(Data("charley stats: the daemon at \(path) gave no answer\n".utf8))
            throw ExitCode(1)
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            object["type"] as? String == "stats", let metrics = object["metrics"], let text = object["prometheus"] as? String
        else {
            FileHandle.standardError.write(Data("charley stats: the daemon at \(path) did not answer with stats: \(line.prefix(300))\n".utf8))
            throw ExitCode(1)
        }
        if prometheus {
            print(text, terminator: text.hasSuffix("\n") || text.isEmpty ? "" : "\n")
        } else {
            let data = try JSONSerialization.data(withJSONObject: metrics, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
