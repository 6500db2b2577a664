import Foundation

/// The built `charley` executable, for tests that run it as a person or a bridge would. The
/// test targets that use it depend on the `charley` product, so it is built first.
public enum CharleyProcess {
    /// The package's folder (the one with Package.swift).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    /// The `charley` built beside the test bundle (the products folder, as swift-argument-parser's
    /// tests find their executables: any build path or configuration), else `.build/debug`'s.
    public static let binary: URL = {
        let products = Bundle.main.bundleURL.deletingLastPathComponent()
        for folder in [Bundle.main.bundleURL, products] {
            let candidate = folder.appendingPathComponent("charley")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return packageRoot.appendingPathComponent(".build/debug/charley")
    }()

    /// Runs `charley ARGUMENTS` with `input` on its standard input; returns what it printed on
    /// standard output (and standard error too, with `mergingErrors`) and its exit status.
    public static func run(
        _ arguments: [String], input: String = "", environment: [String: String] = [:],
        mergingErrors: Bool = false
    ) throws -> (output: String, status: Int32) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = mergingErrors ? stdout : FileHandle.nullDevice
        try process.run()
        // Written before reading: inputs here are far below a pipe's buffer, and a process that
        // exits without reading leaves the write in the buffer rather than failing it.
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (output, process.terminationStatus)
    }

    /// A running `charley` whose standard input stays open: a test writes a line and waits for
    /// the reply, as a bridge driving Charley as a coprocess does.
    public final class Coprocess {
        let process = Process()
        let input = Pipe(), output = Pipe()
        var buffered = Data()

        public init(_ arguments: [String]) throws {
            process.executableURL = binary
            process.arguments = arguments
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
        }

        public func send(_ line: String) {
            input.fileHandleForWriting.write(Data((line + "\n").utf8))
        }

        /// The next line of output, or nil when none comes within `timeout` seconds (the
        /// process is then killed, so a test that waits in vain fails instead of hanging).
        public func readLine(timeout: Double = 20) -> String? {
            let deadline = Date().addingTimeInterval(timeout)
            let fd = output.fileHandleForReading.fileDescriptor
            while true {
                if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: buffered[buffered.startIndex..<newline], as: UTF8.self)
                    buffered.removeSubrange(buffered.startIndex...newline)
                    return line
                }
                let left = deadline.timeIntervalSinceNow
                guard left > 0 else {
                    process.terminate()
                    return nil
                }
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, Int32(min(left, 1) * 1000)) > 0 else { continue }
                var chunk = [UInt8](repeating: 0, count: 65536)
                let count = Foundation.read(fd, &chunk, chunk.count)
                guard count > 0 else { return nil }
                buffered.append(contentsOf: chunk[..<count])
            }
        }

        /// Closes standard input and waits for the exit status.
        public func finish() -> Int32 {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
            return process.terminationStatus
        }
    }
}
