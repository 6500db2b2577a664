import Conversation
import Foundation
import Knowledge
import Understanding
import WireFormat

/// The protocol's version, reported by `hello`.
public let protocolVersion = 1

/// The error codes of docs/PROTOCOL.md.
public enum ErrorCode: String, Sendable, Codable, CaseIterable {
    case badJSON = "bad_json"
    case missingField = "missing_field"
    case lineTooLong = "line_too_long"
    case invalidUTF8 = "invalid_utf8"
    case unknownType = "unknown_type"
    case tooManySessions = "too_many_sessions"
    case tooManyConnections = "too_many_connections"
    case lineTimeout = "line_timeout"
    case textTooLong = "text_too_long"
    case storeUnavailable = "store_unavailable"
    case unknownSession = "unknown_session"
    case unknownFormat = "unknown_format"
}

struct ErrorReply: Encodable {
    struct Body: Encodable {
        var code: ErrorCode
        var message: String
    }
    var session: String?
    var error: Body

    init(session: String?, _ code: ErrorCode, _ message: String) {
        self.session = session
        self.error = Body(code: code, message: message)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(session, forKey: .session)
        try c.encode(error, forKey: .error)
    }
    enum CodingKeys: String, CodingKey { case session, error }
}

struct HelloReply: Encodable {
    var type = "hello"
    var session: String?
    var protocolVersion: Int
    var charley: String
    var knowledge: String

    enum CodingKeys: String, CodingKey {
        case type, session, charley, knowledge
        case protocolVersion = "protocol"
    }
}

struct SimpleReply: Encodable {
    var type: String
    var session: String?
}

/// `state`: what is known in a session, without its history.
struct StateReply: Encodable {
    var type = "state"
    var session: String
    var exists: Bool
    var stage: Stage?
    var slots: Slots?
    var triage: TriageLevel?
    var redFlags: [String]?
    var turns: Int?

    enum CodingKeys: String, CodingKey {
        case type, session, exists, stage, slots, triage, turns
        case redFlags = "red_flags"
    }
}

/// `report`: a session's report to take to the doctor, as a document a bridge can send as a file.
struct ReportReply: Encodable {
    var type = "report"
    var session: String
    var format: String
    /// text/html; charset=utf-8, text/plain; charset=utf-8 or image/svg+xml.
    var mediaType: String
    /// A file name to send it under (charley-report-20261205-1403.html).
    var filename: String
    var knowledge: String
    var report: String

    enum CodingKeys: String, CodingKey {
        case type, session, format, filename, knowledge, report
        case mediaType = "media_type"
    }
}

/// The reply of `charley serve --echo` (benchmarks only).
struct EchoReply: Encodable {
    var session: String
    var echo: String
}

/// `stats`: the daemon's metrics, by name, and the same in the Prometheus text format.
struct StatsReply: Encodable {
    struct Sample: Encodable {
        var labels: [String: String]
        var value: Double
    }
    var type = "stats"
    var session: String?
    var charley: String
    var knowledge: String
    var metrics: [String: [Sample]]
    var prometheus: String
}
