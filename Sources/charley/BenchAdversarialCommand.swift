import ArgumentParser
import Foundation
import Understanding

/// `charley bench adversarial`: the slowest of a generated set of hostile messages, against an
/// ordinary message of the same length and an ordinary 20-word one (issue 17's bar: within 100
/// times the 20-word message).
struct BenchAdversarialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adversarial",
        abstract: "The slowest hostile message, as a ratio to ordinary text of its length and to a 20-word message.",
        discussion: """
            Interprets each kind of generated hostile message (one long word, thousands of \
            negations or clauses, nested brackets, every Unicode plane, ...) within the daemon's \
            4,000-character limit, ROUNDS times, and prints each kind's median time, its ratio to \
            ordinary text of the same length, and to an ordinary 20-word message, slowest first. \
            For the daemon under a flood of them: `charley bench socket --hostile`.
            """)

    @Option(help: "How many times to interpret each message.")
    var rounds = 50

    @Option(help: "The length of each message, in characters.")
    var length = AdversarialInput.characters

    func run() throws {
        let interpreter = try loadInterpreterOrExit()
        var sink = 0
        func median(_ text: String) -> Double {
            sink &+= interpreter.interpret(text).findings.present.count  // warm-up
            let clock = ContinuousClock()
            var times: [Duration] = []
            for _ in 0..<rounds {
                let before = clock.now
                sink &+= interpreter.interpret(text).findings.present.count
                times.append(clock.now - before)
            }
            return micros(times.sorted()[times.count / 2])
        }
        let short = median(AdversarialInput.twentyWords)
        let ordinary = median(AdversarialInput.ordinary(length: length))
        let kinds = AdversarialInput.all(length: length).map { (name: $0.name, micros: median($0.text)) }
            .sorted { $0.micros > $1.micros }
        print(String(format: "adversarial: %d kinds of %d characters, %d rounds; ordinary text of that length %.1f µs, an ordinary 20-word message %.2f µs (p50)",
                     kinds.count, length, rounds, ordinary, short))
        for kind in kinds {
            print(String(format: "  %8.1f µs  %5.2fx ordinary text of its length  %6.1fx the 20-word message  %@",
                         kind.micros, kind.micros / ordinary, kind.micros / short, kind.name))
        }
        if let worst = kinds.first {
            print(String(format: "  slowest: %@, %.1fx the 20-word message (bar: 100x)", worst.name, worst.micros / short))
        }
        if sink == Int.min { print(sink) }
    }
}
