import Benchmark
import Conversation
import Understanding

/// What people write, the way they write it (paraphrased, not copied, from real questions).
let utterances = [
    "my left calf cramps at night", "I get a charley horse in my right calf when I run",
    "sometimes my toes curl up and cramp, it lasts a few seconds", "no numbness or swelling",
    "is quinine safe?", "what causes leg cramps?", "I'm 72 and they wake me most nights",
    "my foot cramps when I swim in cold water", "since I started a statin", "yes", "no",
    "both legs, maybe three times a week for a couple of months", "how do I stop a cramp?",
    "the calf is swollen, red and warm", "numbnes and tingling in my foot", "I'm pregnant"
]

/// One person's interview, start to finish: the engine's common path.
let interview = [
    "my left calf cramps at night", "a few minutes", "most nights", "years", "nothing I can think of",
    "none of these", "65", "no", "no", "what can I do?"
]

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        maxDuration: .seconds(3))
    let conversation: Conversation
    do { conversation = try Conversation.bundled() } catch { fatalError("\(error)") }

    // The harness's own allocations and time around one measured call: subtract from the others.
    Benchmark("nothing (the harness alone)") { benchmark in
        for index in benchmark.scaledIterations { blackHole(index) }
    }

    Benchmark("interpret one utterance") { benchmark in
        for index in benchmark.scaledIterations {
            blackHole(conversation.interpreter.interpret(utterances[index % utterances.count]))
        }
    }

    Benchmark("conversation turn (interview lines in turn)") { benchmark in
        var state = SessionState()
        for index in benchmark.scaledIterations {
            let line = index % interview.count
            if line == 0 { state = SessionState() }
            blackHole(conversation.respond(to: interview[line], state: &state))
        }
    }

    // Made once, outside the benchmarks: their closures run again for every sample.
    var interviewState = SessionState()
    let replies = interview.map { conversation.respond(to: $0, state: &interviewState) }
    let finishedState = interviewState

    Benchmark("reply as JSON") { benchmark in
        for index in benchmark.scaledIterations { blackHole(replies[index % replies.count].json()) }
    }

    Benchmark("state as stored JSON") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(finishedState.json()) }
    }
}
