import ArgumentParser
import CEpoll
import Dispatch
import Foundation
import SocketServer

struct BenchSocketCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "socket",
        abstract: "Round-trip latency and throughput against a running `charley serve`.",
        discussion: """
            Opens CONNECTIONS connections; each sends MESSAGES messages, one at a time, waiting for \
            every reply (a closed loop), each connection with its own SESSIONS sessions; with \
            --window, up to WINDOW messages of different sessions in flight on a connection, as a \
            bridge relaying many people sends them. One thread \
            drives every connection with epoll(7), so a thousand connections cost a thousand \
            sockets, not a thousand threads. Prints messages per second and latency percentiles. \
            Start the daemon with a release build first (Benchmarks/socket.sh does both); compare \
            with `charley serve --echo` to see the transport's share.
            """)

    @Option(help: "The daemon's socket; give it again for more daemons (on one shared store): the connections are spread over them in turn.")
    var socket: [String]

    @Option(help: "Connections to use at once.")
    var connections = 1

    @Option(help: "Messages per connection.")
    var messages = 2000

    @Option(help: "Sessions per connection.")
    var sessions = 8

    @Option(help: "Messages in flight on each connection at once (at most SESSIONS, so each is a different session's).")
    var window = 1

    @Option(
        help:
            "Also open this many hostile connections, each sending generated worst-case messages (charley bench adversarial) flat out and reading their replies, while the others are measured."
    )
    var hostile = 0

    @Option(help: "The length of the hostile messages, in characters (at most 4,000, the daemon's limit).")
    var hostileLength = AdversarialInput.characters

    @Flag(
        help: "Poll without sleeping (busy-wait), so the client's own wake-up is not part of the round trip. Takes a whole core; for one connection's latency.")
    var spin = false

    static let texts = [
        "my calf cramps at night", "left", "a few seconds", "most nights", "years", "no", "no", "65",
        "is quinine safe?", "what causes cramps?"
    ]

    /// One connection of the load: its socket and where it is in its script.
    struct Connection {
        let client: SocketClient
        var sent = 0
        var answered = 0
        /// When each message was sent; replies come in order, so reply n answers message n.
        var sentAt: [UInt64] = []
    }

    func validate() throws {
        guard !socket.isEmpty else { throw ValidationError("give the daemon's socket with --socket") }
        guard connections >= 1, messages >= 1, sessions >= 1 else { throw ValidationError("connections, messages and sessions must be at least 1") }
        guard (1...sessions).contains(window) else { throw ValidationError("--window must be between 1 and --sessions (\(sessions))") }
    }

    func message(connection: Int, index: Int) -> [UInt8] {
        let session = "bench:\(connection):\(index % sessions)"
        let text = Self.texts[(index / sessions) % Self.texts.count]
        return Array(#"{"session":"\#(session)","text":"\#(text)"}"#.utf8) + [0x0a]
    }

    func run() throws {
        var load: [Connection] = []
        for index in 0..<connections {
            do {
                load.append(Connection(client: try SocketClient(path: socket[index % socket.count])))
            } catch {
                throw ValidationError("\(error) (after \(load.count) connections)")
            }
        }
        let flood = try Flood(socket: socket[0], connections: hostile, length: hostileLength)
        defer { flood.stop() }
        if hostile > 0 { usleep(200_000) }  // the flood under way before the measured load starts
        var latencies: [Double] = []
        latencies.reserveCapacity(connections * messages)
        var failures = 0
        // epoll rather than poll(2): poll registers and removes a wait on every connection on
        // every call, which with many connections made the load generator, on the same cores
        // as the daemon, a large part of what was measured.
        let epoll = epoll_create1(0)
        guard epoll >= 0 else { throw ValidationError("epoll_create1: \(String(cString: strerror(errno)))") }
        defer { close(epoll) }
        for index in load.indices {
            var event = epoll_event()
            event.events = EPOLLIN.rawValue
            event.data.u64 = UInt64(index)
            guard epoll_ctl(epoll, EPOLL_CTL_ADD, load[index].client.descriptor, &event) == 0 else {
                throw ValidationError("epoll_ctl: \(String(cString: strerror(errno)))")
            }
        }
        var events = [epoll_event](repeating: epoll_event(), count: 1024)
        let start = DispatchTime.now().uptimeNanoseconds
        for index in load.indices {
            for _ in 0..<min(window, messages) { send(&load[index], connection: index) }
        }
        var active = connections
        var chunk = [UInt8](repeating: 0, count: 65536)
        while active > 0 {
            var ready: Int32 = 0
            if spin {
                let deadline = DispatchTime.now().uptimeNanoseconds + 10_000_000_000
                while ready == 0 && DispatchTime.now().uptimeNanoseconds < deadline { ready = epoll_wait(epoll, &events, Int32(events.count), 0) }
            } else {
                ready = epoll_wait(epoll, &events, Int32(events.count), 10_000)
            }
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else {
                failures += active
                break
            }
            for event in events[..<Int(ready)] {
                let index = Int(event.data.u64)
                let count = read(load[index].client.descriptor, &chunk, chunk.count)
                if count <= 0 {
                    failures += messages - load[index].answered
                    epoll_ctl(epoll, EPOLL_CTL_DEL, load[index].client.descriptor, nil)
                    active -= 1
                    continue
                }
                // Each reply is one line: counting newlines is enough (nothing is parsed).
                let replies = chunk[..<count].reduce(0) { $1 == 0x0a ? $0 + 1 : $0 }
                let now = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<replies where load[index].answered < messages {
                    latencies.append(Double(now - load[index].sentAt[load[index].answered]) / 1000)
                    load[index].answered += 1
                    if load[index].sent < messages {
                        send(&load[index], connection: index)
                    } else if load[index].answered == messages {
                        epoll_ctl(epoll, EPOLL_CTL_DEL, load[index].client.descriptor, nil)
                        active -= 1
                    }
                }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard !latencies.isEmpty else { throw ValidationError("no replies: is the daemon running on \(socket.joined(separator: ", "))?") }
        latencies.sort()
        func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        let hostileNote = hostile > 0 ? "; \(hostile) hostile connections sent \(flood.sent) worst-case messages meanwhile" : ""
        print(
            "socket: \(socket.count > 1 ? "\(socket.count) daemons, " : "")\(connections) connections x \(messages) messages (\(sessions) sessions each\(window > 1 ? ", \(window) in flight" : "")), \(failures) failed\(hostileNote)"
        )
        print(
            String(
                format: "  %.0f messages/s; round trip p50 %.1f µs, p99 %.1f µs, max %.1f µs",
                Double(latencies.count) / seconds, percentile(0.5), percentile(0.99), latencies.last!))
        // A run that lost replies is not a measurement (and fails CI's smoke run).
        if failures > 0 { throw ExitCode.failure }
    }

    private func send(_ connection: inout Connection, connection index: Int) {
        let line = message(connection: index, index: connection.sent)
        if connection.sentAt.isEmpty { connection.sentAt.reserveCapacity(messages) }
        connection.sentAt.append(DispatchTime.now().uptimeNanoseconds)
        try? connection.client.send(bytes: line)
        connection.sent += 1
    }
}

/// Hostile connections for `bench socket --hostile`: each sends the generated worst-case
/// messages over and over, as fast as the daemon takes them, on a thread of its own, and a
/// second thread reads and drops its replies.
final class Flood: @unchecked Sendable {
    private let clients: [SocketClient]
    private let lock = NSLock()
    private var stopping = false
    private var count = 0

    init(socket: String, connections: Int, length: Int) throws {
        clients = try (0..<connections).map { _ in try SocketClient(path: socket) }
        let lines = AdversarialInput.all(length: length).enumerated().map { index, kind in
            let text = String(data: try! JSONSerialization.data(withJSONObject: [kind.text]), encoding: .utf8)!.dropFirst().dropLast()
            return Array(#"{"session":"hostile:\#(index)","text":\#(text)}"#.utf8) + [0x0a]
        }
        for connection in clients.indices {
            Thread { [self] in
                var index = 0
                while !isStopping {
                    guard (try? clients[connection].send(bytes: lines[index % lines.count])) != nil else { return }
                    index += 1
                    lock.withLock { count += 1 }
                }
            }.start()
            Thread { [self] in
                var buffer = [UInt8](repeating: 0, count: 65536)
                while !isStopping && read(clients[connection].descriptor, &buffer, buffer.count) > 0 {}
            }.start()
        }
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    /// Worst-case messages sent so far.
    var sent: Int { lock.withLock { count } }

    func stop() {
        lock.withLock { stopping = true }
        for client in clients { shutdown(client.descriptor, Int32(SHUT_RDWR)) }
    }
}
