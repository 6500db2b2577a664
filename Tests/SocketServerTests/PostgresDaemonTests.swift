import Foundation
import PostgresTestSupport
import TestSupport
import Testing

/// Runs `body(0..<count)` on threads of their own (the clients block on their sockets) and
/// waits without holding one of Swift's few cooperative threads: the in-process PostgreSQL
/// tests running meanwhile need them.
private func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            Thread {
                body(index)
                group.leave()
            }.start()
        }
        group.notify(queue: .global()) { continuation.resume() }
    }
}

/// Runs blocking work (a process, a wait) on a thread of its own and awaits its result.
private func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

private func json(_ line: String?) -> [String: Any]? {
    line.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
}

private func message(_ session: String, _ text: String, id: String? = nil) -> String {
    var object: [String: Any] = ["session": session, "text": text]
    if let id { object["id"] = id }
    return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
}

/// A session's turns as a daemon reports them.
private func turns(_ client: LineClient, _ session: String) -> Int? {
    client.send(json: ["type": "state", "session": session])
    return json(client.readLine())?["turns"] as? Int
}

/// Lines of a whole interview, ending before goodbye (so the session is kept).
private let interview = [
    "hi", "my left calf cramps at night", "a few seconds", "most nights", "for a few months",
    "no numbness or swelling", "I run a lot and don't drink much", "no other conditions", "what helps?",
    "how can I prevent them", "is this serious?"
]

/// Thread-safe counters and notes for the bridge threads.
private final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    private var notes: [String] = []
    func add(_ key: String, _ by: Int = 1) { lock.withLock { counts[key, default: 0] += by } }
    func note(_ text: String) { lock.withLock { if notes.count < 20 { notes.append(text) } } }
    func maximum(_ key: String, _ value: Int) { lock.withLock { counts[key] = max(counts[key] ?? 0, value) } }
    subscript(key: String) -> Int { lock.withLock { counts[key] ?? 0 } }
    var allNotes: [String] { lock.withLock { notes } }
}

@Suite(
    "Several daemons on one PostgreSQL store", .serialized,
    .enabled(if: PostgresTestServer.isAvailable, Comment(rawValue: PostgresTestServer.skipReason)))
struct PostgresDaemonTests {
    @Test("one session's turns sent alternately to two daemons get the replies one daemon gives")
    func alternatingDaemons() async throws {
        let url = try await PostgresTestServer.freshDatabase("alternate")
        let first = try Daemon(["--store", url])
        let second = try Daemon(["--store", url])
        let reference = try Daemon(["--store", "memory"])
        let clients = [try LineClient(path: first.socketPath), try LineClient(path: second.socketPath)]
        let alone = try LineClient(path: reference.socketPath)
        for (index, line) in interview.enumerated() {
            clients[index % 2].send(message("tg:alt", line))
            alone.send(message("tg:alt", line))
            let shared = try #require(clients[index % 2].readLine())
            let single = try #require(alone.readLine())
            #expect(shared == single, "turn \(index + 1): '\(line)'")
            #expect(json(shared)?["error"] == nil, "\(shared)")
        }
        #expect(turns(clients[0], "tg:alt") == interview.count)
        #expect(turns(clients[1], "tg:alt") == interview.count)
        _ = first.stop()
        _ = second.stop()
        _ = reference.stop()
    }

    @Test("both daemons sent the same session at once: every turn applied once, none lost")
    func sameSessionAtOnce() async throws {
        let url = try await PostgresTestServer.freshDatabase("atonce")
        let daemons = [try Daemon(["--store", url]), try Daemon(["--store", url])]
        let perClient = 40
        let clientsPerDaemon = 2
        let tally = Tally()
        let paths = daemons.map(\.socketPath)
        await onThreads(2 * clientsPerDaemon) { index in
            guard let client = try? LineClient(path: paths[index % 2]) else { return tally.add("no connection") }
            // Sent without waiting, as a busy bridge does; the replies come in order.
            for turn in 0..<perClient { client.send(message("tg:both", turn % 2 == 0 ? "my calf cramps" : "at night")) }
            for _ in 0..<perClient {
                guard let reply = json(client.readLine(timeout: 30)) else { return tally.add("no reply") }
                tally.add(reply["error"] == nil ? "ok" : "error")
                if reply["error"] != nil { tally.note("\(reply)") }
            }
        }
        #expect(tally["ok"] == 2 * clientsPerDaemon * perClient, "\(tally.allNotes)")
        let check = try LineClient(path: daemons[0].socketPath)
        #expect(turns(check, "tg:both") == 2 * clientsPerDaemon * perClient)
        for daemon in daemons { _ = daemon.stop() }
    }

    @Test("a retried request id gets the reply already given, from either daemon, and is applied once")
    func retriedRequest() async throws {
        let url = try await PostgresTestServer.freshDatabase("retry")
        let first = try Daemon(["--store", url])
        let second = try Daemon(["--store", url])
        let a = try LineClient(path: first.socketPath)
        let b = try LineClient(path: second.socketPath)
        a.send(message("wa:1", "my right foot cramps when I run", id: "m-1"))
        let given = try #require(a.readLine())
        #expect(json(given)?["id"] as? String == "m-1")
        b.send(message("wa:1", "my right foot cramps when I run", id: "m-1"))
        #expect(b.readLine() == given, "the same reply from the other daemon")
        a.send(message("wa:1", "my right foot cramps when I run", id: "m-1"))
        #expect(a.readLine() == given)
        #expect(turns(a, "wa:1") == 1)
        b.send(message("wa:1", "a few minutes", id: "m-2"))
        let next = try #require(json(b.readLine()))
        #expect(next["id"] as? String == "m-2" && next["error"] == nil)
        #expect(turns(b, "wa:1") == 2)
        // An id is per session: the same id in another session is another request.
        a.send(message("wa:2", "hello", id: "m-1"))
        #expect((json(a.readLine())?["session"] as? String) == "wa:2")
        #expect(turns(a, "wa:2") == 1)
        _ = first.stop()
        _ = second.stop()

        // The operator's commands on the shared database.
        let list = try await blocking { try CharleyProcess.run(["sessions", "--store", url], mergingErrors: true) }
        #expect(list.status == 0 && list.output.contains("2 sessions in postgres://") && list.output.contains("wa:1"), "\(list.output)")
        let show = try await blocking { try CharleyProcess.run(["sessions", "show", "wa:1", "--store", url], mergingErrors: true) }
        #expect(show.status == 0 && show.output.contains("turns: 2"), "\(show.output)")
        let purge = try await blocking { try CharleyProcess.run(["sessions", "purge", "--all", "--store", url], mergingErrors: true) }
        #expect(purge.status == 0 && purge.output.contains("purged 2 sessions"), "\(purge.output)")
        let missing = try await blocking {
            try CharleyProcess.run(["sessions", "--store", "postgres://postgres:secret@/charley?host=/nonexistent-folder"], mergingErrors: true)
        }
        #expect(missing.status == 1 && missing.output.contains("cannot connect") && !missing.output.contains("secret"), "\(missing.output)")
    }

    @Test("no server, a refused port, no such database: charley sessions says which, without the password, well before the pool's 60 s circuit breaker")
    func missingServerBound() async throws {
        _ = try #require(PostgresTestServer.socketFolder)
        for (url, expected) in PostgresTestServer.unusableStores {
            let (result, seconds) = try await blocking { () -> ((output: String, status: Int32), Double) in
                let start = Date()
                let result = try CharleyProcess.run(["sessions", "--store", url], mergingErrors: true)
                return (result, Date().timeIntervalSince(start))
            }
            #expect(result.status == 1 && result.output.contains(expected), "\(url): \(result.output)")
            #expect(!result.output.contains(":pw"), "\(result.output)")
            // The connect timeout is 5 s; the margin is for a busy 2-core machine starting a debug
            // binary. Without the bound the pool would wait for its circuit breaker, about 60 s.
            #expect(seconds < 30, "\(url): \(seconds) s")
        }
    }

    @Test("kill -9 of one daemon under load: the bridge carries on through the other; no acknowledged turn lost, none applied twice")
    func killOneDaemon() async throws {
        let url = try await PostgresTestServer.freshDatabase("kill")
        let doomed = try Daemon(["--store", url])
        let survivor = try Daemon(["--store", url])
        let sessions = 16
        let messages = 8
        let tally = Tally()
        let paths = [doomed.socketPath, survivor.socketPath]
        let doomedPID = doomed.process.processIdentifier
        let killer = Thread {
            while tally["acknowledged"] < sessions * messages / 3 { usleep(2000) }
            kill(doomedPID, SIGKILL)
            tally.add("killed")
        }
        killer.start()
        await onThreads(sessions) { session in
            // Each bridge thread starts on the doomed daemon for even sessions.
            var target = session % 2 == 0 ? 0 : 1
            var client = try? LineClient(path: paths[target])
            for turn in 0..<messages {
                let line = message("s\(session)", turn % 2 == 0 ? "my calf cramps at night" : "a few seconds", id: "s\(session)-\(turn)")
                var attempts = 0
                while true {
                    attempts += 1
                    if attempts > 20 { return tally.add("gave up") }
                    if client == nil { client = try? LineClient(path: paths[target]) }
                    if let client,
                        let reply = json(
                            {
                                client.send(line)
                                return client.readLine(timeout: 5)
                            }()), reply["error"] == nil
                    {
                        tally.add("acknowledged")
                        break
                    }
                    // No reply, or an error: as a bridge does, retry the same id through the other daemon.
                    tally.add("retried")
                    target = 1
                    client = nil
                    usleep(50_000)
                }
            }
        }
        while doomed.process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        #expect(tally["killed"] == 1)
        #expect(tally["gave up"] == 0)
        #expect(tally["acknowledged"] == sessions * messages)
        let check = try LineClient(path: survivor.socketPath)
        for session in 0..<sessions {
            #expect(turns(check, "s\(session)") == messages, "session s\(session)")
        }
        print("kill -9 test: \(tally["retried"]) retries after the kill")
        _ = survivor.stop()
    }

    // A turn whose query was on a connection when the server stopped used to wait unanswered (1
    // run in 2): the store now answers within two lease timeouts and closes that connection.
    @Test("the server stopped and started under load: clear errors meanwhile, then recovery without a restart")
    func serverRestart() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/15/bin/initdb") else {
            Issue.record("no PostgreSQL 15 server binaries for a cluster of this test's own")
            return
        }
        let cluster = try await blocking { try PostgresTestServer.PrivateCluster(port: 5499) }
        FileManager.default.createFile(atPath: cluster.folder + ".daemon.log", contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: cluster.folder + ".daemon.log"))
        let daemon = try Daemon(["--store", cluster.url], stderr: log)
        let tally = Tally()
        let path = daemon.socketPath
        let done = Tally()
        let bridge = Thread {
            guard let client = try? LineClient(path: path) else { return tally.add("no connection") }
            var turn = 0
            var stopped = 0
            while done["stop"] == 0 && turn < 5000 {
                let line = message("r\(turn % 5)", turn % 2 == 0 ? "my calf cramps" : "at night", id: "r-\(turn)")
                client.send(line)
                let sent = Date()
                guard let reply = json(client.readLine(timeout: 30)) else {
                    tally.add("silent")
                    break
                }
                tally.add("longest ms", 0)
                tally.maximum("longest ms", Int(Date().timeIntervalSince(sent) * 1000))
                if let error = reply["error"] as? [String: Any] {
                    tally.add("error")
                    if error["code"] as? String == "store_unavailable" { stopped += 1 } else { tally.note("\(error)") }
                    let message = error["message"] as? String ?? ""
                    if !message.contains("session store") { tally.note("unclear: \(message)") }
                    usleep(100_000)
                    continue  // the same id again
                }
                tally.add(done["restarted"] > 0 ? "ok after" : "ok before")
                turn += 1
            }
            tally.add("unavailable", stopped)
            tally.add("turns", turn)
        }
        bridge.start()
        while tally["ok before"] < 20 { try await Task.sleep(for: .milliseconds(10)) }
        // Down for longer than a turn waits for a connection (5 s): the turns meanwhile get errors.
        try await blocking { try cluster.stop() }
        try await Task.sleep(for: .seconds(7))
        try await blocking { try cluster.start() }
        done.add("restarted")
        let deadline = Date().addingTimeInterval(30)
        while tally["ok after"] < 20 && Date() < deadline && tally["silent"] == 0 { try await Task.sleep(for: .milliseconds(20)) }
        done.add("stop")
        while tally["turns"] == 0 && tally["silent"] == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(tally["silent"] == 0, "a message went unanswered for 30 s")
        print("server restart test: \(tally["error"]) error replies, the longest wait \(tally["longest ms"]) ms")
        #expect(tally["error"] > 0, "no error while the server was down")
        #expect(tally["longest ms"] < 12_000, "a reply waited \(tally["longest ms"]) ms")
        #expect(tally["unavailable"] == tally["error"], "\(tally.allNotes)")
        #expect(tally["ok after"] >= 20, "no recovery")
        #expect(tally.allNotes.isEmpty, "\(tally.allNotes)")
        // Each acknowledged turn applied once: the sessions hold as many turns as were acknowledged.
        let check = try LineClient(path: daemon.socketPath)
        let held = (0..<5).map { turns(check, "r\($0)") ?? 0 }.reduce(0, +)
        #expect(held == tally["turns"])
        _ = daemon.stop()
    }
}
