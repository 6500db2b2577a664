import Conversation
import DaemonMetrics
import Foundation
import Knowledge
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOExtras
import NIOPosix
import Report
import ServiceLifecycle
import Systemd
import WireFormat

/// The daemon's settings, each with a command-line flag.
public struct ServerConfiguration: Sendable {
    public var socketPath: String
    public var socketMode: UInt16 = 0o600
    public var maximumLineBytes = 64 * 1024
    public var maximumTextCharacters = 4000
    public var maximumSessions = 100_000
    public var idleExpiry: Duration = .seconds(24 * 3600)
    public var maximumConnections = 1024
    /// How long a connection may hold a line it has started and not finished (`--line-timeout`):
    /// then it gets an error and is closed. A connection that is only quiet is left open.
    public var lineTimeout: Duration = .seconds(60)
    /// How long a client may leave its replies unread while more wait (`--write-timeout`):
    /// then it is closed.
    public var writeTimeout: Duration = .seconds(60)
    /// How long a connection's lines are handled before the others on its event loop get their
    /// turn (a message costs at most about a millisecond, so one connection sending expensive
    /// messages flat out delays the others by about this much).
    public var timeSlice: Duration = .microseconds(200)
    /// Event-loop threads (`--threads`); 0 for one per core (NIO's shared group).
    public var threads = 0
    /// Keep what people wrote and the replies in the store (off by default: the store keeps the
    /// structured state only).
    public var keepTranscripts = false
    /// Tests only: wait this long before each commit (a slow disk).
    public var commitDelay: Duration = .zero
    /// Benchmarks only: answer every message with its own text, without the conversation engine,
    /// so the transport's cost can be measured apart from the engine's.
    public var echo = false
    /// With a shared store: how many transactions of turns may run at once.
    public var storeLanes = 4
    /// The listening socket systemd passed (socket activation): served instead of binding
    /// `socketPath`, and left to systemd (never chmod-ed, renamed or removed).
    public var activatedSocket: Int32?
    /// Tells systemd when the daemon is ready, reloading, stopping and alive; nil without
    /// NOTIFY_SOCKET.
    public var notifier: SystemdNotifier?
    /// Loads the knowledge model and lexicon again, on SIGHUP; nil: SIGHUP is not trapped.
    public var reload: (@Sendable () throws(KnowledgeError) -> Conversation)?
    /// Counters and histograms (`{"type": "stats"}`); off only to measure what they cost.
    public var metrics = true

    /// On shutdown, how long a connection may take to have every line it sent answered and the
    /// replies written (a client that keeps sending, or does not read): then it is closed.
    public var quiesceTimeout: Duration = .seconds(10)

    /// The report's wording (`report` messages); nil: the shipped report.yaml, read at start.
    public var reportWording: ReportWording?

    public init(socketPath: String) { self.socketPath = socketPath }

    /// $XDG_RUNTIME_DIR/charley.sock, else /tmp/charley-UID/charley.sock.
    public static func defaultSocketPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") { return runtime + "/charley.sock" }
        return "/tmp/charley-\(getuid())/charley.sock"
    }
}

/// Why the daemon could not start, in words an operator can act on.
public struct ServerStartError: Error, CustomStringConvertible {
    public var description: String
}

/// The Unix-socket daemon: JSON Lines in and out, many sessions per connection. It only frames,
/// decodes and routes; the conversation is the shared engine's.
public final class CharleyServer: Service, CustomStringConvertible, Sendable {
    let configuration: ServerConfiguration
    let registry: SessionRegistry
    /// The engine new turns use: the one the daemon started with, or the last reload's.
    var conversation: Conversation { registry.current.value }
    let metrics: DaemonMetrics?
    let logger: Logger
    let version: String
    /// nil only when the shipped report.yaml cannot be read (then `report` is an error).
    let reportWording: ReportWording?
    /// How many connections are open and admitted (for `--max-connections` and the status).
    private let connections = NIOLockedValueBox(0)
    /// Set when the shutdown begins: a connection that comes after that quiesces at once.
    private let stopping = NIOLockedValueBox(false)
    var isStopping: Bool { stopping.withLockedValue { $0 } }

    /// How ServiceLifecycle names the service in its logs (not the whole configuration).
    public var description: String { "CharleyServer(\(configuration.socketPath))" }

    /// `store` defaults to memory, holding at most `maximumSessions`.
    public init(
        configuration: ServerConfiguration, conversation: Conversation, store: (any SessionStore)? = nil,
        version: String, logger: Logger
    ) {
        self.configuration = configuration
        self.version = version
        self.logger = logger
        self.reportWording = configuration.reportWording ?? (try? ReportWording.loadBundled())
        let metrics = configuration.metrics ? DaemonMetrics(conversation: conversation) : nil
        self.metrics = metrics
        self.registry = SessionRegistry(
            conversation: conversation, store: store ?? MemorySessionStore(maximumSessions: configuration.maximumSessions),
            idleExpiry: configuration.idleExpiry, keepTranscripts: configuration.keepTranscripts,
            commitDelay: configuration.commitDelay, logger: logger, metrics: metrics)
    }

    /// A daemon on a store that several daemons share (PostgreSQL): the store is checked and
    /// migrated when the daemon starts, before it listens.
    public init(
        configuration: ServerConfiguration, conversation: Conversation, sharedStore: any SharedSessionStore,
        version: String, logger: Logger
    ) {
        self.configuration = configuration
        self.version = version
        self.logger = logger
        self.reportWording = configuration.reportWording ?? (try? ReportWording.loadBundled())
        let metrics = configuration.metrics ? DaemonMetrics(conversation: conversation) : nil
        self.metrics = metrics
        self.registry = SessionRegistry(
            conversation: conversation, sharedStore: sharedStore, idleExpiry: configuration.idleExpiry,
            keepTranscripts: configuration.keepTranscripts, lanes: configuration.storeLanes, logger: logger, metrics: metrics)
    }

    /// Purges expired sessions now and then: every tenth of the expiry, at most every 10 minutes.
    private func purgeExpiredSessions() async {
        let seconds = min(max(configuration.idleExpiry.components.seconds / 10, 1), 600)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let removed = await registry.purgeExpiredSessions()
            if removed > 0 { logger.info("purged expired sessions", metadata: ["count": "\(removed)"]) }
            try? await Task.sleep(for: .seconds(seconds))
        }
    }

    public func run() async throws {
        // Trapped first, before the socket accepts: a reload asked for once the daemon is ready
        // never meets SIGHUP's default action (the end of the process).
        let hangups = configuration.reload == nil ? nil : Hangups.trap()
        do {
            try await registry.prepare()
        } catch {
            throw ServerStartError(description: error.description)
        }
        let activated = configuration.activatedSocket
        let path = activated.map { SocketActivation.boundPath($0) ?? "fd \($0)" } ?? configuration.socketPath
        if activated == nil {
            try Self.prepareSocketPath(path, creatingDefaultFolder: path == ServerConfiguration.defaultSocketPath())
        }
        let maximumLine = configuration.maximumLineBytes
        let connections = self.connections
        let metrics = self.metrics
        let group = configuration.threads > 0 ? MultiThreadedEventLoopGroup(numberOfThreads: configuration.threads) : MultiThreadedEventLoopGroup.singleton
        // NIO's own shutdown: it closes the listening socket, tells every open connection to
        // quiesce (ConnectionHandler: answer what it has read, then close) and reports when the
        // last one has closed.
        let quiescing = ServerQuiescingHelper(group: group)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 512)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let admitted = connections.withLockedValue { open -> Bool in
                        guard open < self.configuration.maximumConnections else { return false }
                        open += 1
                        return true
                    }
                    if admitted, let metrics {
                        metrics.connectionsOpened.increment()
                        metrics.connections.increment()
                    }
                    channel.closeFuture.whenComplete { _ in
                        guard admitted else { return }
                        connections.withLockedValue { $0 -= 1 }
                        metrics?.connections.decrement()
                    }
                    try channel.pipeline.syncOperations.addHandler(UnfinishedLineWatch(timeout: self.configuration.lineTimeout, metrics: metrics))
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFramer(maximumLength: maximumLine)))
                    try channel.pipeline.syncOperations.addHandler(ConnectionHandler(server: self, admitted: admitted))
                }
            }
        let server: any Channel
        if let activated {
            // systemd made the socket, with its owner and mode, and keeps it: connections that
            // came before the daemon started wait in its backlog and are served now.
            server = try await bootstrap.withBoundSocket(activated).get()
        } else {
            let temporary = path + ".\(getpid()).tmp"
            let boundPath = temporary.utf8.count < 100 ? temporary : path
            server = try await bootstrap.bind(unixDomainSocketPath: boundPath, cleanupExistingSocketFile: false).get()
            // Bound under a temporary name, given its mode, then renamed: a client can never reach
            // the socket at its real path before the mode is set.
            chmod(boundPath, mode_t(configuration.socketMode))
            if boundPath != path, rename(boundPath, path) != 0 {
                let reason = String(cString: strerror(errno))
                server.close(promise: nil)
                unlink(boundPath)
                throw ServerStartError(description: "cannot move the socket into place at \(path): \(reason)")
            }
        }
        logger.info("listening", metadata: ["socket": "\(path)", "activated": "\(activated != nil)"])
        let notifier = configuration.notifier
        if let notifier {
            notifier.send("READY=1\nMAINPID=\(getpid())\n" + (await statusLine()))
        }
        let purging = Task { await self.purgeExpiredSessions() }
        let informing = notifier.map { notifier in
            Task { await self.keepSystemdInformed(notifier, loops: Array(group.makeIterator())) }
        }
        let reloading = hangups.map { hangups in
            Task {
                for await _ in hangups { self.reload() }
            }
        }
        defer {
            purging.cancel()
            informing?.cancel()
            reloading?.cancel()
        }
        try await withTaskCancellationOrGracefulShutdownHandler {
            try await server.closeFuture.get()
        } onCancelOrGracefulShutdown: {
            self.logger.info("shutting down: no new connections; finishing replies in flight")
            notifier?.send("STOPPING=1\nSTATUS=Stopping: finishing the replies in flight")
            self.stopping.withLockedValue { $0 = true }
            quiescing.initiateShutdown(promise: nil)
        }
        // Lines already sent still get their replies: each connection closes itself once it has
        // answered them (at most `quiesceTimeout` later); this waits for the last one.
        let closed = group.next().makePromise(of: Void.self)
        quiescing.initiateShutdown(promise: closed)
        try? await closed.futureResult.get()
        if activated == nil { unlink(path) }
        if configuration.threads > 0 { try? await group.shutdownGracefully() }
        logger.info("stopped")
    }

    /// Loads the knowledge model and lexicon again and puts them in place for new turns when they
    /// validate; otherwise the model in use stays and every problem is logged with its file,
    /// line and entry. Connections and sessions carry on either way. Returns the problems.
    @discardableResult
    public func reload() -> KnowledgeError? {
        guard let load = configuration.reload else { return nil }
        let notifier = configuration.notifier
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        notifier?.send("RELOADING=1\nMONOTONIC_USEC=\(Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000)")
        let before = conversation.knowledge.version
        var failure: KnowledgeError?
        do throws(KnowledgeError) {
            let loaded = try load()
            registry.current.replace(with: loaded)
            metrics?.reloadsSucceeded.increment()
            logger.notice(
                "reloaded the knowledge model and lexicon",
                metadata: [
                    "knowledge": "\(loaded.knowledge.version)", "before": "\(before)"
                ])
        } catch {
            failure = error
            metrics?.reloadsFailed.increment()
            logger.error("reload refused: the knowledge model \(before) stays in use", metadata: ["problems": "\(error.issues.count)"])
            for issue in error.issues { logger.error("reload: \(issue.description)") }
        }
        if let notifier {
            let summary = failure.map { "Reload refused (\($0.issues.first?.description ?? "invalid")); serving knowledge \(before)" }
            notifier.send("READY=1\n" + (summary.map { "STATUS=" + $0 } ?? "STATUS=Reloaded: knowledge \(conversation.knowledge.version)"))
        }
        return failure
    }

    /// `STATUS=` for systemd: what the daemon holds and has done (numbers only).
    private func statusLine() async -> String {
        let sessions = await registry.sessionsHeld()
        if let sessions { metrics?.sessionsHeld.set(sessions) }
        let samples = metrics?.samples() ?? []
        func total(_ name: String) -> Int { Int(samples.filter { $0.name == name }.map(\.value).reduce(0, +)) }
        var parts = ["\(sessions.map(String.init) ?? "?") sessions", "\(connections.withLockedValue { $0 }) connections"]
        if metrics != nil { parts.append("\(total("charley_messages_total")) messages") }
        return "STATUS=Serving: " + parts.joined(separator: ", ") + "; knowledge \(conversation.knowledge.version)"
    }

    /// Sends `WATCHDOG=1` at half of `WATCHDOG_USEC` (and a fresh `STATUS=`; every 5 s without a
    /// watchdog). Each ping waits until every event loop has run a task: a loop that is stuck
    /// never runs it, the pings stop, and systemd restarts the daemon.
    private func keepSystemdInformed(_ notifier: SystemdNotifier, loops: [any EventLoop]) async {
        let interval = notifier.watchdogInterval ?? .seconds(5)
        #if DEBUG
            // For the watchdog test only (debug builds): after the first ping, block the last event
            // loop for this many seconds, as a stuck handler would.
            if let text = ProcessInfo.processInfo.environment["CHARLEY_DEBUG_STALL_LOOP_SECONDS"], let seconds = UInt32(text),
                let loop = loops.last
            {
                Task {
                    try? await Task.sleep(for: interval)
                    loop.execute { sleep(seconds) }
                }
            }
        #endif
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let answered = loops.map { $0.submit {} }
            for future in answered { _ = try? await future.get() }
            guard !Task.isCancelled && !Task.isShuttingDownGracefully else { return }
            let status = await statusLine()
            notifier.send((notifier.watchdogInterval == nil ? "" : "WATCHDOG=1\n") + status)
            try? await Task.sleep(for: interval)
        }
    }

    /// Refuses a path a live daemon holds, removes a stale socket file, checks the folder.
    static func prepareSocketPath(_ path: String, creatingDefaultFolder: Bool) throws {
        let folder = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
            guard creatingDefaultFolder else {
                throw ServerStartError(description: "the folder \(folder) does not exist; create it or choose another --socket path")
            }
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } else if !isDirectory.boolValue {
            throw ServerStartError(description: "\(folder) is not a folder")
        }
        guard FileManager.default.fileExists(atPath: path) else { return }
        if isListening(path) {
            throw ServerStartError(description: "another Charley daemon is already listening on \(path)")
        }
        guard unlink(path) == 0 else {
            throw ServerStartError(description: "cannot remove the stale socket file \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Whether something accepts connections on the socket file.
    static func isListening(_ path: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in raw.copyBytes(from: bytes + [0]) }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
    }

    /// One line in, one line out, through `reply`: at once, or once a turn's state is committed
    /// (then on `loop`, the connection's event loop, or without one on the store's writer
    /// thread). Every problem is an error reply.
    func handle(_ frame: Frame, on loop: (any EventLoop)? = nil, reply: @escaping @Sendable (ByteBuffer) -> Void) {
        if let immediate = handleAtOnce(frame, on: loop, reply: reply) { reply(immediate) }
    }

    /// An error reply's line, counted by its code.
    func errorLine(_ error: ErrorReply) -> ByteBuffer {
        metrics?.error(error.error.code.rawValue)
        return Self.encode(error)
    }

    /// `stats`: every metric as JSON, and the same in the Prometheus text format.
    private func stats(session: String?, reply: @escaping @Sendable (ByteBuffer) -> Void) {
        Task {
            if let held = await registry.sessionsHeld() { metrics?.sessionsHeld.set(held) }
            let text = metrics?.prometheusText() ?? ""
            var grouped: [String: [StatsReply.Sample]] = [:]
            for sample in DaemonMetrics.Sample.parse(text) {
                grouped[sample.name, default: []].append(StatsReply.Sample(labels: sample.labels, value: sample.value))
            }
            reply(
                Self.encode(
                    StatsReply(
                        session: session, charley: version, knowledge: conversation.knowledge.version,
                        metrics: grouped, prometheus: text)))
        }
    }

    /// The reply when it is ready at once; nil when `reply` will be called later.
    private func handleAtOnce(_ frame: Frame, on loop: (any EventLoop)?, reply: @escaping @Sendable (ByteBuffer) -> Void) -> ByteBuffer? {
        guard case .line(let line) = frame else {
            return self.errorLine(ErrorReply(session: nil, .lineTooLong, "a line may be at most \(configuration.maximumLineBytes) bytes; it was ignored"))
        }
        if line.readableBytesView.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) {
            return self.errorLine(ErrorReply(session: nil, .badJSON, "an empty line is not a message; send one JSON object per line"))
        }
        // Read where it lies in the connection's buffer; the parser checks its UTF-8, once.
        let parsed = line.withUnsafeReadableBytes { bytes in
            Result { () throws(MessageParser.Failure) in try MessageParser.parse(bytes) }
        }
        let message: ClientMessage
        switch parsed {
        case .success(let read):
            message = read
        case .failure(.notUTF8):
            return self.errorLine(ErrorReply(session: nil, .invalidUTF8, "the line is not valid UTF-8"))
        case .failure(.invalid):
            return self.errorLine(ErrorReply(session: nil, .badJSON, "the line is not a JSON object of the protocol (see docs/PROTOCOL.md)"))
        }
        let type = message.type ?? .message
        switch type {
        case .ping:
            return Self.encode(SimpleReply(type: "pong", session: message.session))
        case .stats:
            stats(session: message.session, reply: reply)
            return nil
        case .hello:
            return Self.encode(
                HelloReply(
                    session: message.session, protocolVersion: protocolVersion, charley: version,
                    knowledge: conversation.knowledge.version))
        case .unknown(let name):
            return self.errorLine(
                ErrorReply(
                    session: message.session, .unknownType,
                    "unknown type '\(name)'; use message, reset, end, state, report, hello, ping or stats"))
        case .message, .reset, .end, .state, .report:
            // A session's messages, below.
            break
        }
        guard let session = message.session, !session.isEmpty else {
            return self.errorLine(ErrorReply(session: nil, .missingField, "'session' is required for \(type.rawValue)"))
        }
        switch type {
        case .reset, .end:
            registry.reset(session) { result in
                switch result {
                case .success: reply(Self.encode(SimpleReply(type: type == .reset ? "reset" : "ended", session: session)))
                case .failure(let error): reply(self.errorLine(Self.failure(error, session: session)))
                }
            }
            return nil
        case .report:
            guard let format = ReportFormat(rawValue: message.format ?? "html") else {
                return self.errorLine(
                    ErrorReply(
                        session: session, .unknownFormat,
                        "unknown format '\(message.format ?? "")'; use html or text (or svg for the picture alone)"))
            }
            registry.state(session) { result in
                switch result {
                case .success(let state?):
                    reply(self.report(of: state, session: session, format: format))
                case .success(nil):
                    reply(
                        self.errorLine(
                            ErrorReply(
                                session: session, .unknownSession,
                                "there is no conversation '\(session)' to report on (it never began, ended or expired)")))
                case .failure(let error):
                    reply(self.errorLine(Self.failure(error, session: session)))
                }
            }
            return nil
        case .state:
            registry.state(session) { result in
                switch result {
                case .success(let state):
                    reply(
                        Self.encode(
                            StateReply(
                                session: session, exists: state != nil, stage: state?.stage,
                                slots: state.map { .init(findings: $0.findings) }, triage: state?.triage,
                                redFlags: state?.redFlags, turns: state?.turns)))
                case .failure(let error):
                    reply(self.errorLine(Self.failure(error, session: session)))
                }
            }
            return nil
        case .message:
            guard let text = message.text else {
                return self.errorLine(ErrorReply(session: session, .missingField, "'text' is required for a message"))
            }
            if configuration.echo { return Self.encode(EchoReply(session: session, echo: text)) }
            guard text.count <= configuration.maximumTextCharacters else {
                return self.errorLine(ErrorReply(session: session, .textTooLong, "a message may be at most \(configuration.maximumTextCharacters) characters"))
            }
            registry.respondLine(session: session, text: text, request: message.id, on: loop) { result in
                switch result {
                case .success(let bytes):
                    reply(bytes)
                case .failure(let error):
                    reply(self.errorLine(Self.failure(error, session: session)))
                }
            }
            return nil
        case .ping, .stats, .hello, .unknown:
            preconditionFailure("'\(type.rawValue)' needs no session and was answered above")
        }
    }

    /// The `report` reply: the session's report in `format`, made now.
    private func report(of state: SessionState, session: String, format: ReportFormat) -> ByteBuffer {
        let now = Date()
        guard let reportWording else {
            return errorLine(ErrorReply(session: session, .unknownFormat, "this daemon cannot make reports: its report wording is missing"))
        }
        let document = DoctorReport(state: state, conversation: conversation, wording: reportWording, date: now).document(format)
        let mediaType =
            switch format {
            case .html: "text/html; charset=utf-8"
            case .text: "text/plain; charset=utf-8"
            case .svg: "image/svg+xml"
            }
        var seconds = time_t(now.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let stamp = String(
            format: "%04d%02d%02d-%02d%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min))
        return Self.encode(
            ReportReply(
                session: session, format: format.rawValue, mediaType: mediaType,
                filename: "charley-report-\(stamp).\(format.fileExtension)",
                knowledge: conversation.knowledge.version, report: document))
    }

    private static func failure(_ error: SessionRegistry.Failure, session: String) -> ErrorReply {
        switch error {
        case .tooManySessions(let limit):
            ErrorReply(session: session, .tooManySessions, "the daemon is holding its maximum of \(limit) sessions; try again later")
        case .store(let message):
            ErrorReply(session: session, .storeUnavailable, message)
        }
    }

    static func encode(_ value: some Encodable) -> ByteBuffer {
        var data = (try? ContractJSON.data(value)) ?? Data(#"{"error":{"code":"internal","message":"could not encode the reply"}}"#.utf8)
        data.append(UInt8(ascii: "\n"))
        return ByteBuffer(bytes: data)
    }
}

/// One connection: frames in, replies out, in the order the lines came even when a later
/// reply is ready first (a ping behind a turn waiting for its commit). Runs on the channel's
/// event loop; turns run right here, so a message costs no hand-off between threads.
final class ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = Frame
    typealias OutboundOut = ByteBuffer

    let server: CharleyServer
    let admitted: Bool
    /// Replies not yet written, from the oldest line still waiting; nil where not ready.
    private var waiting = CircularBuffer<ByteBuffer?>()
    /// The number of the first line in `waiting`, and of the next line.
    private var first = 0
    private var next = 0
    private var reading = false

    /// Lines read and not yet handled: a connection handles lines for at most the server's
    /// `timeSlice`, then the rest wait here while its event loop serves the other connections,
    /// and it reads no more until they are done.
    private var queued = CircularBuffer<Frame>()
    /// When the running slice began (uptime nanoseconds); 0 when none is running.
    private var sliceStart: UInt64 = 0
    private var resumeScheduled = false
    /// The client is not reading its replies: when it will be closed unless it does.
    private var writeDeadline: Scheduled<Void>?
    /// The daemon is shutting down: this connection closes once every line it has read is
    /// answered, or at this deadline.
    private var quiesceDeadline: Scheduled<Void>?
    private var quiesceCheckScheduled = false

    init(server: CharleyServer, admitted: Bool) {
        self.server = server
        self.admitted = admitted
    }

    private var refused = false

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    private func start(_ context: ChannelHandlerContext) {
        refuseIfOverLimit(context)
        if server.isStopping { quiesce(context) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            quiesce(context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Shutdown: no lines are refused, but the connection closes as soon as it has answered all it
    /// has read, and at the latest after `quiesceTimeout` (a client that keeps sending or does
    /// not read its replies).
    private func quiesce(_ context: ChannelHandlerContext) {
        guard quiesceDeadline == nil else { return }
        let channel = context.channel
        quiesceDeadline = context.eventLoop.scheduleTask(in: .nanoseconds(server.configuration.quiesceTimeout.nanoseconds)) {
            channel.close(promise: nil)
        }
        closeIfAnswered(context)
    }

    /// While quiescing: once no line waits for its reply or its turn, gives the event loop one
    /// more look at the socket (a scheduled task runs after the loop has read what is ready: the
    /// lines a client sent before the shutdown are read, not cut off); if that brought no line,
    /// closes once the replies written so far are out.
    private func closeIfAnswered(_ context: ChannelHandlerContext) {
        guard quiesceDeadline != nil, !quiesceCheckScheduled, waiting.isEmpty, queued.isEmpty, !resumeScheduled else { return }
        quiesceCheckScheduled = true
        let lines = next
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: .microseconds(20)) {
            let (handler, context) = bound.value
            handler.quiesceCheckScheduled = false
            guard context.channel.isActive else { return }
            guard handler.next == lines else {
                handler.closeIfAnswered(context)
                return
            }
            // An empty write completes after every write before it.
            let channel = context.channel
            context.writeAndFlush(handler.wrapOutboundOut(ByteBuffer())).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    /// A connection over `--max-connections` gets one error line and is closed (whether it
    /// became active before or after this handler was added).
    private func refuseIfOverLimit(_ context: ChannelHandlerContext) {
        guard !admitted, !refused else { return }
        refused = true
        let refusal = server.errorLine(
            ErrorReply(
                session: nil, .tooManyConnections,
                "the daemon already has \(server.configuration.maximumConnections) connections; try again later"))
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(refusal)).whenComplete { _ in channel.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard admitted else { return }
        let frame = unwrapInboundIn(data)
        if !queued.isEmpty || resumeScheduled || sliceUsedUp() {
            queued.append(frame)
            return
        }
        reading = true
        handle(frame, context: context)
        reading = false
    }

    private func handle(_ frame: Frame, context: ChannelHandlerContext) {
        let line = next
        next += 1
        waiting.append(nil)
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        server.handle(frame, on: loop) { reply in
            if loop.inEventLoop {
                bound.value.0.ready(line, reply, context: bound.value.1)
            } else {
                loop.execute { bound.value.0.ready(line, reply, context: bound.value.1) }
            }
        }
    }

    /// Whether the running slice is over; starts one when none is running.
    private func sliceUsedUp() -> Bool {
        let now = DispatchTime.now().uptimeNanoseconds
        if sliceStart == 0 {
            sliceStart = now
            return false
        }
        return now - sliceStart >= UInt64(server.configuration.timeSlice.nanoseconds)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
        if queued.isEmpty {
            sliceStart = 0
        } else {
            scheduleResume(context)
        }
        updateReading(context)
        closeIfAnswered(context)
    }

    /// The rest of the queued lines, after the event loop has served the others: a task due a
    /// little later, since NIO runs the tasks due now before it looks at any socket again.
    private func scheduleResume(_ context: ChannelHandlerContext) {
        guard !resumeScheduled else { return }
        resumeScheduled = true
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: .microseconds(20)) { bound.value.0.resume(bound.value.1) }
    }

    private func resume(_ context: ChannelHandlerContext) {
        resumeScheduled = false
        guard context.channel.isActive else { return }
        sliceStart = 0
        reading = true
        // At least one line each time, so a connection always gets on.
        repeat {
            handle(queued.removeFirst(), context: context)
        } while !queued.isEmpty && !sliceUsedUp()
        reading = false
        context.flush()
        if queued.isEmpty { sliceStart = 0 } else { scheduleResume(context) }
        updateReading(context)
        closeIfAnswered(context)
    }

    /// Reads while the client takes its replies and no lines of it wait: so neither a client
    /// that sends without reading nor one that sends faster than its share can make the daemon
    /// buffer without bound.
    private func updateReading(_ context: ChannelHandlerContext) {
        let read = context.channel.isWritable && queued.isEmpty
        context.channel.setOption(ChannelOptions.autoRead, value: read).whenFailure { _ in }
    }

    /// Backpressure: a client that sends without reading its replies is not read from until it
    /// has taken what is waiting, and is closed if it takes none for `writeTimeout`.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        updateReading(context)
        if context.channel.isWritable {
            writeDeadline?.cancel()
            writeDeadline = nil
        } else if writeDeadline == nil {
            let channel = context.channel
            let timeout = server.configuration.writeTimeout
            server.logger.notice("a client is not reading its replies", metadata: ["timeout_s": "\(timeout.components.seconds)"])
            writeDeadline = context.eventLoop.scheduleTask(in: .nanoseconds(timeout.nanoseconds)) {
                channel.close(promise: nil)
            }
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        writeDeadline?.cancel()
        writeDeadline = nil
        quiesceDeadline?.cancel()
        queued.removeAll()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Writes every reply that is ready and has no unanswered line before it.
    private func ready(_ line: Int, _ reply: ByteBuffer, context: ChannelHandlerContext) {
        guard line >= first, context.channel.isActive else { return }
        waiting[waiting.index(waiting.startIndex, offsetBy: line - first)] = reply
        var wrote = false
        while let head = waiting.first, let buffer = head {
            waiting.removeFirst()
            first += 1
            context.write(wrapOutboundOut(buffer), promise: nil)
            wrote = true
        }
        // Inside channelRead the flush comes with channelReadComplete; a reply that waited for
        // its commit is flushed now.
        if wrote && !reading {
            context.flush()
            closeIfAnswered(context)
        }
    }
}

/// Closes a connection that has started a line and not finished it within `timeout` (a client
/// that hung mid-message, or one holding a connection open a byte at a time), with an error
/// line first. A connection that is only quiet between lines is left open: bridges are.
final class UnfinishedLineWatch: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let timeout: Duration
    let metrics: DaemonMetrics?
    /// When the unfinished line's first byte came; nil when the last byte read ended a line.
    private var deadline: Scheduled<Void>?

    init(timeout: Duration, metrics: DaemonMetrics? = nil) {
        self.timeout = timeout
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data).readableBytesView
        let newline = UInt8(ascii: "\n")
        // A line ended: the one that was waiting is finished. Bytes after the last newline
        // start another, timed from now.
        if bytes.lastIndex(of: newline) != nil {
            deadline?.cancel()
            deadline = nil
        }
        if deadline == nil, let last = bytes.last, last != newline {
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            let seconds = timeout.components.seconds
            let metrics = self.metrics
            deadline = context.eventLoop.scheduleTask(in: .nanoseconds(timeout.nanoseconds)) {
                let context = bound.value
                metrics?.error(ErrorCode.lineTimeout.rawValue)
                let refusal = CharleyServer.encode(
                    ErrorReply(
                        session: nil, .lineTimeout,
                        "a line was started and not finished within \(seconds) s; the connection is closed"))
                context.writeAndFlush(NIOAny(refusal)).whenComplete { _ in context.close(promise: nil) }
            }
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }
}

extension Duration {
    /// The whole duration in nanoseconds (NIO's TimeAmount wants them).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
