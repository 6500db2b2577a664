import ArgumentParser
import Conversation
import Foundation
import Knowledge
import PostgresStorage
import Storage

struct SessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List, show or purge the sessions in a session store (for operators).",
        discussion: """
            Works on the store file directly, also while `charley serve` runs on it (SQLite's WAL \
            lets both in). A session the daemon holds in memory comes back on its next turn even \
            if purged here; purge the daemon's own expired sessions by leaving it to do so. With a \
            PostgreSQL store (--store postgres://...) they work on the shared database, beside the \
            daemons; a purge there takes each session's lock, so a session in use stays.
            """,
        subcommands: [List.self, Show.self, Purge.self],
        defaultSubcommand: List.self
    )

    /// Opens an existing store; a missing one is an error, not a new empty file.
    static func open(_ options: StoreOptions) throws -> SQLiteSessionStore {
        guard !options.isMemory else {
            throw ValidationError("an in-memory store belongs to the process that made it; give a store file")
        }
        guard FileManager.default.fileExists(atPath: options.path) else {
            FileHandle.standardError.write(Data("charley: there is no session store at \(options.path)\n".utf8))
            throw ExitCode(1)
        }
        guard let store = try options.open() as? SQLiteSessionStore else { throw ExitCode(1) }
        return store
    }

    /// A local store file or a shared PostgreSQL store, as the operator's commands use them.
    enum OperatorStore {
        case local(SQLiteSessionStore)
        case shared(PostgresSessionStore)

        var path: String {
            switch self {
            case .local(let store): store.path
            case .shared(let store): store.location
            }
        }

        func list(limit: Int) async throws(StoreError) -> [SessionSummary] {
            switch self {
            case .local(let store): try store.list(limit: limit)
            case .shared(let store): try await store.list(limit: limit)
            }
        }

        func count() async throws(StoreError) -> Int {
            switch self {
            case .local(let store): try store.count()
            case .shared(let store): try await store.count()
            }
        }

        func load(_ id: String) async throws(StoreError) -> StoredSession.Loaded? {
            switch self {
            case .local(let store): try store.load(id)
            case .shared(let store): try await store.load(id)
            }
        }

        func transcript(_ id: String) async throws(StoreError) -> [TranscriptEntry] {
            switch self {
            case .local(let store): try store.transcript(id)
            case .shared(let store): try await store.transcript(id)
            }
        }

        func purge(updatedBefore time: Double) async throws(StoreError) -> Int {
            switch self {
            case .local(let store): try store.purge(updatedBefore: time)
            case .shared(let store): try await store.purge(updatedBefore: time, repliesBefore: time)
            }
        }
    }

    /// Runs `body` on the store: a SQLite file that must exist, or a PostgreSQL store whose pool
    /// runs meanwhile (checked first, with a clear error when the server cannot be reached).
    static func withStore<T>(_ options: StoreOptions, _ body: (OperatorStore) async throws -> T) async throws -> T {
        guard options.isPostgres else { return try await body(.local(open(options))) }
        let store = try options.openShared()
        do { try await store.prepare() } catch { throw fail(error) }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.client.run() }
            defer { group.cancelAll() }
            return try await body(.shared(store))
        }
    }

    static func date(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }

    static func fail(_ error: StoreError) -> ExitCode {
        FileHandle.standardError.write(Data("charley: \(error)\n".utf8))
        return ExitCode(1)
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The sessions, most recently used first.")

        @OptionGroup var storage: StoreOptions

        @Option(help: "Show at most this many.")
        var limit = 100

        @Flag(help: "One JSON object per line.")
        var json = false

        func run() async throws {
            try await SessionsCommand.withStore(storage) { store in try await run(store) }
        }

        func run(_ store: OperatorStore) async throws {
            let sessions: [SessionSummary]
            do { sessions = try await store.list(limit: limit) } catch { throw SessionsCommand.fail(error) }
            if json {
                for session in sessions { print(try ContractJSON.string(session)) }
                return
            }
            let total = (try? await store.count()) ?? sessions.count
            print("\(total) session\(total == 1 ? "" : "s") in \(store.path)")
            guard !sessions.isEmpty else { return }
            let width = max(sessions.map(\.id.count).max() ?? 0, 2)
            print("ID".padding(toLength: width, withPad: " ", startingAt: 0) + "  STAGE      TURNS  TRIAGE      LAST USED             KNOWLEDGE")
            for session in sessions {
                print(
                    session.id.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                        + session.stage.padding(toLength: 10, withPad: " ", startingAt: 0) + " "
                        + String(session.turns).padding(toLength: 6, withPad: " ", startingAt: 0) + " "
                        + (session.triage ?? "-").padding(toLength: 11, withPad: " ", startingAt: 0) + " "
                        + SessionsCommand.date(session.updated) + "  " + session.knowledge)
            }
            if total > sessions.count { print("(\(total - sessions.count) more; use --limit)") }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What a session holds: its stage, what Charley learned, and its transcript if kept.")

        @OptionGroup var storage: StoreOptions

        @Argument(help: "The session id.")
        var id: String

        @Flag(help: "Print the stored state as JSON.")
        var json = false

        func run() async throws {
            try await SessionsCommand.withStore(storage) { store in try await run(store) }
        }

        func run(_ store: OperatorStore) async throws {
            let loaded: StoredSession.Loaded?
            let transcript: [TranscriptEntry]
            do {
                loaded = try await store.load(id)
                transcript = try await store.transcript(id)
            } catch {
                throw SessionsCommand.fail(error)
            }
            switch loaded {
            case nil:
                FileHandle.standardError.write(Data("charley: no session '\(id)' in \(store.path)\n".utf8))
                throw ExitCode(1)
            case .unreadable(let reason):
                print("session \(id): stored, but unreadable by this Charley (\(reason)); it will start again on its next message")
            case .session(let session):
                if json {
                    print(try ContractJSON.string(session.state, pretty: true))
                    return
                }
                let state = session.state
                let knowledge = try? KnowledgeLoader.loadBundled()
                func label(_ finding: Finding) -> String { knowledge?.term(finding)?.label ?? finding.description }
                print("session \(id)")
                print("  stage: \(state.stage.rawValue), turns: \(state.turns), last used: \(SessionsCommand.date(session.updated))")
                print("  triage: \(state.triage?.rawValue ?? "-")\(state.redFlags.isEmpty ? "" : ", red flags: " + state.redFlags.joined(separator: ", "))")
                print("  known: " + (state.findings.present.isEmpty ? "-" : state.findings.present.sorted().map(label).joined(separator: "; ")))
                if !state.findings.absent.isEmpty {
                    print("  denied: " + state.findings.absent.sorted().map(label).joined(separator: "; "))
                }
                print("  asked: " + (state.asked.isEmpty ? "-" : state.asked.joined(separator: ", ")) + (state.pending.map { ", waiting for: \($0)" } ?? ""))
            }
            if transcript.isEmpty {
                print("  transcript: not kept (the daemon keeps one only with --keep-transcripts)")
            } else {
                print("  transcript:")
                for line in transcript {
                    print("    [\(SessionsCommand.date(line.at))] person: \(line.said)")
                    print("    charley: \(line.reply.replacingOccurrences(of: "\n\n", with: " / "))")
                }
            }
        }
    }

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove sessions (and their transcripts) idle for longer than a time.")

        @OptionGroup var storage: StoreOptions

        @Option(help: "Idle longer than this: 90s, 30m, 12h or 7d.", transform: SessionsCommand.seconds)
        var olderThan: Double = 24 * 3600

        @Flag(help: "Remove every session.")
        var all = false

        func run() async throws {
            try await SessionsCommand.withStore(storage) { store in try await run(store) }
        }

        func run(_ store: OperatorStore) async throws {
            let cutoff = all ? Double.infinity : Date().timeIntervalSince1970 - olderThan
            do {
                let removed = try await store.purge(updatedBefore: cutoff)
                print("purged \(removed) session\(removed == 1 ? "" : "s") from \(store.path)")
            } catch {
                throw SessionsCommand.fail(error)
            }
        }
    }

    /// "90s", "30m", "12h", "7d" in seconds.
    static func seconds(_ text: String) throws -> Double {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        guard let unit = text.last.flatMap({ units[$0] }), let number = Double(text.dropLast()), number >= 0 else {
            throw ValidationError("'\(text)' is not a duration; write it like 90s, 30m, 12h or 7d")
        }
        return number * unit
    }
}
