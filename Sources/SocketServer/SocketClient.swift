import Foundation

/// A small blocking client of the daemon's socket, for `charley connect` and the benchmark:
/// send one line, read one line.
public final class SocketClient {
    public let descriptor: Int32
    private var buffer: [UInt8] = []

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public init(path: String) throws {
        // The descriptor is stored only once connected: a throw before that must close it here,
        // and a throw after every property is set would run deinit, closing it a second time
        // (and perhaps closing another thread's file that took the same number meanwhile).
        let candidate = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard candidate >= 0 else { throw Failure(description: "cannot create a socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8) + [0]
        guard bytes.count <= MemoryLayout.size(ofValue: address.sun_path) else {
            close(candidate)
            throw Failure(description: "the socket path \(path) is too long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(candidate, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if result != 0 {
            let reason = String(cString: strerror(errno))
            close(candidate)
            throw Failure(description: "cannot connect to \(path): \(reason); is `charley serve` running?")
        }
        descriptor = candidate
    }

    deinit { close(descriptor) }

    public func send(_ line: String) throws {
        try send(bytes: Array((line + "\n").utf8))
    }

    /// Raw bytes, newline or not (tests send junk and half lines). A daemon that closed the
    /// connection (stopped, killed, or refusing an overlong line) is an error thrown here:
    /// MSG_NOSIGNAL keeps the kernel from killing this whole process with SIGPIPE instead.
    public func send(bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { throw Failure(description: "the daemon closed the connection") }
            offset += written
        }
    }

    /// The next line from the daemon; nil when it closed the connection, or when `timeout`
    /// seconds pass first.
    public func readLine(timeout: Double? = nil) -> String? {
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            if let deadline {
                let remaining = deadline.timeIntervalSinceNow
                var descriptorSet = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                guard remaining > 0, poll(&descriptorSet, 1, Int32(remaining * 1000)) > 0 else { return nil }
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = read(descriptor, &chunk, chunk.count)
            if count <= 0 { return nil }
            buffer += chunk[..<count]
        }
    }
}
