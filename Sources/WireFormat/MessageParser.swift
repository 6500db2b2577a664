/// A message's `type` (docs/PROTOCOL.md): one the protocol has, or another, kept as it was sent
/// for the `unknown_type` reply. A line without a type (or with `null`) is a `message`.
public enum MessageType: RawRepresentable, Codable, Hashable, Sendable {
    case message, reset, end, state, report, hello, ping, stats
    /// Any other name, as sent (the daemon answers `unknown_type`, naming it).
    case unknown(String)

    /// Every type the protocol has.
    public static let known: [MessageType] = [.message, .reset, .end, .state, .report, .hello, .ping, .stats]

    public init(rawValue: String) {
        switch rawValue {
        case "message": self = .message
        case "reset": self = .reset
        case "end": self = .end
        case "state": self = .state
        case "report": self = .report
        case "hello": self = .hello
        case "ping": self = .ping
        case "stats": self = .stats
        default: self = .unknown(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .message: "message"
        case .reset: "reset"
        case .end: "end"
        case .state: "state"
        case .report: "report"
        case .hello: "hello"
        case .ping: "ping"
        case .stats: "stats"
        case .unknown(let name): name
        }
    }
}

/// A client's message: the members of its line that Charley reads.
public struct ClientMessage: Decodable, Sendable, Equatable {
    public var session: String?
    public var text: String?
    public var type: MessageType?
    /// The request's id (optional): the same session and id sent again get the reply already
    /// given instead of a second turn.
    public var id: String?
    /// A report's format (`{"type": "report", "format": "html"}`).
    public var format: String?

    public init(session: String? = nil, text: String? = nil, type: MessageType? = nil, id: String? = nil, format: String? = nil) {
        self.session = session
        self.text = text
        self.type = type
        self.id = id
        self.format = format
    }
}

/// Reads a client's line: one JSON object whose `session`, `text`, `type`, `id` and `format` members are
/// strings (or null), any other members being any JSON value, skipped. Standard JSON, plus one
/// leniency Foundation's parsers also allow: a comma before a closing brace or bracket. Written for this one
/// shape because Foundation's `JSONDecoder` cost more than the whole transport of a message;
/// tests hold it to `JSONSerialization`'s verdict on valid and broken input.
///
/// The line is read where it lies (no copy of it) and its UTF-8 is checked once: outside strings
/// JSON allows ASCII only, and each string's bytes are checked as they become a `String`. Only a
/// line that fails is checked as a whole, to tell `.notUTF8` from `.invalid`.
public struct MessageParser {
    public enum Failure: Error {
        /// Not a JSON object of the protocol's shape (but valid UTF-8).
        case invalid
        /// Not valid UTF-8 (whatever else is wrong with it).
        case notUTF8
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The message; `.notUTF8` when the line is not UTF-8, else `.invalid` when it is not such
    /// an object.
    public static func parse(_ line: [UInt8]) throws(Failure) -> ClientMessage {
        let result: Result<ClientMessage, Failure> = line.withUnsafeBufferPointer { buffer in
            Result { () throws(Failure) in try parse(buffer) }
        }
        return try result.get()
    }

    /// The same, over bytes that stay where they are (a line in the connection's buffer).
    public static func parse(_ line: UnsafeRawBufferPointer) throws(Failure) -> ClientMessage {
        try parse(line.assumingMemoryBound(to: UInt8.self))
    }

    /// The same, over bytes that stay where they are.
    public static func parse(_ line: UnsafeBufferPointer<UInt8>) throws(Failure) -> ClientMessage {
        var parser = MessageParser(line)
        do {
            return try parser.message()
        } catch {
            // Only here, on the way out, is the whole line checked: a line that is not UTF-8
            // is that, wherever the parser stopped.
            throw String(validating: line, as: UTF8.self) == nil ? .notUTF8 : .invalid
        }
    }

    private mutating func message() throws(Failure) -> ClientMessage {
        var message = ClientMessage()
        skipSpace()
        guard peek() == UInt8(ascii: "{") else { throw .invalid }
        try list(closing: UInt8(ascii: "}")) { parser throws(Failure) in
            let key = try parser.member()
            switch key {
            case "session": message.session = try parser.stringOrNull()
            case "text": message.text = try parser.stringOrNull()
            case "type": message.type = try parser.stringOrNull().map(MessageType.init(rawValue:))
            case "id": message.id = try parser.stringOrNull()
            case "format": message.format = try parser.stringOrNull()
            default: try parser.skipValue(depth: 0)
            }
        }
        skipSpace()
        guard position == bytes.count else { throw .invalid }
        return message
    }

    // MARK: - Objects and arrays

    /// An object's members or an array's elements, from the opening bracket (at `position`)
    /// through `close`, each read by `item`; a comma before `close` is allowed.
    private mutating func list(closing close: UInt8, _ item: (inout MessageParser) throws(Failure) -> Void) throws(Failure) {
        position += 1
        skipSpace()
        if peek() == close {
            position += 1
            return
        }
        var afterComma = false
        while true {
            skipSpace()
            if afterComma && peek() == close {
                position += 1
                return
            }
            try item(&self)
            skipSpace()
            let next = try take()
            if next == close { return }
            guard next == UInt8(ascii: ",") else { throw .invalid }
            afterComma = true
        }
    }

    /// A member's key and its colon; the value comes next.
    private mutating func member() throws(Failure) -> String {
        let key = try string()
        skipSpace()
        try expect(UInt8(ascii: ":"))
        skipSpace()
        return key
    }

    // MARK: - Values

    private mutating func stringOrNull() throws(Failure) -> String? {
        if peek() == UInt8(ascii: "n") {
            try literal("null")
            return nil
        }
        return try string()
    }

    /// A string, its UTF-8 checked as it is made: in one piece straight from the line when it
    /// has no escapes, else from the pieces between them (split at ASCII bytes, so each piece is
    /// valid exactly when the whole is).
    private mutating func string() throws(Failure) -> String {
        try expect(UInt8(ascii: "\""))
        var out: String?
        var run = position
        while true {
            guard position < bytes.count else { throw .invalid }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let piece = try text(run..<position)
                position += 1
                guard var whole = out else { return piece }
                whole += piece
                return whole
            }
            guard byte >= 0x20 else { throw .invalid }
            if byte != UInt8(ascii: "\\") {
                position += 1
                continue
            }
            var whole = out ?? ""
            out = nil
            whole += try text(run..<position)
            position += 1
            let escape = try take()
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): whole.unicodeScalars.append(Unicode.Scalar(escape))
            case UInt8(ascii: "b"): whole.unicodeScalars.append("\u{08}")
            case UInt8(ascii: "f"): whole.unicodeScalars.append("\u{0C}")
            case UInt8(ascii: "n"): whole.unicodeScalars.append("\n")
            case UInt8(ascii: "r"): whole.unicodeScalars.append("\r")
            case UInt8(ascii: "t"): whole.unicodeScalars.append("\t")
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate must be followed by a low one.
                    guard try take() == UInt8(ascii: "\\"), try take() == UInt8(ascii: "u") else { throw .invalid }
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw .invalid }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw .invalid
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw .invalid }
                whole.unicodeScalars.append(unicode)
            default:
                throw .invalid
            }
            out = whole
            run = position
        }
    }

    /// The bytes in `range` as a string: the one UTF-8 check they get.
    private func text(_ range: Range<Int>) throws(Failure) -> String {
        guard let text = String(validating: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) else { throw .invalid }
        return text
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = try take()
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw .invalid
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Any JSON value, checked and passed over.
    private mutating func skipValue(depth: Int) throws(Failure) {
        guard depth < 64 else { throw .invalid }
        switch peek() {
        case UInt8(ascii: "\""):
            _ = try string()
        case UInt8(ascii: "{"):
            try list(closing: UInt8(ascii: "}")) { parser throws(Failure) in
                _ = try parser.member()
                try parser.skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "["):
            try list(closing: UInt8(ascii: "]")) { parser throws(Failure) in try parser.skipValue(depth: depth + 1) }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: try number()
        }
    }

    private mutating func number() throws(Failure) {
        let start = position
        try scanNumber()
        // As Foundation does: a number too large for a Double is not accepted.
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw .invalid }
    }

    private mutating func scanNumber() throws(Failure) {
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), isDigit(first) else { throw .invalid }
        position += 1
        if first != UInt8(ascii: "0") { while let byte = peek(), isDigit(byte) { position += 1 } }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard let byte = peek(), isDigit(byte) else { throw .invalid }
            while let byte = peek(), isDigit(byte) { position += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard let byte = peek(), isDigit(byte) else { throw .invalid }
            while let byte = peek(), isDigit(byte) { position += 1 }
        }
    }

    // MARK: - Bytes

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func take() throws(Failure) -> UInt8 {
        guard position < bytes.count else { throw .invalid }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func expect(_ byte: UInt8) throws(Failure) {
        guard try take() == byte else { throw .invalid }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        for expected in UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount) {
            guard try take() == expected else { throw .invalid }
        }
    }

    private mutating func skipSpace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d { position += 1 }
    }
}
