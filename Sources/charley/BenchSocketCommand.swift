import ArgumentParser
import Dispatch
import Foundation
import SocketServer

struct BenchSocketCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "socket",
        abstract: "Round-trip latency and throughput against a running `charley serve`.",
        discussion: """
            Opens CONNECTIONS connections; each sends MESSAGES messages, one at a time, waiting for \
            every reply (a closed loop), each connection with its own sessions. Prints messages per \
            second and latency percentiles. Start the daemon with a release build first.
            """)

    @Option(help: "The daemon's socket.")
    var socket: String

    @Option(help: "Connections to use at once.")
    var connections = 1

    @Option(help: "Messages per connection.")
    var messages = 2000

    @Option(help: "Sessions per connection.")
    var sessions = 8

    func run() throws {
        let texts = ["my calf cramps at night", "left", "a few seconds", "most nights", "years", "no", "no", "65",
                     "is quinine safe?", "what causes cramps?"]
        let results = Results(connections: connections, messages: messages)
        let path = socket, perConnection = messages, sessionCount = sessions
        @Sendable func client(_ connection: Int) {
            guard let client = try? SocketClient(path: path) else { results.failures[connection] = perConnection; return }
            for index in 0..<perConnection {
                let session = "bench:\(connection):\(index % sessionCount)"
                let text = texts[(index / sessionCount) % texts.count]
                let line = #"{"session":"\#(session)","text":"\#(text)"}"#
                let before = DispatchTime.now().uptimeNanoseconds
                guard (try? client.send(line)) != nil, client.readLine() != nil else { results.failures[connection] += 1; continue }
                results.latencies[connection * perConnection + index] = Double(DispatchTime.now().uptimeNanoseconds - before) / 1000
            }
        }
        let start = DispatchTime.now().uptimeNanoseconds
        // A thread per connection: every connection really has a message in flight at once
        // (concurrentPerform would run only as many as there are cores).
        let group = DispatchGroup()
        for connection in 0..<connections {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                client(connection)
            }
            thread.stackSize = 256 * 1024
            thread.start()
        }
        group.wait()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let sorted = results.latencies.sorted().filter { $0 > 0 }
        guard !sorted.isEmpty else { throw ValidationError("no replies: is the daemon running on \(path)?") }
        func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        print("socket: \(connections) connections x \(messages) messages (\(sessions) sessions each), \(results.failures.reduce(0, +)) failed")
        print(String(format: "  %.0f messages/s; round trip p50 %.1f µs, p99 %.1f µs, max %.1f µs",
                     Double(sorted.count) / seconds, percentile(0.5), percentile(0.99), sorted.last!))
    }
}

/// Per-connection measurements. Each connection writes only its own slots (its index range), so
/// the threads never touch the same memory; the buffers are freed when the benchmark ends.
private final class Results: @unchecked Sendable {
    let latencies: UnsafeMutableBufferPointer<Double>
    let failures: UnsafeMutableBufferPointer<Int>

    init(connections: Int, messages: Int) {
        latencies = .allocate(capacity: connections * messages)
        latencies.initialize(repeating: 0)
        failures = .allocate(capacity: connections)
        failures.initialize(repeating: 0)
    }

    deinit {
        latencies.deallocate()
        failures.deallocate()
    }
}
