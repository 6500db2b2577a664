import Foundation

/// Where Charley keeps its state on this machine: $XDG_STATE_HOME/charley, else
/// ~/.local/state/charley (the XDG base-directory rule). Made 0700 by whoever creates it.
public enum StateFolder {
    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/charley" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/charley"
    }

    /// The default session store.
    public static func sessionStore(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        path(environment: environment) + "/sessions.sqlite"
    }
}
