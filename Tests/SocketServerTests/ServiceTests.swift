import Foundation
import TestSupport
import Testing

/// The systemd programs the service tests run: `systemd-socket-activate` and `systemd-analyze`
/// (Debian's systemd package). Without them the tests are skipped with that message, unless
/// `CHARLEY_TEST_SYSTEMD` is set (`.ci/run` sets it): then a missing program fails the test.
enum SystemdTools {
    static func path(_ name: String) -> String? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static let socketActivate = path("systemd-socket-activate")
    static let analyze = path("systemd-analyze")
    static let isRequired = !(ProcessInfo.processInfo.environment["CHARLEY_TEST_SYSTEMD"] ?? "").isEmpty
    /// Run when the programs are there, and when they must be (so that their absence fails).
    static let shouldRun = (socketActivate != nil && analyze != nil) || isRequired
    static let skipReason = """
        systemd-socket-activate or systemd-analyze is missing (Debian: apt-get install systemd), so the \
        service tests are skipped; with CHARLEY_TEST_SYSTEMD=1 (as in .ci/run) they fail instead
        """

    static func require(_ tool: String?, _ name: String) throws -> String {
        try #require(tool, "\(name) is missing, and CHARLEY_TEST_SYSTEMD is set")
    }
}

/// A datagram socket the test listens on as systemd would (`NOTIFY_SOCKET`): it collects what
/// the daemon sends.
final class NotifyListener {
    let path: String
    let descriptor: Int32
    private(set) var received: [String] = []

    init() throws {
        // Socket paths are short (108 bytes): not under a long temporary folder.
        path = "/tmp/charley-notify-\(getpid())-\(UUID().uuidString.prefix(8)).sock"
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    /// The next datagram, or nil when none comes within `timeout` seconds.
    func next(timeout: Double = 20) -> String? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(timeout * 1000)) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        let message = String(decoding: buffer[..<count], as: UTF8.self)
        received.append(message)
        return message
    }

    /// Waits for a datagram with a line that starts with `prefix` (e.g. "READY=1"); returns it.
    func wait(for prefix: String, timeout: Double = 20) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while deadline.timeIntervalSinceNow > 0 {
            guard let message = next(timeout: deadline.timeIntervalSinceNow) else { return nil }
            if message.split(separator: "\n").contains(where: { $0.hasPrefix(prefix) }) { return message }
        }
        return nil
    }
}

/// `charley serve` started as a test wants it: its own environment, its standard error kept in
/// a file to read back.
final class ServiceDaemon {
    let process = Process()
    let folder: URL
    let errors: URL

    init(
        executable: String = CharleyProcess.binary.path, _ arguments: [String], environment extra: [String: String] = [:],
        folder existing: URL? = nil
    ) throws {
        folder = existing ?? URL(fileURLWithPath: "/tmp/charley-svc-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        errors = folder.appendingPathComponent("stderr.log")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = folder.path
        environment["XDG_RUNTIME_DIR"] = folder.path
        for key in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"] {
            environment[key] = nil
        }
        process.environment = environment.merging(extra) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
    }

    var log: String { (try? String(contentsOf: errors, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// SIGTERM, then the exit status.
    func stop() -> Int32 {
        if process.isRunning {
            signal(SIGTERM)
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }
}

/// Connects to `path` until it accepts (a daemon starting), for at most `timeout` seconds.
func connect(_ path: String, timeout: Double = 20) throws -> LineClient {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if let client = try? LineClient(path: path) { return client }
        guard deadline.timeIntervalSinceNow > 0 else { throw POSIXError(.ETIMEDOUT) }
        usleep(20_000)
    }
}

@Suite(
    "Charley as a systemd service", .serialized,
    .enabled(if: SystemdTools.shouldRun, Comment(rawValue: SystemdTools.skipReason)))
struct ServiceTests {
    static let units = CharleyProcess.packageRoot.appendingPathComponent("contrib/systemd")

    /// The shipped units with ExecStart naming the built binary (systemd-analyze checks that
    /// the command exists), in a folder of their own.
    static func unitsForThisBuild() throws -> URL {
        let folder = URL(fileURLWithPath: "/tmp/charley-units-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["charley.service", "charley.socket"] {
            let text = try String(contentsOf: units.appendingPathComponent(name), encoding: .utf8)
                .replacingOccurrences(of: "/usr/local/lib/charley/charley", with: CharleyProcess.binary.path)
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder
    }

    /// The unit's `Key=value` settings (the last of each key).
    static func settings(_ name: String) throws -> [String: String] {
        let text = try String(contentsOf: units.appendingPathComponent(name), encoding: .utf8)
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("[") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return values
    }

    @Test("the units pass systemd-analyze verify, and are hardened")
    func unitsVerify() throws {
        let analyze = try SystemdTools.require(SystemdTools.analyze, "systemd-analyze")
        let folder = try Self.unitsForThisBuild()
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: analyze)
        // The manual page is looked up where the repository keeps it (docs/man/man1/charley.1).
        process.arguments = ["verify", folder.appendingPathComponent("charley.socket").path, folder.appendingPathComponent("charley.service").path]
        var environment = ProcessInfo.processInfo.environment
        environment["MANPATH"] = CharleyProcess.packageRoot.appendingPathComponent("docs/man").path
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "systemd-analyze verify: \(said)")
        #expect(said.isEmpty, "systemd-analyze verify: \(said)")

        let service = try Self.settings("charley.service")
        let socket = try Self.settings("charley.socket")
        #expect(service["Type"] == "notify")
        #expect(service["DynamicUser"] == "yes")
        #expect(service["StateDirectory"] == "charley")
        #expect(service["ProtectSystem"] == "strict")
        #expect(service["NoNewPrivileges"] == "yes")
        #expect(service["ExecReload"]?.contains("-HUP") == true)
        #expect(service["WatchdogSec"] != nil)
        #expect(socket["SocketMode"] == "0660")
        #expect(socket["SocketGroup"] != nil)
        #expect(socket["Accept"] == "no")
    }

    @Test("socket activation: served on the socket systemd-socket-activate passed, the connection queued before start included; the socket file is left to it")
    func socketActivation() throws {
        let activate = try SystemdTools.require(SystemdTools.socketActivate, "systemd-socket-activate")
        let folder = URL(fileURLWithPath: "/tmp/charley-act-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let socketPath = folder.appendingPathComponent("activated.sock").path
        // The unit's own command line, with the state folder systemd would give.
        let command = try #require(Self.settings("charley.service")["ExecStart"])
            .replacingOccurrences(of: "${STATE_DIRECTORY}", with: folder.path)
            .split(separator: " ").map(String.init).dropFirst()
        let daemon = try ServiceDaemon(
            executable: activate,
            [
                "-l", socketPath, "--fdname=charley", "-E", "XDG_RUNTIME_DIR=\(folder.path)",
                "-E", "CHARLEY_LOG_LEVEL=info", CharleyProcess.binary.path
            ] + command,
            folder: folder)
        defer { _ = daemon.stop() }
        // systemd-socket-activate listens first; the daemon starts on this first connection.
        let client = try connect(socketPath)
        var before = stat()
        #expect(stat(socketPath, &before) == 0)
        client.send(json: ["type": "hello"])
        client.send(json: ["session": "act:1", "text": "my calf cramps at night"])
        let hello = try #require(client.readJSON(timeout: 30), "no reply on the queued connection; log: \(daemon.log)")
        #expect(hello["type"] as? String == "hello")
        let reply = try #require(client.readJSON(timeout: 30))
        #expect(reply["session"] as? String == "act:1")
        #expect((reply["reply"] as? String)?.isEmpty == false)
        // A second connection while it runs.
        let second = try connect(socketPath)
        second.send(json: ["type": "ping", "session": "p"])
        #expect(second.readJSON()?["type"] as? String == "pong")
        #expect(daemon.log.contains("activated=true"), "log: \(daemon.log)")
        // Nothing of its own: no socket at the default path (XDG_RUNTIME_DIR is the folder).
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("charley.sock").path))
        #expect(daemon.stop() == 0, "log: \(daemon.log)")
        // The socket file is systemd's: still there, the same file, after the daemon stopped.
        var after = stat()
        #expect(stat(socketPath, &after) == 0, "the daemon removed the socket file it was passed")
        #expect(after.st_ino == before.st_ino)
    }

    @Test("socket activation with two sockets, or a NOTIFY_SOCKET that is no address: a one-line error, exit 1")
    func activationErrors() throws {
        let activate = try SystemdTools.require(SystemdTools.socketActivate, "systemd-socket-activate")
        let folder = URL(fileURLWithPath: "/tmp/charley-aer-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let two = try ServiceDaemon(
            executable: activate,
            [
                "-l", folder.path + "/a.sock", "-l", folder.path + "/b.sock", CharleyProcess.binary.path,
                "serve", "--store", "memory"
            ], folder: folder)
        // The daemon starts on the first connection, reads LISTEN_FDS=2 and refuses.
        _ = try? connect(folder.path + "/a.sock")
        two.process.waitUntilExit()
        #expect(two.process.terminationStatus == 1)
        #expect(two.log.contains("charley serve: systemd passed 2 sockets; Charley serves one"), "\(two.log)")

        let other = URL(fileURLWithPath: "/tmp/charley-aer-\(UUID().uuidString.prefix(8))")
        let wrong = try ServiceDaemon(
            ["serve", "--socket", other.path + "/c.sock", "--store", "memory"],
            environment: ["NOTIFY_SOCKET": "relative/path"], folder: other)
        wrong.process.waitUntilExit()
        #expect(wrong.process.terminationStatus == 1)
        #expect(wrong.log.contains("NOTIFY_SOCKET is 'relative/path', neither a path nor an abstract socket"), "\(wrong.log)")
    }

    @Test("READY=1 once the socket accepts, STATUS= with sessions and messages, WATCHDOG=1 at half of WATCHDOG_USEC, STOPPING=1 on shutdown")
    func readinessAndWatchdog() throws {
        let listener = try NotifyListener()
        let folder = URL(fileURLWithPath: "/tmp/charley-ntf-\(UUID().uuidString.prefix(8))")
        let socketPath = folder.path + "/c.sock"
        let daemon = try ServiceDaemon(
            ["serve", "--socket", socketPath, "--store", "memory"],
            environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "400000"], folder: folder)
        defer { _ = daemon.stop() }
        let ready = try #require(listener.wait(for: "READY=1", timeout: 60), "no READY=1; log: \(daemon.log)")
        // Ready means accepting: the socket answers at once, without a retry.
        let client = try LineClient(path: socketPath)
        #expect(ready.contains("STATUS="))
        #expect(ready.contains("MAINPID=\(daemon.process.processIdentifier)"))
        client.send(json: ["session": "n:1", "text": "my calf cramps at night"])
        _ = try #require(client.readJSON())
        client.send(json: ["session": "n:2", "text": "hello"])
        _ = try #require(client.readJSON())
        // Pings keep coming (every 200 ms here), each with the status; wait for one that has
        // counted the two messages.
        var pings = 0
        var counted: String?
        let deadline = Date().addingTimeInterval(30)
        while counted == nil, deadline.timeIntervalSinceNow > 0, let message = listener.next(timeout: 10) {
            if message.contains("WATCHDOG=1") { pings += 1 }
            if message.contains("WATCHDOG=1"), message.contains("2 sessions"), message.contains("2 messages") { counted = message }
        }
        #expect(pings >= 1)
        #expect(counted != nil, "received: \(listener.received)")
        #expect(listener.wait(for: "WATCHDOG=1", timeout: 10) != nil)
        daemon.signal(SIGTERM)
        #expect(listener.wait(for: "STOPPING=1", timeout: 30) != nil, "received: \(listener.received)")
        #expect(daemon.stop() == 0)
        // Nothing in what was sent names what people wrote.
        #expect(!listener.received.joined().contains("calf"))
    }

    @Test("A stuck event loop stops the WATCHDOG=1 pings until it runs again (debug builds stall one on request)")
    func watchdogFollowsTheEventLoops() throws {
        #if DEBUG
            let listener = try NotifyListener()
            let folder = URL(fileURLWithPath: "/tmp/charley-wdg-\(UUID().uuidString.prefix(8))")
            let socketPath = folder.path + "/c.sock"
            // Pings every 100 ms; after the first, one event loop is blocked for 3 s.
            let daemon = try ServiceDaemon(
                ["serve", "--socket", socketPath, "--store", "memory"],
                environment: [
                    "NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "200000",
                    "CHARLEY_DEBUG_STALL_LOOP_SECONDS": "3"
                ], folder: folder)
            defer { _ = daemon.stop() }
            _ = try #require(listener.wait(for: "READY=1", timeout: 60), "no READY=1; log: \(daemon.log)")
            // The times the pings arrived, over about 6 s: a gap of well over the interval while the
            // loop is stuck, then pings again.
            var times: [Date] = []
            let end = Date().addingTimeInterval(6)
            while end.timeIntervalSinceNow > 0, let message = listener.next(timeout: 5) {
                if message.contains("WATCHDOG=1") { times.append(Date()) }
            }
            let gaps = zip(times.dropFirst(), times).map { $0.timeIntervalSince($1) }
            let longest = gaps.max() ?? 0
            #expect(longest > 2.0, "no gap while the loop was stuck: \(gaps)")
            let afterStall = gaps.firstIndex(where: { $0 > 2.0 }).map { gaps.count - $0 - 1 } ?? 0
            #expect(afterStall >= 3, "the pings did not come back after the stall: \(gaps)")
        #else
            print("watchdogFollowsTheEventLoops: skipped (the stall hook is in debug builds only)")
        #endif
    }

    /// A copy of the shipped knowledge files for a daemon to load and reload.
    static func knowledgeCopy(in folder: URL) throws -> URL {
        let copy = folder.appendingPathComponent("knowledge")
        try FileManager.default.copyItem(at: CharleyProcess.packageRoot.appendingPathComponent("Sources/Knowledge/Resources/knowledge"), to: copy)
        return copy
    }

    /// A daemon serving a copy of the shipped knowledge (to edit and reload), ready: it has sent
    /// READY=1 to the listener.
    static func reloadableDaemon(_ prefix: String) throws
        -> (listener: NotifyListener, folder: URL, knowledge: URL, socketPath: String, daemon: ServiceDaemon)
    {
        let listener = try NotifyListener()
        let folder = URL(fileURLWithPath: "/tmp/charley-\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let knowledge = try knowledgeCopy(in: folder)
        let socketPath = folder.path + "/c.sock"
        let daemon = try ServiceDaemon(
            ["serve", "--socket", socketPath, "--knowledge", knowledge.path],
            environment: ["NOTIFY_SOCKET": listener.path], folder: folder)
        guard listener.wait(for: "READY=1", timeout: 60) != nil else {
            _ = daemon.stop()
            throw ReloadSetupError(log: daemon.log)
        }
        return (listener, folder, knowledge, socketPath, daemon)
    }

    struct ReloadSetupError: Error, CustomStringConvertible {
        var log: String
        var description: String { "the daemon sent no READY=1 within 60 s; log: \(log)" }
    }

    static let shippedQuinine = "Quinine is no longer recommended for ordinary leg cramps."
    static let editedQuinine = "Quinine is not advised for ordinary leg cramps, as edited for this test."

    @Test("SIGHUP mid-conversation: the edited topic is used at once; the connection and the session carry on")
    func reloadEditedTopic() throws {
        let (listener, folder, knowledge, socketPath, daemon) = try Self.reloadableDaemon("rld")
        defer { _ = daemon.stop() }
        let client = try LineClient(path: socketPath)
        client.send(json: ["session": "r:1", "text": "my left calf cramps at night"])
        let first = try #require(client.readJSON())
        let pending = first["question"] as? String
        client.send(json: ["session": "r:1", "text": "is quinine safe?"])
        let old = try #require(client.readJSON()?["reply"] as? String)
        #expect(old.contains(Self.shippedQuinine))

        let topics = knowledge.appendingPathComponent("topics.yaml")
        let text = try String(contentsOf: topics, encoding: .utf8)
        let edited = text.replacingOccurrences(
            of: "Quinine is no longer recommended for ordinary leg cramps.",
            with: Self.editedQuinine.replacingOccurrences(of: ", as", with: ",\n      as"))
        #expect(edited != text)
        try edited.write(to: topics, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(listener.wait(for: "RELOADING=1") != nil)
        let done = try #require(listener.wait(for: "READY=1"), "log: \(daemon.log)")
        #expect(done.contains("Reloaded"), "\(done)")

        client.send(json: ["session": "r:1", "text": "is quinine safe?"])
        let reply = try #require(client.readJSON())
        let new = try #require(reply["reply"] as? String)
        #expect(new.contains(Self.editedQuinine), "\(new)")
        #expect(!new.contains("couldn't pick up our earlier conversation"))
        // The same session: what it knew before the reload is still known, its question still waits.
        client.send(json: ["type": "state", "session": "r:1"])
        let state = try #require(client.readJSON())
        #expect(state["turns"] as? Int == 3)
        #expect(((state["slots"] as? [String: Any])?["location"] as? [String])?.contains("calf") == true)
        // And it goes on as it would have without the reload (a daemon that never reloaded).
        let reference = try ServiceDaemon(
            ["serve", "--socket", folder.path + "/ref.sock", "--store", "memory"],
            folder: folder.appendingPathComponent("ref"))
        defer { _ = reference.stop() }
        let other = try connect(folder.path + "/ref.sock")
        var expected: [String: Any]?
        for text in ["my left calf cramps at night", "is quinine safe?", "is quinine safe?"] {
            other.send(json: ["session": "r:1", "text": text])
            expected = other.readJSON()
        }
        #expect(pending == "duration")
        #expect(reply["question"] as? String == expected?["question"] as? String)
        #expect(reply["stage"] as? String == expected?["stage"] as? String)
        #expect((reply["known"] as? NSDictionary) == (expected?["known"] as? NSDictionary))
        #expect(daemon.stop() == 0)
    }

    @Test("SIGHUP with a broken file: the old model stays, and the log names the file, line and entry")
    func reloadBrokenFile() throws {
        let (listener, _, knowledge, socketPath, daemon) = try Self.reloadableDaemon("brk")
        defer { _ = daemon.stop() }
        let client = try LineClient(path: socketPath)
        client.send(json: ["session": "b:1", "text": "my calf cramps at night"])
        _ = try #require(client.readJSON())

        // The new text, and a citation of a source that does not exist: the whole file is refused.
        let topics = knowledge.appendingPathComponent("topics.yaml")
        let text = try String(contentsOf: topics, encoding: .utf8)
        let broken =
            text
            .replacingOccurrences(of: "Quinine is no longer recommended for ordinary leg cramps.", with: Self.editedQuinine)
            .replacingOccurrences(of: "sources: [fda-quinine-2010, aafp-2012, 002_f297f4580cd84322.txt]", with: "sources: [fda-quinine-2011]")
        #expect(broken != text)
        try broken.write(to: topics, atomically: true, encoding: .utf8)
        let line = (broken.components(separatedBy: "\n").firstIndex { $0.contains("- id: quinine") } ?? 0) + 1
        daemon.signal(SIGHUP)
        let done = try #require(listener.wait(for: "READY=1"), "log: \(daemon.log)")
        #expect(done.contains("Reload refused"), "\(done)")

        client.send(json: ["session": "b:1", "text": "is quinine safe?"])
        let reply = try #require(client.readJSON()?["reply"] as? String)
        #expect(reply.contains(Self.shippedQuinine))
        #expect(!reply.contains(Self.editedQuinine))
        let log = daemon.log
        #expect(log.contains("reload refused"), "\(log)")
        #expect(log.contains("topics.yaml:\(line): topic 'quinine'") && log.contains("fda-quinine-2011"), "\(log)")
        #expect(daemon.stop() == 0)
    }

    @Test(
        "charley stats: messages, errors by code, stages, triage, red flags, durations, sessions and connections, as JSON and Prometheus text, with no health text"
    )
    func stats() throws {
        let folder = URL(fileURLWithPath: "/tmp/charley-sts-\(UUID().uuidString.prefix(8))")
        let socketPath = folder.path + "/c.sock"
        let daemon = try ServiceDaemon(["serve", "--socket", socketPath], folder: folder)
        defer { _ = daemon.stop() }
        let client = try connect(socketPath)
        client.send(json: ["session": "secret-session-7", "text": "my left calf is swollen, red and hot"])
        let flagged = try #require(client.readJSON())
        let rules = try #require(flagged["red_flags"] as? [String])
        #expect(!rules.isEmpty)
        client.send(json: ["session": "s:2", "text": "my calf cramps at night"])
        _ = try #require(client.readJSON())
        client.send("{not json")
        #expect((client.readJSON()?["error"] as? [String: Any])?["code"] as? String == "bad_json")
        client.send(json: ["type": "dance"])
        _ = client.readJSON()

        let json = try CharleyProcess.run(["stats", "--socket", socketPath], mergingErrors: true)
        #expect(json.status == 0, "\(json.output)")
        let metrics = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: [[String: Any]]], "\(json.output)")
        func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
            metrics[name]?.first { ($0["labels"] as? [String: String] ?? [:]).filter { labels[$0.key] != nil } == labels }?["value"] as? Double
        }
        #expect(value("charley_messages_total") == 2)
        #expect(value("charley_errors_total", ["code": "bad_json"]) == 1)
        #expect(value("charley_errors_total", ["code": "unknown_type"]) == 1)
        #expect(value("charley_errors_total", ["code": "store_unavailable"]) == 0)
        #expect(value("charley_red_flags_total", ["rule": rules[0]]) == 1)
        #expect(value("charley_triage_total", ["level": flagged["triage"] as? String ?? "?"]) == 1)
        #expect((value("charley_replies_total", ["stage": "escalated"]) ?? 0) + (value("charley_replies_total", ["stage": "onset"]) ?? 0) >= 1)
        #expect(value("charley_turn_duration_seconds_count") == 2)
        #expect(value("charley_commit_duration_seconds_count") ?? 0 >= 1)
        #expect(value("charley_sessions_held") == 2)
        #expect(value("charley_connections") == 2, "this client and charley stats's own")
        #expect(value("charley_connections_opened_total") == 2)

        let text = try CharleyProcess.run(["stats", "--socket", socketPath, "--prometheus"], mergingErrors: true)
        #expect(text.status == 0)
        #expect(text.output.contains("# TYPE charley_messages_total counter"))
        #expect(text.output.contains("charley_messages_total 2"))
        #expect(text.output.contains("# TYPE charley_turn_duration_seconds histogram"))
        #expect(text.output.contains(#"charley_errors_total{code="bad_json"} 1"#))
        // No health text and no session id: only ids of the model and the protocol, and numbers.
        for word in ["secret-session", "s:2", "calf", "left", "red and", "night"] {
            #expect(!text.output.contains(word), "the metrics contain '\(word)'")
        }

        let missing = try CharleyProcess.run(["stats", "--socket", folder.path + "/none.sock"], mergingErrors: true)
        #expect(missing.status == 1)
        #expect(missing.output.contains("cannot connect to \(folder.path)/none.sock"))
    }
}
