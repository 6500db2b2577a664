import Foundation
import Glibc

/// The write end of the pipe SIGHUP's handler writes a byte to (the self-pipe trick: the one
/// async-signal-safe way out of a handler). Set once, before the handler is installed.
nonisolated(unsafe) private var hangupPipeWriteEnd: Int32 = -1

/// SIGHUP, one element per signal, without libdispatch: a plain sigaction handler writes a byte
/// to a pipe and a thread of its own reads it. (Trapped through swift-service-lifecycle's
/// UnixSignals, beside the ServiceGroup's own SIGTERM source, test daemons under the full suite
/// were twice seen to take a SIGTERM and not shut down; this keeps SIGHUP out of dispatch's
/// signal handling altogether.) One per process.
enum Hangups {
    static func trap() -> AsyncStream<Void> {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return AsyncStream { $0.finish() } }
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFL, O_NONBLOCK)
        hangupPipeWriteEnd = ends[1]
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            var byte: UInt8 = 1
            _ = write(hangupPipeWriteEnd, &byte, 1)
        }
        action.sa_flags = SA_RESTART
        sigemptyset(&action.sa_mask)
        sigaction(SIGHUP, &action, nil)
        let readEnd = ends[0]
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let thread = Thread {
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                continuation.yield()
            }
            continuation.finish()
        }
        thread.start()
        return stream
    }
}
