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

    public static let binary = packageRoot.appendingPathComponent(".build/debug/charley")

    /// Runs `charley ARGUMENTS` with `input` on its standard input; returns what it printed on
    /// standard output (and standard error too, with `mergingErrors`) and its exit status.
    public static func run(_ arguments: [String], input: String = "", environment: [String: String] = [:],
                           mergingErrors: Bool = false) throws -> (output: String, status: Int32) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdin = Pipe(), stdout = Pipe()
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
}
