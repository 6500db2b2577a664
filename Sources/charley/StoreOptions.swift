import ArgumentParser
import Conversation
import Foundation
import PostgresStorage
import Storage
import Terminal

/// Where sessions are kept, as --store or CHARLEY_STORE names it: read once, here.
enum StoreLocation: ExpressibleByArgument, Equatable {
    /// Nothing kept after the process exits.
    case memory
    /// A SQLite file.
    case file(String)
    /// A PostgreSQL server that several daemons share. The URL is checked when the store is
    /// opened, whose error leaves its password out (a usage error would print it).
    case postgres(String)

    init(argument: String) {
        if argument == "memory" {
            self = .memory
        } else if PostgresLocation.isURL(argument) {
            self = .postgres(argument)
        } else {
            self = .file(argument)
        }
    }
}

/// The session-store flags shared by `serve`, `chat --resume`, `sessions` and `report`.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("store"),
        help: ArgumentHelp(
            "The session store: a SQLite file, 'memory' (nothing kept after exit), or a PostgreSQL URL that several daemons share (postgres://USER:PASSWORD@HOST:PORT/DATABASE, or postgres://USER@/DATABASE?host=/SOCKET/FOLDER). Or CHARLEY_STORE.",
            discussion: "Default: $XDG_STATE_HOME/charley/sessions.sqlite, else ~/.local/state/charley/sessions.sqlite.",
            valueName: "path|memory|url"))
    var storeOption: StoreLocation?

    @Option(help: "With a PostgreSQL store: the most connections this process opens to it.")
    var storeConnections = 10

    @Flag(
        help:
            "If the store file cannot be used (corrupt, not a database, from a newer Charley), move it aside to PATH.unusable-TIME and start with an empty one."
    )
    var storeRecover = false

    @Option(
        help: "full: every commit is on disk before the reply (survives a power cut); normal: survives a crash of Charley, a power cut may lose the last turns."
    )
    var durability: SQLiteSessionStore.Durability = .full

    /// The store given with --store, else in CHARLEY_STORE, else nil (the default file).
    var store: StoreLocation? {
        storeOption ?? ProcessInfo.processInfo.environment["CHARLEY_STORE"].flatMap { $0.isEmpty ? nil : StoreLocation(argument: $0) }
    }

    /// Whether the store is a PostgreSQL server.
    var isPostgres: Bool { if case .postgres = store { true } else { false } }

    var isMemory: Bool { store == .memory }

    /// Where the store is, for messages: the file (the default one when none is given).
    var path: String {
        switch store {
        case nil: StateFolder.sessionStore()
        case .file(let path): path
        case .memory: "memory"
        case .postgres(let url): url
        }
    }

    /// Opens a PostgreSQL store (its pool is not running yet), or exits with a message that names
    /// the URL without its password.
    func openShared() throws -> PostgresSessionStore {
        guard case .postgres(let url) = store else { throw ExitCode(1) }
        do {
            return try PostgresSessionStore(url: url, maximumConnections: storeConnections)
        } catch {
            FileHandle.standardError.write(Data("charley: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// Opens the store, or exits with the store's own message (it names the file and the way out).
    func open(cacheLimit: Int = 100_000, memoryLimit: Int = .max) throws -> any SessionStore {
        let path: String
        switch store {
        case .postgres:
            FileHandle.standardError.write(
                Data("charley: a PostgreSQL store is for `charley serve` and `charley sessions`; give a SQLite file or memory here\n".utf8))
            throw ExitCode(1)
        case .memory:
            return MemorySessionStore(maximumSessions: memoryLimit)
        case .file(let file):
            path = file
        case nil:
            path = StateFolder.sessionStore()
        }
        do {
            let store = try SQLiteSessionStore(
                path: path, cacheLimit: cacheLimit, createFolder: store == nil,
                recover: storeRecover, durability: durability)
            if let aside = store.recoveredTo {
                FileHandle.standardError.write(Data("charley: the unusable session store was moved to \(aside); starting with an empty one\n".utf8))
            }
            return store
        } catch {
            FileHandle.standardError.write(Data("charley: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

extension SQLiteSessionStore.Durability: ExpressibleByArgument {}
