import Glibc

/// Why the sockets systemd passed cannot be used, in words an operator can act on.
public struct ActivationError: Error, CustomStringConvertible, Equatable {
    public var description: String
}

/// The listening socket systemd passed by socket activation (sd_listen_fds(3)): `LISTEN_FDS`
/// sockets from fd 3, meant for this process only when `LISTEN_PID` is its pid.
public enum SocketActivation {
    /// The first passed descriptor (SD_LISTEN_FDS_START).
    public static let firstDescriptor: Int32 = 3

    /// The one stream socket passed to this process, or nil when none was (no `LISTEN_PID`, or
    /// one naming another process: the variables were inherited, not meant for us). The
    /// variables are removed so that a child does not take them for its own, and the socket
    /// is made close-on-exec. Charley serves one socket: more, or one that is not a listening
    /// stream socket, is an error.
    public static func takeSocket(
        environment: [String: String], pid: Int32 = getpid(),
        unsetting: Bool = true
    ) throws(ActivationError) -> Int32? {
        guard let listenPID = environment["LISTEN_PID"] else { return nil }
        defer {
            if unsetting {
                unsetenv("LISTEN_PID")
                unsetenv("LISTEN_FDS")
                unsetenv("LISTEN_FDNAMES")
            }
        }
        guard let owner = Int32(listenPID), owner > 0 else {
            throw ActivationError(description: "LISTEN_PID is '\(listenPID)', not a process id")
        }
        guard owner == pid else { return nil }
        guard let text = environment["LISTEN_FDS"], let count = Int32(text), count >= 0 else {
            throw ActivationError(description: "LISTEN_FDS is '\(environment["LISTEN_FDS"] ?? "")', not a number of sockets")
        }
        guard count == 1 else {
            throw ActivationError(description: "systemd passed \(count) sockets; Charley serves one (one ListenStream= in charley.socket)")
        }
        let descriptor = firstDescriptor
        let flags = fcntl(descriptor, F_GETFD)
        guard flags >= 0 else {
            throw ActivationError(description: "the passed socket (fd \(descriptor)) is not open")
        }
        _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC)
        guard integerOption(descriptor, SOL_SOCKET, SO_TYPE) == Int32(SOCK_STREAM.rawValue) else {
            throw ActivationError(description: "the passed socket (fd \(descriptor)) is not a stream socket; use ListenStream=")
        }
        guard integerOption(descriptor, SOL_SOCKET, SO_ACCEPTCONN) == 1 else {
            throw ActivationError(description: "the passed socket (fd \(descriptor)) is not listening; Accept=no is needed")
        }
        return descriptor
    }

    /// The path a Unix socket is bound to, or nil for another kind of socket.
    public static func boundPath(_ descriptor: Int32) -> String? {
        var address = sockaddr_un()
        var length = socklen_t(MemoryLayout<sockaddr_un>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard result == 0, address.sun_family == sa_family_t(AF_UNIX) else { return nil }
        return withUnsafeBytes(of: &address.sun_path) { raw in
            let bytes = raw.prefix(while: { $0 != 0 })
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    private static func integerOption(_ descriptor: Int32, _ level: Int32, _ name: Int32) -> Int32? {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, level, name, &value, &length) == 0 else { return nil }
        return value
    }
}
