import Foundation
import SocketServer
import TestSupport
import Testing

@Suite("The socket daemon, real process and real sockets", .serialized)
struct SocketServerTests {
    @Test("a whole conversation, to the assessment")
    func conversation() throws {
        let daemon = try Daemon()
        let client = try LineClient(path: daemon.socketPath)
        var last: [String: Any] = [:]
        for text in ["I got a cramp in my calf during a run, first time, a few seconds", "no"] {
            client.send(json: ["session": "tg:1", "text": text])
            last = try #require(client.readJSON())
            #expect(last["session"] as? String == "tg:1")
        }
        #expect(last["stage"] as? String == "followup")
        #expect((last["reply"] as? String)?.contains("not a diagnosis") == true)
        #expect(daemon.stop() == 0)
    }

    @Test("many sessions interleaved on one connection keep their own state and order")
    func interleaved() throws {
        let daemon = try Daemon()
        let client = try LineClient(path: daemon.socketPath)
        for (session, text) in [("a", "my calf cramps at night"), ("b", "my foot cramps when I run"), ("a", "left"), ("b", "right")] {
            client.send(json: ["session": session, "text": text])
        }
        let replies = (0..<4).compactMap { _ in client.readJSON() }
        #expect(replies.map { $0["session"] as? String } == ["a", "b", "a", "b"])
        let slotsA = replies[2]["slots"] as? [String: Any]
        let slotsB = replies[3]["slots"] as? [String: Any]
        #expect(slotsA?["side"] as? String == "left")
        #expect(slotsA?["timing"] as? String == "night")
        #expect(slotsB?["side"] as? String == "right")
        #expect(slotsB?["timing"] as? String == "exercise")
        _ = daemon.stop()
    }

    @Test("a session continues on a new connection")
    func resumption() throws {
        let daemon = try Daemon()
        do {
            let first = try LineClient(path: daemon.socketPath)
            first.send(json: ["session": "m:7", "text": "my left calf cramps at night"])
            _ = first.readJSON()
        }
        let second = try LineClient(path: daemon.socketPath)
        second.send(json: ["session": "m:7", "type": "state"])
        let state = try #require(second.readJSON())
        #expect(state["exists"] as? Bool == true)
        #expect((state["slots"] as? [String: Any])?["side"] as? String == "left")
        _ = daemon.stop()
    }

    @Test("every error code, and the connection keeps serving after each")
    func errors() throws {
        let daemon = try Daemon(["--max-line-bytes", "1024", "--max-sessions", "2", "--store", "memory"])
        let client = try LineClient(path: daemon.socketPath)
        func code(after send: () -> Void) -> String? {
            send()
            return (client.readJSON()?["error"] as? [String: Any])?["code"] as? String
        }
        #expect(code { client.send("{not json") } == "bad_json")
        #expect(code { client.send(json: ["text": "hi"]) } == "missing_field")
        #expect(code { client.send(json: ["session": "x"]) } == "missing_field")
        #expect(code { client.send(json: ["session": "x", "type": "dance"]) } == "unknown_type")
        #expect(code { client.send([0xff, 0xfe, 0x22, 0x0a]) } == "invalid_utf8")
        #expect(code { client.send(String(repeating: "x", count: 5000)) } == "line_too_long")
        client.send(json: ["session": "s1", "text": "hi"])
        _ = client.readJSON()
        client.send(json: ["session": "s2", "text": "hi"])
        _ = client.readJSON()
        #expect(code { client.send(json: ["session": "s3", "text": "hi"]) } == "too_many_sessions")
        client.send(json: ["session": "s1", "text": "my calf cramps"])
        #expect(client.readJSON()?["stage"] != nil, "the connection still works")
        _ = daemon.stop()
    }

    @Test("junk: random bytes, a 10 MB line, half a line then gone; others are unharmed")
    func junk() throws {
        let daemon = try Daemon()
        let witness = try LineClient(path: daemon.socketPath)
        var generator = SystemRandomNumberGenerator()
        let junk = try LineClient(path: daemon.socketPath)
        junk.send((0..<50_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        junk.send(Array(repeating: UInt8(ascii: "a"), count: 10 * 1024 * 1024) + [0x0a])
        witness.send(json: ["session": "t", "text": String(repeating: "a ", count: 2500)])
        #expect((witness.readJSON()?["error"] as? [String: Any])?["code"] as? String == "text_too_long")
        var codes = Set<String>()
        while let reply = junk.readJSON(timeout: 2) { if let code = (reply["error"] as? [String: Any])?["code"] as? String { codes.insert(code) } }
        #expect(codes.contains("line_too_long"))
        do {
            let half = try LineClient(path: daemon.socketPath)
            half.send(Array(#"{"session": "h", "te"#.utf8))
        }  // closed mid-line
        do {
            let rude = try LineClient(path: daemon.socketPath)
            rude.send(json: ["session": "r", "text": "my calf cramps at night"])
        }  // gone before the reply
        let waiting = try LineClient(path: daemon.socketPath)
        waiting.send(Array(#"{"session": "slow", "text": "my ca"#.utf8))  // half a line, then it waits
        witness.send(json: ["session": "w", "text": "my calf cramps at night"])
        #expect((witness.readJSON()?["reply"] as? String)?.contains("How long does one cramp") == true, "others are served meanwhile")
        waiting.send(Array(#"lf cramps"}"#.utf8) + [0x0a])
        #expect(waiting.readJSON()?["session"] as? String == "slow", "the half line completes later")
        #expect(daemon.stop() == 0)
    }

    @Test(
        "a client that sends without reading is paused: the daemon does not buffer its replies without bound, others are served, and it gets every reply later")
    func backpressure() throws {
        let daemon = try Daemon(["--store", "memory"])
        func residentKilobytes() -> Int {
            let status = (try? String(contentsOfFile: "/proc/\(daemon.process.processIdentifier)/status", encoding: .utf8)) ?? ""
            let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        let flooder = try LineClient(path: daemon.socketPath)
        flooder.send(json: ["session": "f", "text": "what causes cramps?"])
        _ = flooder.readJSON()
        let before = residentKilobytes()
        // Each reply is about 1.5 KB: 20,000 of them unread would be 30 MB held by the daemon.
        let count = 20_000
        let sent = DispatchSemaphore(value: 0)
        Thread {
            for _ in 0..<count { flooder.send(json: ["session": "f", "text": "what causes cramps?"]) }
            sent.signal()
        }.start()
        usleep(1_500_000)
        let during = residentKilobytes()
        print("backpressure test: the daemon grew by \(during - before) KB")
        #expect(during - before < 6_000, "the daemon grew by \(during - before) KB while the client did not read")
        let other = try LineClient(path: daemon.socketPath)
        other.send(json: ["session": "other", "text": "my calf cramps at night"])
        #expect(other.readJSON(timeout: 5)?["session"] as? String == "other", "another connection is served meanwhile")
        var received = 0
        while received < count, flooder.readJSON(timeout: 20)?["session"] as? String == "f" { received += 1 }
        #expect(sent.wait(timeout: .now() + 10) == .success)
        #expect(received == count)
        #expect(daemon.stop() == 0)
    }

    @Test("a line started and not finished is closed after --line-timeout with an error; a quiet connection stays open")
    func unfinishedLine() throws {
        let daemon = try Daemon(["--line-timeout", "1", "--store", "memory"])
        let stuck = try LineClient(path: daemon.socketPath)
        let quiet = try LineClient(path: daemon.socketPath)
        stuck.send(json: ["type": "ping"])
        #expect(stuck.readJSON()?["type"] as? String == "pong")
        stuck.send(Array(#"{"session":"a","te"#.utf8))
        let error = stuck.readJSON(timeout: 5)?["error"] as? [String: Any]
        #expect(error?["code"] as? String == "line_timeout")
        #expect(stuck.readLine(timeout: 5) == nil, "closed after the error")
        usleep(300_000)
        quiet.send(json: ["type": "ping"])
        #expect(quiet.readJSON()?["type"] as? String == "pong", "a connection quiet between lines is left open")
        #expect(daemon.stop() == 0)
    }

    @Test("a client that never reads its replies is closed after --write-timeout; the others are served")
    func neverReads() throws {
        let daemon = try Daemon(["--write-timeout", "1", "--store", "memory"])
        let flooder = try LineClient(path: daemon.socketPath)
        let sent = DispatchSemaphore(value: 0)
        Thread {
            for _ in 0..<20_000 { flooder.send(json: ["session": "f", "text": "what causes cramps?"]) }
            sent.signal()
        }.start()
        // Until it is closed (after the 1 s timeout): then its sends fail instead of blocking.
        let stopped = sent.wait(timeout: .now() + 15)
        let other = try LineClient(path: daemon.socketPath)
        other.send(json: ["session": "other", "text": "my calf cramps at night"])
        #expect(other.readJSON(timeout: 5)?["session"] as? String == "other")
        // Closed: what it can still read ends before the 20,000 replies, and its sending stops.
        var received = 0
        while flooder.readJSON(timeout: 5) != nil { received += 1 }
        #expect(received < 20_000, "read \(received) replies")
        #expect(stopped == .success, "its sends fail instead of blocking")
        #expect(daemon.stop() == 0)
    }

    @Test("200 connections at once, and a limit on connections")
    func manyConnections() throws {
        let daemon = try Daemon()
        let clients = try (0..<200).map { _ in try LineClient(path: daemon.socketPath) }
        for (index, client) in clients.enumerated() { client.send(json: ["session": "c\(index)", "text": "my calf cramps at night"]) }
        let answered = clients.enumerated().filter { index, client in client.readJSON()?["session"] as? String == "c\(index)" }.count
        #expect(answered == 200)
        _ = daemon.stop()

        let limited = try Daemon(["--max-connections", "1"])
        // The daemon's start-up probe may still count as open for a moment: connect until admitted.
        var admitted: LineClient?
        for _ in 0..<50 where admitted == nil {
            let candidate = try LineClient(path: limited.socketPath)
            candidate.send(json: ["type": "ping"])
            if candidate.readJSON()?["type"] as? String == "pong" { admitted = candidate } else { usleep(20_000) }
        }
        let first = try #require(admitted)
        first.send(json: ["type": "ping"])
        #expect(first.readJSON()?["type"] as? String == "pong")
        let second = try LineClient(path: limited.socketPath)
        #expect((second.readJSON()?["error"] as? [String: Any])?["code"] as? String == "too_many_connections")
        _ = limited.stop()
    }

    @Test("stale socket removed; a live one refused; a missing folder reported")
    func socketFile() throws {
        let daemon = try Daemon()
        // A second daemon on the same live socket refuses to start.
        let second = Process()
        second.executableURL = Daemon.binary
        second.arguments = ["serve", "--socket", daemon.socketPath]
        second.standardError = FileHandle.nullDevice
        try second.run()
        second.waitUntilExit()
        #expect(second.terminationStatus == 1)
        #expect(try LineClient(path: daemon.socketPath).descriptor >= 0, "the first daemon still serves")
        // Kill -9 leaves a stale socket file; a new daemon removes it and starts.
        kill(daemon.process.processIdentifier, SIGKILL)
        daemon.process.waitUntilExit()
        #expect(FileManager.default.fileExists(atPath: daemon.socketPath))
        let restart = Process()
        restart.executableURL = Daemon.binary
        restart.arguments = ["serve", "--socket", daemon.socketPath]
        let restartErrors = Pipe()
        restart.standardError = restartErrors
        try restart.run()
        var connected = false
        for _ in 0..<200 where !connected {
            connected = (try? LineClient(path: daemon.socketPath)) != nil
            if !connected { usleep(20_000) }
        }
        #expect(connected)
        kill(restart.processIdentifier, SIGTERM)
        let restartLog = String(decoding: restartErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        restart.waitUntilExit()
        #expect(restart.terminationStatus == 0, "\(restartLog)")
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath), "the socket is unlinked on exit")
        // Missing folder: a clear error, exit 1.
        let missing = Process()
        missing.executableURL = Daemon.binary
        missing.arguments = ["serve", "--socket", "/nonexistent-charley-folder/c.sock"]
        let errors = Pipe()
        missing.standardError = errors
        try missing.run()
        missing.waitUntilExit()
        #expect(missing.terminationStatus == 1)
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(message.contains("does not exist"))
    }

    @Test("SIGTERM while connections keep arriving exits cleanly, every time")
    func shutdownRace() throws {
        for _ in 0..<8 {
            let daemon = try Daemon()
            let path = daemon.socketPath
            let spray = Thread {
                for _ in 0..<40 { _ = try? LineClient(path: path) }
            }
            spray.start()
            usleep(2_000)
            #expect(daemon.stop() == 0)
            while spray.isExecuting { usleep(1_000) }
        }
    }

    @Test("a client whose daemon is gone gets an error from send, and its process lives on (no SIGPIPE)")
    func sendAfterTheDaemonDied() throws {
        let daemon = try Daemon()
        let client = try SocketClient(path: daemon.socketPath)
        try client.send(#"{"type":"ping"}"#)
        #expect(client.readLine(timeout: 10)?.contains("pong") == true)
        daemon.crash()
        // The first write after the peer closed may still be taken by the kernel; a later one fails.
        // Before MSG_NOSIGNAL, that failing write killed this test process with SIGPIPE.
        let line = Array(repeating: UInt8(ascii: "a"), count: 65536)
        #expect(throws: SocketClient.Failure.self) {
            for _ in 0..<100 { try client.send(bytes: line) }
        }
    }

    @Test("the socket file is private (0600)")
    func socketMode() throws {
        let daemon = try Daemon()
        var info = stat()
        stat(daemon.socketPath, &info)
        #expect(info.st_mode & 0o777 == 0o600)
        _ = daemon.stop()
    }

    @Test("SIGTERM with replies in flight: they are delivered, exit 0")
    func gracefulShutdown() throws {
        let daemon = try Daemon()
        let client = try LineClient(path: daemon.socketPath)
        client.send(json: ["type": "ping"])
        #expect(client.readJSON()?["type"] as? String == "pong")  // accepted before the signal
        for index in 0..<50 { client.send(json: ["session": "g\(index % 5)", "text": "my calf cramps at night"]) }
        kill(daemon.process.processIdentifier, SIGTERM)
        var received = 0
        while client.readJSON(timeout: 3) != nil { received += 1 }
        daemon.process.waitUntilExit()
        #expect(daemon.process.terminationStatus == 0)
        #expect(received == 50, "every message sent before SIGTERM is answered")
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
    }
}

@Suite("Dialogues through the socket")
struct DialoguesThroughSocketTests {
    static let dialogues = CharleyProcess.packageRoot.appendingPathComponent("Dialogues")

    /// The user lines of a dialogue file.
    static func lines(_ url: URL) throws -> [String] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
            .filter { $0.hasPrefix(">") }.map { String($0.dropFirst()).trimmingCharacters(in: .whitespaces) }
    }

    @Test("every dialogue gives the same contract JSON over the socket as from charley chat --json")
    func sameJSON() throws {
        let daemon = try Daemon()
        let client = try LineClient(path: daemon.socketPath)
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.dialogues.path).filter { $0.hasSuffix(".dialogue") }.sorted()
        #expect(files.count >= 50)
        for (index, name) in files.enumerated() {
            let lines = try Self.lines(Self.dialogues.appendingPathComponent(name))
            // The in-process engine, as a person at `charley chat --json` would see it.
            let expected = try CharleyProcess.run(["chat", "--json"], input: lines.joined(separator: "\n") + "\n").output
                .split(separator: "\n").map(String.init)
            // The same lines through the daemon, one session per dialogue.
            var actual: [String] = []
            for line in lines.prefix(expected.count) {
                client.send(json: ["session": "d\(index)", "text": line])
                guard var reply = client.readJSON() else { break }
                reply["session"] = nil
                actual.append(
                    String(decoding: try JSONSerialization.data(withJSONObject: reply, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
            }
            let normalised = try expected.map { line -> String in
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
                return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
            }
            #expect(actual == normalised, "\(name)")
        }
        _ = daemon.stop()
    }
}

@Suite("examples/bridge.py")
struct BridgeExampleTests {
    @Test("the example bridge multiplexes several users over one connection")
    func bridge() throws {
        let daemon = try Daemon()
        let script = DialoguesThroughSocketTests.dialogues.deletingLastPathComponent().appendingPathComponent("examples/bridge.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, daemon.socketPath]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(text.contains("connected: protocol 1"))
        #expect(text.contains("[mx:@ana:example.org] Noted: left leg, calf, at night."))
        #expect(text.contains("[sl:U123] This needs a doctor today"))
        #expect(text.contains("[tg:4711] Quinine is no longer recommended"))
        _ = daemon.stop()
    }
}
