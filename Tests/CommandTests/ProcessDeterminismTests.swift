import Foundation
import TestSupport
import Testing

/// Swift seeds its hashing afresh in every process, so a reply that depends on the order of a
/// `Set` or `Dictionary` differs between two runs of charley, never between two runs inside one
/// test process. The same conversation is therefore run in two processes and compared.
@Suite("The same conversation in two processes")
struct ProcessDeterminismTests {
    static let conversations: [[String]] = [
        [
            "my calf cramps at night", "both", "a few minutes", "most nights", "years", "nothing", "no", "65", "no",
            "what causes them?", "is quinine safe?", "should I see a doctor?"
        ],
        [
            "I get cramps at night after exercise, with some numbness, and I have diabetes", "left", "a few seconds",
            "once or twice a week", "months", "what is the most likely cause?", "how do I stop one?"
        ],
        ["my mum's calf is swollen and red and warm", "left", "summary", "back", "why"]
    ]

    @Test("two runs of charley, each with its own hash seed, give the same replies, rankings and assessments")
    func twoProcesses() throws {
        #expect(
            ProcessInfo.processInfo.environment["SWIFT_DETERMINISTIC_HASHING"] == nil,
            "with deterministic hashing both processes would hash alike and the test could not fail")
        var ranked = 0
        for lines in Self.conversations {
            let input = lines.joined(separator: "\n") + "\n"
            let first = try CharleyProcess.run(["chat", "--json"], input: input)
            let second = try CharleyProcess.run(["chat", "--json"], input: input)
            #expect(first.status == 0 && second.status == 0)
            let replies = first.output.split(separator: "\n")
            #expect(replies.count == lines.count, "one reply a line: \(first.output)")
            ranked += replies.filter { $0.hasPrefix(#"{"causes":[{"#) }.count
            for (index, (a, b)) in zip(replies, second.output.split(separator: "\n")).enumerated() where a != b {
                Issue.record("reply \(index + 1) to \(lines[index]) differs between two processes:\n\(a)\n\(b)")
            }
            #expect(first.output == second.output)
        }
        #expect(ranked >= 4, "assessments with ranked causes are compared")
    }
}
