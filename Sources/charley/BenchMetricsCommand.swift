import ArgumentParser
import Conversation
import DaemonMetrics
import Foundation
import Knowledge
import SocketServer

/// What the metrics cost a turn, in-process: the daemon's own path (a session registry over a
/// memory store, the reply rendered as its JSON line) with and without them, alternated round by
/// round. The socket's figures (`Benchmarks/metrics.sh`) vary too much on a shared machine to
/// show a difference of a few per cent; this shows the nanoseconds.
struct BenchMetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Turns through the daemon's session registry with and without metrics, alternated.")

    @Option(help: "The dialogue folder whose user lines are replayed.")
    var dialogues = "Dialogues"

    @Option(help: "Rounds of each (with, without), alternated.")
    var rounds = 10

    @Option(help: "Sessions the dialogues are replayed in at once (each round uses new ones).")
    var sessions = 64

    func run() throws {
        let conversation = try loadConversationOrExit()
        let scripts = try dialogueUserLines(in: dialogues)
        // Sessions interleaved as a daemon's many bridges send them: turn k of every session, then turn k + 1.
        let longest = scripts.map(\.count).max() ?? 0
        func once(metrics: DaemonMetrics?, round: Int) -> (nanoseconds: UInt64, turns: Int) {
            let registry = SessionRegistry(
                conversation: conversation, store: MemorySessionStore(maximumSessions: 1_000_000),
                idleExpiry: .seconds(86400), metrics: metrics)
            var turns = 0
            let start = DispatchTime.now().uptimeNanoseconds
            for step in 0..<longest {
                for (index, lines) in scripts.enumerated() where step < lines.count {
                    for copy in 0..<max(1, sessions / max(scripts.count, 1) + 1) {
                        registry.respondLine(session: "b\(round):\(index):\(copy)", text: lines[step], request: nil, on: nil) { _ in }
                        turns += 1
                    }
                }
            }
            return (DispatchTime.now().uptimeNanoseconds - start, turns)
        }
        func fresh() -> DaemonMetrics {
            DaemonMetrics(
                codes: [], stages: Stage.allCases.map(\.rawValue), levels: TriageLevel.allCases.map(\.rawValue),
                rules: conversation.knowledge.triageRules.map(\.id))
        }
        _ = once(metrics: fresh(), round: -1)  // warm-up
        var with: [Double] = []
        var without: [Double] = []
        for round in 0..<rounds {
            let order = round % 2 == 0 ? [true, false] : [false, true]
            for measured in order {
                let (time, turns) = once(metrics: measured ? fresh() : nil, round: round)
                (measured ? { with.append(Double(time) / Double(turns)) } : { without.append(Double(time) / Double(turns)) })()
            }
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let difference = zip(with, without).map { $0 - $1 }
        print(
            String(
                format:
                    "metrics: %d rounds of each, alternated; a turn through the registry: with metrics %.2f µs, without %.2f µs (medians); the metrics' cost %.0f ns a turn (median of the rounds' differences)",
                rounds, median(with) / 1000, median(without) / 1000, median(difference)))
    }
}
