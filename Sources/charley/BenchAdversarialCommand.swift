import ArgumentParser
import Conversation
import Foundation
import Understanding

/// `charley bench adversarial`: the slowest of a generated set of hostile messages, against an
/// ordinary message of the same length and an ordinary 20-word one (issue 17's bar: within 100
/// times the 20-word message).
struct BenchAdversarialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adversarial",
        abstract: "The slowest hostile message to interpret and to answer, as a ratio to ordinary text of its length and to a 20-word message.",
        discussion: """
            Interprets each kind of generated hostile message (one long word, thousands of \
            negations or clauses, nested brackets, every Unicode plane, ...) within the daemon's \
            4,000-character limit, and answers it in a session with a question waiting (the \
            whole turn the daemon runs), ROUNDS times each, and prints each kind's median times, \
            their ratio to ordinary text of the same length and to an ordinary 20-word message, \
            slowest turn first. \
            For the daemon under a flood of them: `charley bench socket --hostile`.
            """)

    @Option(help: "How many times to measure each message.")
    var rounds = 50

    @Option(help: "The length of each message, in characters.")
    var length = AdversarialInput.characters

    func run() throws {
        let conversation = try loadConversationOrExit()
        let interpreter = conversation.interpreter
        var sink = 0
        // The median time of `work` over the rounds.
        func median(_ work: () -> Int) -> Double {
            sink &+= work()  // warm-up
            let clock = ContinuousClock()
            var times: [Duration] = []
            for _ in 0..<rounds {
                let before = clock.now
                sink &+= work()
                times.append(clock.now - before)
            }
            return micros(times.sorted()[times.count / 2])
        }
        // Understanding alone, and the whole turn the daemon runs, in a session that has a
        // question waiting (the answer is compared with its suggestions).
        var asked = SessionState()
        _ = conversation.respond(to: "my calf cramps", state: &asked)
        func measure(_ text: String) -> (interpret: Double, turn: Double) {
            (
                median { interpreter.interpret(text).findings.present.count },
                median {
                    var state = asked
                    return conversation.respond(to: text, state: &state).reply.count
                }
            )
        }
        let short = measure(AdversarialInput.twentyWords)
        let ordinary = measure(AdversarialInput.ordinary(length: length))
        let kinds = AdversarialInput.all(length: length).map { (name: $0.name, times: measure($0.text)) }
            .sorted { $0.times.turn > $1.times.turn }
        print(
            String(
                format:
                    "adversarial: %d kinds of %d characters, %d rounds (p50). Ordinary text of that length: interpret %.1f µs, turn %.1f µs; an ordinary 20-word message: interpret %.2f µs, turn %.2f µs",
                kinds.count, length, rounds, ordinary.interpret, ordinary.turn, short.interpret, short.turn))
        print("  interpret µs (x ordinary of its length, x 20 words) | turn µs (x ordinary of its length, x 20 words) | kind")
        for kind in kinds {
            print(
                String(
                    format: "  %8.1f (%4.2fx, %5.1fx) | %8.1f (%4.2fx, %5.1fx) | %@",
                    kind.times.interpret, kind.times.interpret / ordinary.interpret, kind.times.interpret / short.interpret,
                    kind.times.turn, kind.times.turn / ordinary.turn, kind.times.turn / short.turn, kind.name))
        }
        if let worstInterpret = kinds.max(by: { $0.times.interpret < $1.times.interpret }), let worstTurn = kinds.first {
            print(
                String(
                    format: "  slowest to interpret: %@, %.1fx the 20-word message; slowest turn: %@, %.1fx (bar: 100x)",
                    worstInterpret.name, worstInterpret.times.interpret / short.interpret, worstTurn.name, worstTurn.times.turn / short.turn))
        }
        if sink == Int.min { print(sink) }
    }
}
