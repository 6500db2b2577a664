import ArgumentParser
import Conversation
import Foundation
import PostgresStorage
import Storage

/// The session-store flags shared by `serve`, `chat --resume` and `sessions`.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("store"), help: ArgumentHelp(
        "The session store: a SQLite file, 'memory' (nothing kept after exit), or a PostgreSQL URL that several daemons share (postgres://USER:PASSWORD@HOST:PORT/DATABASE, or postgres://USER@/DATABASE?host=/SOCKET/FOLDER). Or CHARLEY_STORE.",
        discussion: "Default: $XDG_STATE_HOME/charley/sessions.sqlite, else ~/.local/state/charley/sessions.sqlite.",
        valueName: "path|memory|url"))
    var storeOption: String?

    @Option(help: "With a PostgreSQL store: the most connections this process opens to it.")
    var storeConnections = 10

    /// The store given with --store, else in CHARLEY_STORE.
    var store: String? {
        storeOption ?? ProcessInfo.processInfo.environment["CHARLEY_STORE"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether the store is a PostgreSQL server.
    var isPostgres: Bool { store.map(PostgresLocation.isURL) ?? false }

    /// Opens a PostgreSQL store (its pool is not running yet), or exits with a message that names
    /// the URL without its password.
    func openShared() throws -> PostgresSessionStore {
        do {
            return try PostgresSessionStore(url: store ?? "", maximumConnections: storeConnections)
        } catch {
            FileHandle.standardError.write(Data("charley: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    @Flag(help: "If the store file cannot be used (corrupt, not a database, from a newer Charley), move it aside to PATH.unusable-TIME and start with an empty one.")
    var storeRecover = false

    @Option(help: "full: every commit is on disk before the reply (survives a power cut); normal: survives a crash of Charley, a power cut may lose the last turns.")
    var durability: SQLiteSessionStore.Durability = .full

    var isMemory: Bool { store == "memory" }

    var path: String { store ?? StateFolder.sessionStore() }

    /// Opens the store, or exits with the store's own message (it names the file and the way out).
    func open(cacheLimit: Int = 100_000, memoryLimit: Int = .max) throws -> any SessionStore {
        if isPostgres {
            FileHandle.standardError.write(Data("charley: a PostgreSQL store is for `charley serve` and `charley sessions`; give a SQLite file or memory here\n".utf8))
            throw ExitCode(1)
        }
        if isMemory { return MemorySessionStore(maximumSessions: memoryLimit) }
        do {
            let store = try SQLiteSessionStore(path: path, cacheLimit: cacheLimit, createFolder: store == nil,
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
