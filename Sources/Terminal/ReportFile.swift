import Foundation
import Report

/// Where a report is written and how: by default a new file under
/// $XDG_STATE_HOME/charley/reports (else ~/.local/state/charley/reports), the folder made 0700;
/// the file always 0600, since it holds what a person said about their health.
public enum ReportFile {
    public static func defaultFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        StateFolder.path(environment: environment) + "/reports"
    }

    /// A new file's path in the default folder: charley-report-20261205-140312.html (UTC).
    public static func defaultPath(
        _ format: ReportFormat, at date: Date = Date(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let stamp = String(
            format: "%04d%02d%02d-%02d%02d%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        let base = defaultFolder(environment: environment) + "/charley-report-\(stamp)"
        // Two reports in one second: the second is -2, not the first overwritten.
        var path = base + "." + format.fileExtension
        var number = 1
        while FileManager.default.fileExists(atPath: path) {
            number += 1
            path = base + "-\(number)." + format.fileExtension
        }
        return path
    }

    /// Writes `document` to `path` with mode 0600 (an existing file is replaced and its mode
    /// tightened). With `makeFolder`, the folder is made first, 0700.
    public static func write(_ document: String, to path: String, makeFolder: Bool) throws {
        if makeFolder {
            let folder = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            chmod(folder, 0o700)
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var bytes = Array(document.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeMutableBytes { Foundation.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            written += count
        }
    }
}

/// The terminal's `/report [FILE]`: makes the report of the conversation so far and writes it,
/// in the format the file name asks for (`.txt` text, else HTML), by default to a new file in
/// the reports folder; says where, or why it could not.
public struct PromptReport {
    /// The report's wording (the messages said here are in it too).
    public let wording: ReportWording
    /// The report in a format, or why it cannot be made.
    public let make: (ReportFormat) -> Result<String, ReportUnavailable>
    let environment: [String: String]

    public init(
        wording: ReportWording, environment: [String: String] = ProcessInfo.processInfo.environment,
        make: @escaping (ReportFormat) -> Result<String, ReportUnavailable>
    ) {
        self.wording = wording
        self.environment = environment
        self.make = make
    }

    /// What /help adds at a terminal.
    public var help: String { wording.fill("command_help", ["folder": ReportFile.defaultFolder(environment: environment)]) }

    /// nil when `line` is not `/report`; else what to tell the person.
    public func handle(_ line: String) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed == "/report" || trimmed.hasPrefix("/report ") else { return nil }
        var named = trimmed.dropFirst("/report".count).trimmingCharacters(in: .whitespaces)
        if named.hasPrefix("~/"), let home = environment["HOME"] { named = home + named.dropFirst(1) }
        let path = named.isEmpty ? ReportFile.defaultPath(.html, environment: environment) : named
        let format = ReportFormat.forFile(path)
        switch make(format) {
        case .failure(let reason):
            return wording.fill("no_report", ["problem": reason.message])
        case .success(let document):
            do {
                try ReportFile.write(document, to: path, makeFolder: named.isEmpty)
            } catch {
                return wording.fill("not_written", ["path": path, "problem": error.localizedDescription])
            }
            return wording.fill("written", ["path": path])
        }
    }
}

/// Why a report could not be made (the daemon could not be reached, the session is gone).
public struct ReportUnavailable: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
