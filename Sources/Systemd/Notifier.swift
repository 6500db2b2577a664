import Glibc

/// The notify protocol of sd_notify(3): datagrams of `KEY=value` lines to `$NOTIFY_SOCKET`
/// (a path, or `@name` for an abstract socket). Without `NOTIFY_SOCKET` there is no notifier
/// and nothing is sent.
public final class SystemdNotifier: Sendable {
    /// The socket address, as given (for logs).
    public let path: String
    /// How often to send `WATCHDOG=1`: half of `WATCHDOG_USEC`, when the watchdog is on for this
    /// process (`WATCHDOG_PID` unset or ours).
    public let watchdogInterval: Duration?
    private let descriptor: Int32
    private let address: sockaddr_un
    private let addressLength: socklen_t

    /// Nil when `NOTIFY_SOCKET` is unset or empty. A value that cannot be a socket address is
    /// an error, so that a wrong unit file is noticed at once.
    public init?(environment: [String: String], pid: Int32 = getpid()) throws(ActivationError) {
        guard let path = environment["NOTIFY_SOCKET"], !path.isEmpty else { return nil }
        var bytes = Array(path.utf8)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        guard bytes.first == UInt8(ascii: "/") || bytes.first == UInt8(ascii: "@") else {
            throw ActivationError(description: "NOTIFY_SOCKET is '\(path)', neither a path nor an abstract socket (@name)")
        }
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw ActivationError(description: "NOTIFY_SOCKET is longer than a socket address can be")
        }
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in raw.copyBytes(from: bytes) }
        let offset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)!
        // An abstract name is exactly its bytes; a path ends with the NUL after it.
        self.addressLength = socklen_t(offset + bytes.count + (abstract ? 0 : 1))
        self.address = address
        self.path = path
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else {
            throw ActivationError(description: "cannot make a socket for NOTIFY_SOCKET: \(String(cString: strerror(errno)))")
        }
        self.descriptor = descriptor
        var interval: Duration?
        if let text = environment["WATCHDOG_USEC"], let microseconds = Int64(text), microseconds > 0 {
            let forUs = environment["WATCHDOG_PID"].map { Int32($0) == pid } ?? true
            if forUs { interval = .microseconds(microseconds / 2) }
        }
        self.watchdogInterval = interval
    }

    deinit { close(descriptor) }

    /// Sends one datagram of state lines; returns whether it was sent. A manager that has gone
    /// away is no reason to stop serving, so a failure is only reported.
    @discardableResult
    public func send(_ state: String) -> Bool {
        var address = self.address
        let bytes = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bytes.withUnsafeBytes { raw in
                    sendto(descriptor, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL), socketAddress, addressLength)
                }
            }
        }
        return sent == bytes.count
    }

    /// Whether the process runs under a notify socket at all (for callers deciding to make one).
    public static func isRequested(environment: [String: String]) -> Bool {
        !(environment["NOTIFY_SOCKET"] ?? "").isEmpty
    }
}
