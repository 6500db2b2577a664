import ArgumentParser
import Conversation
import Foundation
import Knowledge
import Report

/// How long a report takes to make, in-process, for every dialogue that ends past its interview
/// (assessed, escalated or ended): the report's content (the assessment included) and each
/// format. The goal is under a millisecond for a finished conversation.
struct BenchReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports made for the end states of the finished dialogues: text, HTML (with the picture) and the picture alone.")

    @Option(help: "The dialogue folder whose conversations are replayed to their end.")
    var dialogues = "Dialogues"

    @Option(help: "How many times to make every report.")
    var rounds = 200

    func run() throws {
        let conversation = try loadConversationOrExit()
        let wording = try loadOrExit { () throws(KnowledgeError) in try ReportWording.loadBundled(knowledge: conversation.knowledge) }
        var finished: [SessionState] = []
        for lines in try dialogueUserLines(in: dialogues) {
            var state = SessionState()
            for line in lines {
                _ = conversation.respond(to: line, state: &state)
                // An ended conversation starts again on its next line: keep it as it ended.
                if state.stage == .ended { break }
            }
            if state.stage.isPastInterview && !state.findings.present.isEmpty { finished.append(state) }
        }
        guard !finished.isEmpty else { throw ValidationError("no dialogue in \(dialogues) ends past its interview") }
        let date = Date()
        var sink = 0
        for state in finished { sink &+= DoctorReport(state: state, conversation: conversation, wording: wording, date: date).html().utf8.count }
        print("report: \(finished.count) finished dialogues x \(rounds) rounds")
        for format in [ReportFormat.text, .html, .svg] {
            var samples: [Duration] = []
            samples.reserveCapacity(finished.count * rounds)
            var bytes = 0
            let clock = ContinuousClock()
            for _ in 0..<rounds {
                for state in finished {
                    let before = clock.now
                    let document = DoctorReport(state: state, conversation: conversation, wording: wording, date: date).document(format)
                    samples.append(clock.now - before)
                    bytes &+= document.utf8.count
                }
            }
            samples.sort()
            let total = samples.reduce(Duration.zero, +)
            print(
                String(
                    format: "  %@: mean %.1f µs, p50 %.1f µs, p99 %.1f µs, max %.1f µs (%.1f kB each)", format.rawValue,
                    micros(total) / Double(samples.count), micros(samples[samples.count / 2]),
                    micros(samples[min(samples.count - 1, Int(Double(samples.count) * 0.99))]), micros(samples.last!),
                    Double(bytes) / Double(samples.count) / 1000))
            sink &+= bytes
        }
        if sink == Int.min { print(sink) }  // keep the work observable
    }
}
