import ArgumentParser
import Conversation
import Foundation
import Knowledge
import Logging
import PostgresStorage
import Report
import ServiceLifecycle
import SocketServer
import Systemd

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run Charley as a daemon on a Unix socket, for chat bridges.",
        discussion: """
            Speaks JSON Lines (docs/PROTOCOL.md): {"session": "tg:4711", "text": "..."} in, one \
            reply object per line out. One connection carries any number of sessions; a session id \
            can move to a new connection. The socket is created with mode 0600; a stale socket file \
            is removed, and the daemon refuses to start if another one is listening. SIGTERM or \
            SIGINT: stop accepting, finish the replies in flight, close, exit 0. Logs go to stderr \
            and never contain what people wrote.

            Sessions are kept in a SQLite store (see --store) so that a restart, a crash or an \
            upgrade loses no conversation: each turn is committed before its reply is sent. The \
            store keeps the structured state (what Charley learned), not people's words, unless \
            --keep-transcripts is given. Idle sessions expire (--idle-minutes) and are purged.

            Several daemons can share one PostgreSQL store (--store postgres://... or \
            CHARLEY_STORE): each turn is loaded, run and saved in one transaction holding the \
            session's lock, so any daemon can take any session's next message. A message's \
            optional "id" makes a retry safe: the same session and id get the reply already given \
            (docs/PROTOCOL.md, docs/SCALING.md).

            As a systemd service (contrib/systemd): started by socket activation (LISTEN_FDS, \
            LISTEN_PID), the daemon serves the socket systemd passed, connections queued before it \
            started included, and leaves the socket file to systemd (--socket and --socket-mode \
            are then not used). With NOTIFY_SOCKET it sends READY=1 once the knowledge model is \
            loaded and the socket accepts, STATUS= with sessions and messages, WATCHDOG=1 at \
            half of WATCHDOG_USEC while every event loop answers, and STOPPING=1 on shutdown.

            SIGHUP (systemctl reload) loads the knowledge model and the lexicon again (from \
            --knowledge and --lexicon, else the shipped files); if they validate, new turns use \
            them and no connection or session is dropped; if not, the model in use stays and \
            every problem is logged with its file, line and entry. `charley stats` prints the \
            daemon's counters and histograms.
            """)

    @OptionGroup var storage: StoreOptions

    @Flag(help: "Also keep what people wrote and Charley's replies in the store (for review; purged with their sessions).")
    var keepTranscripts = false

    @Option(help: "The socket path (default: $XDG_RUNTIME_DIR/charley.sock, else /tmp/charley-UID/charley.sock).")
    var socket: String?

    @Option(help: "The socket file's mode, in octal, e.g. 660 to let a group connect.")
    var socketMode = SocketMode(0o600)

    @Option(help: "The longest line accepted, in bytes.")
    var maxLineBytes = 64 * 1024

    @Option(help: "The most sessions held in memory (with --store memory, the most sessions at all).")
    var maxSessions = 100_000

    @Option(help: "Forget a session after this many idle minutes.")
    var idleMinutes = 24 * 60

    @Option(help: "The most connections at once.")
    var maxConnections = 1024

    @Option(
        help:
            "Close a connection that starts a line and does not finish it within this many seconds (it gets a line_timeout error first). A quiet connection between lines is left open."
    )
    var lineTimeout = 60

    @Option(help: "Close a connection that leaves its replies unread for this many seconds while more wait (it is not read from meanwhile).")
    var writeTimeout = 60

    @Option(help: "Microseconds a connection's lines are handled before the other connections get their turn.")
    var timeSlice = 200

    @Option(help: "Event-loop threads; 0 for one per core.")
    var threads = 0

    @Option(help: "With a PostgreSQL store: how many transactions of turns may run at once (each takes the waiting turns of up to 64 sessions).")
    var storeLanes = 4

    @Option(help: .hidden)
    var testCommitDelayMs = 0

    @Flag(help: "Benchmarks only: echo each message's text without running the conversation engine.")
    var echo = false

    @Option(help: "A folder of knowledge files (*.yaml) to load instead of the shipped ones, and again on SIGHUP.")
    var knowledge: String?

    @Option(help: "A lexicon file to load instead of the shipped one, and again on SIGHUP.")
    var lexicon: String?

    @Flag(help: "Benchmarks only: keep no metrics, to measure what they cost.")
    var noMetrics = false

    @OptionGroup var logging: LogOptions

    func validate() throws {
        if socketMode.bits & 0o007 != 0 { throw ValidationError("--socket-mode must not give access to everyone (o+rwx); use a group") }
        guard maxLineBytes >= 256, maxSessions >= 1, idleMinutes >= 1, maxConnections >= 1, lineTimeout >= 1, writeTimeout >= 1,
            timeSlice >= 1, threads >= 0
        else {
            throw ValidationError("limits must be positive (and --max-line-bytes at least 256)")
        }
        var isFolder: ObjCBool = false
        if let knowledge, !FileManager.default.fileExists(atPath: knowledge, isDirectory: &isFolder) || !isFolder.boolValue {
            throw ValidationError("--knowledge takes a folder of knowledge files; \(knowledge) is not one")
        }
        if let lexicon, !FileManager.default.fileExists(atPath: lexicon, isDirectory: &isFolder) || isFolder.boolValue {
            throw ValidationError("--lexicon takes a lexicon file; \(lexicon) is not one")
        }
    }

    func run() async throws {
        logging.bootstrap()
        let logger = Logger(label: "charley.serve")
        var configuration = ServerConfiguration(socketPath: socket ?? ServerConfiguration.defaultSocketPath())
        configuration.socketMode = socketMode.bits
        configuration.maximumLineBytes = maxLineBytes
        configuration.maximumSessions = maxSessions
        configuration.idleExpiry = .seconds(idleMinutes * 60)
        configuration.maximumConnections = maxConnections
        configuration.lineTimeout = .seconds(lineTimeout)
        configuration.writeTimeout = .seconds(writeTimeout)
        configuration.timeSlice = .microseconds(timeSlice)
        configuration.threads = threads
        configuration.echo = echo
        configuration.keepTranscripts = keepTranscripts
        configuration.commitDelay = .milliseconds(testCommitDelayMs)
        configuration.storeLanes = max(1, min(storeLanes, storage.storeConnections - 1))
        configuration.metrics = !noMetrics
        configuration.reportWording = try loadOrExit { () throws(KnowledgeError) in try ReportWording.loadBundled() }
        let environment = ProcessInfo.processInfo.environment
        do {
            configuration.activatedSocket = try SocketActivation.takeSocket(environment: environment)
            configuration.notifier = try SystemdNotifier(environment: environment)
        } catch {
            FileHandle.standardError.write(Data("charley serve: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
        let knowledgeFolder = knowledge.map { URL(fileURLWithPath: $0) }
        let lexiconFile = lexicon.map { URL(fileURLWithPath: $0) }
        let load: @Sendable () throws(KnowledgeError) -> Conversation = {
            try Conversation.load(knowledgeDirectory: knowledgeFolder, lexicon: lexiconFile)
        }
        configuration.reload = load
        let conversation = try loadOrExit(load)
        let services: [any Service]
        if storage.isPostgres {
            let store = try storage.openShared()
            logger.info("session store", metadata: ["store": "\(store.location)", "transcripts": "\(keepTranscripts)"])
            let server = CharleyServer(
                configuration: configuration, conversation: conversation, sharedStore: store,
                version: Charley.version, logger: logger)
            // The pool first: the group stops services in reverse order, so the daemon finishes
            // its replies before the pool closes.
            services = [store.client, server]
        } else {
            let store = try storage.open(cacheLimit: maxSessions, memoryLimit: maxSessions)
            logger.info(
                "session store",
                metadata: [
                    "store": "\(storage.isMemory ? "memory" : storage.path)",
                    "transcripts": "\(keepTranscripts)"
                ])
            services = [
                CharleyServer(
                    configuration: configuration, conversation: conversation, store: store,
                    version: Charley.version, logger: logger)
            ]
        }
        let group = ServiceGroup(
            configuration: .init(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let error as ServerStartError {
            FileHandle.standardError.write(Data("charley serve: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// A socket file's permission bits, written in octal (600, 660) and at most 777.
struct SocketMode: ExpressibleByArgument {
    let bits: UInt16

    init(_ bits: UInt16) { self.bits = bits }

    init?(argument: String) {
        guard let bits = UInt16(argument, radix: 8), bits <= 0o777 else { return nil }
        self.bits = bits
    }

    var defaultValueDescription: String { String(bits, radix: 8) }
}
