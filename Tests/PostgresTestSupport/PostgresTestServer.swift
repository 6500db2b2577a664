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

    static func admin(_ url: String, _ body: (PostgresConnection, Logger) async throws -> Void) async throws {
        guard let components = URLComponents(string: url),
              let folder = components.queryItems?.first(where: { $0.name == "host" })?.value else { throw Missing() }
        let database = String(components.path.dropFirst())
        let logger = Logger(label: "charley.tests.postgres")
        let configuration = PostgresConnection.Configuration(unixSocketPath: folder + "/.s.PGSQL.5432",
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
