import Foundation
import SocketServer
import TestSupport

/// The daemon's own client, with the conveniences tests want: JSON in, JSON out, timeouts.
final class LineClient: @unchecked Sendable {
    let client: SocketClient
    var descriptor: Int32 { client.descriptor }

    init(path: String) throws { client = try SocketClient(path: path) }

    func send(_ bytes: [UInt8]) { try? client.send(bytes: bytes) }

    func send(_ line: String) { try? client.send(line) }

    func send(json object: [String: Any]) {
        send(String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self))
    }

    func readLine(timeout: Double = 10) -> String? { client.readLine(timeout: timeout) }

    func readJSON(timeout: Double = 10) -> [String: Any]? {
        readLine(timeout: timeout).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}

/// Starts the real `charley serve` on a temporary socket and stops it at the end.
final class Daemon {
    let socketPath: String
    let process = Process()
    let folder: URL

    static let binary = CharleyProcess.binary

    /// The daemon keeps its default session store under `folder` (XDG_STATE_HOME points
    /// there); pass the folder of a daemon that was stopped to start on its store again.
    init(_ arguments: [String] = [], folder existing: URL? = nil, stderr: FileHandle = .nullDevice) throws {
        folder = existing ?? FileManager.default.temporaryDirectory.appendingPathComponent("charley-sock-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        socketPath = folder.appendingPathComponent("c.sock").path
        process.executableURL = Self.binary
        process.arguments = ["serve", "--socket", socketPath] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = folder.path
        process.environment = environment
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<200 {
            if (try? LineClient(path: socketPath)) != nil { return }
            usleep(20_000)
        }
        throw POSIXError(.ETIMEDOUT)
    }

    func stop() -> Int32 {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    /// The default store's file.
    var storePath: String { folder.path + "/charley/sessions.sqlite" }

    /// Kills the daemon at once, as a crash would; the folder stays for a restart.
    func crash() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Leaves the folder for another daemon (the one that restarts on this store).
    var keepsFolder = false

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        if !keepsFolder { try? FileManager.default.removeItem(at: folder) }
    }
}
