import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL server the tests use: `CHARLEY_TEST_POSTGRES`, a URL such as
/// `postgres://postgres@/charley?host=/tmp/pg.X` (`.ci/run` starts a throwaway cluster and sets
/// it; `scripts/postgres-cluster start DIR` does the same by hand). Without it the suites that
/// need a server are skipped with that message, except under CI, where a test fails instead.
public enum PostgresTestServer {
    public static let url: String? = ProcessInfo.processInfo.environment["CHARLEY_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }

    public static let isAvailable = url != nil

    public static let skipReason = """
        CHARLEY_TEST_POSTGRES is not set, so the PostgreSQL tests are skipped: start a server with \
        `scripts/postgres-cluster start DIR` and export the URL it prints (.ci/run does this)
        """

    /// Whether a missing server must fail the run (CI=true or CI=1).
    public static let isRequired: Bool = {
        let ci = ProcessInfo.processInfo.environment["CI"] ?? ""
        return !ci.isEmpty && ci != "0" && ci.lowercased() != "false"
    }()

    /// The socket folder of the server's URL (`?host=DIR`), for pgbench and psql.
    public static var socketFolder: String? {
        guard let url, let components = URLComponents(string: url) else { return nil }
        return components.queryItems?.first { $0.name == "host" }?.value
    }

    /// Stores that cannot be used, each with the words its error must hold: no server (a socket
    /// folder that does not exist), a refused port, and no such database on the test server.
    /// Each has the password "pw", which no error may show.
    public static var unusableStores: [(url: String, expected: String)] {
        [
            ("postgres://postgres:pw@/charley?host=/nonexistent-charley", "cannot connect"),
            ("postgres://postgres:pw@127.0.0.1:1/charley", "cannot connect"),
            ("postgres://postgres:pw@/no_such_db?host=\(socketFolder ?? "/nonexistent-charley")", "does not exist")
        ]
    }

    /// Makes an empty database of its own for one test and returns its URL: tests run in
    /// parallel and must not see each other's sessions.
    public static func freshDatabase(_ label: String) async throws -> String {
        guard let url, var components = URLComponents(string: url) else { throw Missing() }
        let name = "t_" + label.lowercased().filter { $0.isLetter || $0.isNumber } + "_" + String(UUID().uuidString.prefix(8)).lowercased()
        try await admin(url) { connection, logger in
            _ = try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        components.path = "/" + name
        return components.string!
    }

    /// Runs SQL on the database of `url` (tests that change a schema by hand).
    public static func execute(_ url: String, _ sql: String) async throws {
        try await admin(url) { connection, logger in
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        }
    }

    /// The first column of the first row of a query, as text.
    public static func scalar(_ url: String, _ sql: String) async throws -> String? {
        var value: String?
        try await admin(url) { connection, logger in
            for try await text in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(String?.self) {
                value = text
                break
            }
        }
        return value
    }

    struct Missing: Error {}

    /// A cluster of a test's own (one that the test stops and starts), from
    /// `scripts/postgres-cluster`; nil where that cannot run (no PostgreSQL 15 binaries, or
    /// neither root nor the postgres user).
    public final class PrivateCluster: @unchecked Sendable {
        public let folder: String
        public let port: Int
        public private(set) var url = ""
        static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/postgres-cluster").path

        public init(port: Int) throws {
            self.port = port
            folder = "/tmp/charley-pg-\(UUID().uuidString.prefix(6))"
            url = try run("start").trimmingCharacters(in: .whitespacesAndNewlines)
        }

        public func stop() throws { _ = try run("stop") }

        public func start() throws { _ = try run("start") }

        /// Runs the script with posix_spawn and waitpid: Foundation's `Process.waitUntilExit` was
        /// seen to hang here after the script had exited (the server it starts lives on).
        @discardableResult
        func run(_ command: String) throws -> String {
            let output = folder + ".out"
            let arguments = ["/bin/bash", Self.script, command, folder, String(port)]
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
            defer { for pointer in argv { free(pointer) } }
            var pid: pid_t = 0
            guard posix_spawn(&pid, "/bin/bash", &actions, nil, &argv, environ) == 0 else { throw Failed(command: command, status: -1) }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            unlink(output)
            // Exited normally with status 0.
            guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else { throw Failed(command: command, status: status) }
            return text
        }

        public struct Failed: Error {
            public var command: String
            public var status: Int32
        }

        deinit {
            _ = try? run("stop")
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    static func admin(_ url: String, _ body: (PostgresConnection, Logger) async throws -> Void) async throws {
        guard let components = URLComponents(string: url),
            let folder = components.queryItems?.first(where: { $0.name == "host" })?.value
        else { throw Missing() }
        let database = String(components.path.dropFirst())
        let port = components.queryItems?.first(where: { $0.name == "port" })?.value ?? "5432"
        let logger = Logger(label: "charley.tests.postgres")
        let configuration = PostgresConnection.Configuration(
            unixSocketPath: folder + "/.s.PGSQL.\(port)",
            username: components.user ?? "postgres", password: nil,
            database: database.isEmpty ? "charley" : database)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            try await body(connection, logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}
