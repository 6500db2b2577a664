import ArgumentParser
import SocketServer

/// The running daemon's socket, for the commands that talk to it (`connect`, `stats`).
struct DaemonSocketOptions: ParsableArguments {
    @Option(help: "The daemon's socket (default: $XDG_RUNTIME_DIR/charley.sock, else /tmp/charley-UID/charley.sock).")
    var socket: String?

    var path: String { socket ?? ServerConfiguration.defaultSocketPath() }
}
