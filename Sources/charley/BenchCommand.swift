import ArgumentParser
import Conversation
import Foundation
import Knowledge
import Understanding

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Charley's speed (build with -c release for real figures).",
        discussion: """
            Benchmarks print numbers; they are not tests and assert nothing. Results and the \
            machine they were measured on are kept in docs/PERFORMANCE.md. For developers: \
            left out of `charley --help` and the manual page.
            """,
        shouldDisplay: false,
        subcommands: [
            Interpret.self, Turn.self, BenchAdversarialCommand.self, BenchSocketCommand.self, BenchStoreCommand.self, BenchMetricsCommand.self,
            BenchReportCommand.self
        ])

    struct Turn: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Whole conversation turns in-process (every dialogue in Dialogues/), and memory per idle session.")

        @Option(help: "The dialogue folder whose user lines are replayed.")
        var dialogues = "Dialogues"

        @Option(help: "How many times to replay them all.")
        var rounds = 50

        @Option(help: "Idle sessions to hold for the memory figure (each built by real turns).")
        var sessions = 20_000

        @Option(help: "Also list this many of the slowest kinds of turn (by the stage they end in, median of their times), to see what makes the tail.")
        var slowest = 0

        func run() throws {
            let conversation = try loadConversationOrExit()
            let scripts = try dialogueUserLines(in: dialogues)
            var samples: [Duration] = []
            var byKind: [String: [Duration]] = [:]
            var byLine: [String: [Duration]] = [:]
            let clock = ContinuousClock()
            for _ in 0..<rounds {
                for lines in scripts {
                    var state = SessionState()
                    for line in lines {
                        let stageBefore = state.stage
                        let before = clock.now
                        let reply = conversation.respond(to: line, state: &state)
                        let time = clock.now - before
                        samples.append(time)
                        if slowest > 0 {
                            byKind["\(stageBefore.rawValue) -> \(state.stage.rawValue), \(reply.understood.intent.rawValue)", default: []].append(time)
                            byLine[line, default: []].append(time)
                        }
                    }
                }
            }
            samples.sort()
            let total = samples.reduce(Duration.zero, +)
            print("turn: \(samples.count) turns from \(scripts.count) dialogues x \(rounds) rounds")
            print(
                String(
                    format: "  mean %.1f µs, p50 %.1f µs, p99 %.1f µs", micros(total) / Double(samples.count),
                    micros(samples[samples.count / 2]), micros(samples[Int(Double(samples.count) * 0.99)])))
            for kind in bySlowestMedian(byKind).prefix(slowest) {
                print(
                    String(
                        format: "  %@: p50 %.1f µs (%.1f%% of turns)", kind.name, micros(kind.median),
                        100 * Double(kind.count) / Double(samples.count)))
            }
            for line in bySlowestMedian(byLine).prefix(slowest) {
                print(String(format: "  %.1f µs: %@", micros(line.median), String(line.name.prefix(100))))
            }

            // Memory per idle session: resident size before and after holding N mid-interview states.
            guard sessions > 0 else { return }
            let before = Self.residentBytes()
            var held: [String: SessionState] = [:]
            held.reserveCapacity(sessions)
            // Each session is built by its own turns, so none shares copy-on-write storage.
            for index in 0..<sessions {
                var state = SessionState()
                for line in ["my left calf cramps at night", "a few seconds", "most nights"] { _ = conversation.respond(to: line, state: &state) }
                held["tg:\(index)"] = state
            }
            let after = Self.residentBytes()
            print(
                String(
                    format: "  memory: %d idle sessions (three answers each) take %.0f bytes each (resident set %.1f -> %.1f MB)",
                    held.count, Double(after - before) / Double(sessions), Double(before) / 1e6, Double(after) / 1e6))
        }

        static func residentBytes() -> Int {
            guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
            let fields = statm.split(separator: " ")
            return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
        }
    }

    struct Interpret: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Utterances per second through the matcher, and the cost of loading it.")

        @Option(help: "A file of utterances, one per line (lines of the labelled corpus format are cut at '|').")
        var corpus: String?

        @Option(help: "How many times to read the whole set.")
        var rounds = 200

        func run() throws {
            let loadStart = ContinuousClock.now
            let cpuStart = processCPUTime()
            let interpreter = try loadInterpreterOrExit()
            let loadTime = ContinuousClock.now - loadStart
            let loadCPU = processCPUTime() - cpuStart

            let utterances = try corpus.map(Self.read) ?? Self.sample
            guard !utterances.isEmpty else { throw ValidationError("the corpus has no utterances") }
            var sink = 0
            for text in utterances { sink &+= interpreter.interpret(text).findings.present.count }  // warm-up

            var samples: [Duration] = []
            samples.reserveCapacity(utterances.count * rounds)
            let clock = ContinuousClock()
            let start = clock.now
            for _ in 0..<rounds {
                for text in utterances {
                    let before = clock.now
                    let understood = interpreter.interpret(text)
                    samples.append(clock.now - before)
                    sink &+= understood.findings.present.count
                }
            }
            let total = clock.now - start
            samples.sort()
            let count = Double(samples.count)
            print("interpret: \(utterances.count) utterances x \(rounds) rounds = \(samples.count) calls")
            print(
                String(
                    format: "  mean %.2f µs, p50 %.2f µs, p99 %.2f µs, max %.1f µs",
                    micros(total) / count, micros(samples[samples.count / 2]),
                    micros(samples[min(samples.count - 1, Int(count * 0.99))]), micros(samples.last!)))
            print(String(format: "  %.0f utterances/s on one core", count / (micros(total) / 1e6)))
            // CPU time as well: on a shared virtual machine the wall clock also counts time the
            // process waited for a core.
            print(
                String(
                    format: "  loading and validating the knowledge model and lexicon: %.1f ms (CPU %.1f ms)",
                    micros(loadTime) / 1000, loadCPU * 1000))
            if sink == Int.min { print(sink) }  // keep the work observable
        }

        static func read(_ path: String) throws -> [String] {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return text.split(separator: "\n").compactMap { line in
                let body = line.split(separator: "|", maxSplits: 1).first.map(String.init)?.trimmingCharacters(in: .whitespaces)
                guard let body, !body.isEmpty, !body.hasPrefix("#") else { return nil }
                return body
            }
        }

        /// A varied set written like real messages: short answers, descriptions, questions.
        static let sample = [
            "yes", "no numbness or swelling", "my left calf cramps at night",
            "I'm diabetic and my left calf cramps at night after running",
            "what causes cramps?", "is quinine safe?", "I get numbnes and tingeling in my feet",
            "my calf is swollen, red and warm", "cramps last about 2 hrs", "3 times a week for 2 months",
            "I'm 72 and get charley horses", "how can I stop them coming back?",
            "I stand all day at work and my legs ache with bulging veins", "not sure", "restart",
            "So i was sleeping and out of nowhere i get this super painful muscle cramp at 4:00 am and now my foot hurts"
        ]
    }
}

/// A duration in microseconds, as the benchmarks print them.
func micros(_ duration: Duration) -> Double { duration.seconds * 1e6 }

/// The groups' samples by their median, slowest first (`bench turn --slowest`).
func bySlowestMedian(_ groups: [String: [Duration]]) -> [(name: String, median: Duration, count: Int)] {
    groups.map { name, times in (name, times.sorted()[times.count / 2], times.count) }.sorted { $0.median > $1.median }
}

/// Seconds of CPU time this process has used.
func processCPUTime() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// The person's lines (`> ...`) of every dialogue in `folder`, a list per file in name order: what
/// the turn benchmarks replay.
func dialogueUserLines(in folder: String) throws -> [[String]] {
    try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".dialogue") }.sorted()
        .map { name in
            try String(contentsOfFile: folder + "/" + name, encoding: .utf8).split(separator: "\n")
                .filter { $0.hasPrefix(">") }.map { String($0.dropFirst()).trimmingCharacters(in: .whitespaces) }
        }
}
