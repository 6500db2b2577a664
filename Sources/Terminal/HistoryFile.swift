import Foundation

/// Where the REPL keeps its line history: $XDG_STATE_HOME/charley/history, else
/// ~/.local/state/charley/history. The folder is made 0700 and the file kept 0600: the history
/// holds what the person typed about their health.
public enum HistoryFile {
    public static let limit = 500

    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        StateFolder.path(environment: environment) + "/history"
    }

    /// Makes the folder (0700) and the file (0600) if missing; tightens the file's mode if not.
    public static func prepare(_ path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        if !FileManager.default.fileExists(atPath: path),
            !FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        chmod(path, 0o600)
    }
}
