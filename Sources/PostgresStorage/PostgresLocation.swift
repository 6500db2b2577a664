import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL session store is: parsed from a URL in libpq's form, so that the value an
/// operator already gives psql works here.
///
/// - `postgres://USER:PASSWORD@HOST:PORT/DATABASE` (TCP; `?sslmode=require` for TLS)
/// - `postgres://USER@/DATABASE?host=/run/postgresql` (a Unix socket in that folder, on the
///   port's socket file `.s.PGSQL.PORT`)
///
/// `postgresql://` works the same. The password never appears in `redacted`, which is what
/// messages and logs show.
public struct PostgresLocation: Sendable, Equatable {
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case unixSocket(path: String)
    }

    public var endpoint: Endpoint
    public var username: String
    public var password: String?
    public var database: String
    public var requireTLS: Bool
    /// The URL as given, without its password.
    public var redacted: String

    /// Whether `text` is meant as a PostgreSQL URL (and not a SQLite file's path).
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public init(url text: String) throws(Invalid) {
        guard Self.isURL(text), let url = URLComponents(string: text) else {
            throw Invalid(
                description:
                    "'\(Self.redact(text))' is not a PostgreSQL URL; write postgres://USER:PASSWORD@HOST:PORT/DATABASE or postgres://USER@/DATABASE?host=/SOCKET/FOLDER"
            )
        }
        var shown = url
        if shown.password != nil { shown.password = nil }
        redacted = shown.string ?? Self.redact(text)
        var query: [String: String] = [:]
        for item in url.queryItems ?? [] {
            guard let value = item.value else {
                throw Invalid(description: "the parameter '\(item.name)' in \(redacted) has no value")
            }
            query[item.name] = value
        }
        let known: Set<String> = ["host", "port", "user", "password", "dbname", "sslmode"]
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
            throw Invalid(description: "unknown parameter '\(unknown)' in \(redacted); Charley reads host, port, user, password, dbname and sslmode")
        }
        let portText = query["port"] ?? url.port.map(String.init) ?? "5432"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw Invalid(description: "the port '\(portText)' in \(redacted) is not a port number")
        }
        username = (query["user"] ?? url.user).flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding } ?? "postgres"
        password = (query["password"] ?? url.password).flatMap { $0.removingPercentEncoding }
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        database = query["dbname"] ?? (path.isEmpty ? username : (path.removingPercentEncoding ?? path))
        let host = query["host"] ?? url.host.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding }
        if let host, host.hasPrefix("/") {
            endpoint = .unixSocket(path: host + "/.s.PGSQL.\(port)")
        } else if let host {
            endpoint = .tcp(host: host, port: port)
        } else {
            throw Invalid(description: "\(redacted) names no server: give a host (postgres://USER@HOST/DATABASE) or a socket folder (?host=/run/postgresql)")
        }
        switch query["sslmode"] ?? "disable" {
        case "disable": requireTLS = false
        case "require", "verify-full": requireTLS = true
        case let mode:
            throw Invalid(
                description: "sslmode '\(mode)' in \(redacted) is not one Charley knows; use disable or require (which also verifies the certificate)")
        }
        if requireTLS, case .unixSocket = endpoint {
            throw Invalid(description: "sslmode=require in \(redacted) asks for TLS over a Unix socket; leave it out for a socket")
        }
    }

    /// A URL's text with anything between '://USER:' and '@' hidden, for a URL too broken to parse.
    static func redact(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].lastIndex(of: "@") else { return text }
        let credentials = text[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + String(text[at...])
    }

    /// The pool's configuration.
    func clientConfiguration(maximumConnections: Int, connectTimeout: Duration) throws -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch endpoint {
        case .tcp(let host, let port):
            configuration = .init(
                host: host, port: port, username: username, password: password, database: database,
                tls: requireTLS ? .require(.makeClientConfiguration()) : .disable)
        case .unixSocket(let path):
            configuration = .init(unixSocketPath: path, username: username, password: password, database: database)
        }
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = connectTimeout
        return configuration
    }

    /// A single connection's configuration (the start-up check and migrations).
    func connectionConfiguration(connectTimeout: Duration) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch endpoint {
        case .tcp(let host, let port):
            configuration = .init(
                host: host, port: port, username: username, password: password, database: database,
                tls: requireTLS ? .require(try NIOSSLContext(configuration: .makeClientConfiguration())) : .disable)
        case .unixSocket(let path):
            configuration = .init(unixSocketPath: path, username: username, password: password, database: database)
        }
        configuration.options.connectTimeout = .nanoseconds(
            Int64(connectTimeout.components.seconds) * 1_000_000_000
                + connectTimeout.components.attoseconds / 1_000_000_000)
        return configuration
    }
}
