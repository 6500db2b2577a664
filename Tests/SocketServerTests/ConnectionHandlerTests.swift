import Conversation
import Foundation
import Logging
import NIOCore
import NIOEmbedded
import TestSupport
import Testing

@testable import SocketServer

/// The connection's handlers on an `EmbeddedChannel`: bytes in, reply lines out, no socket and no
/// process. (The process tests in SocketServerTests.swift cover the same ground end to end.)
@Suite("A connection's handlers, on an EmbeddedChannel")
struct ConnectionHandlerTests {
    static let conversation: Conversation = {
        do { return try Conversation.bundled() } catch { fatalError("the conversation does not load: \(error)") }
    }()

    /// A connected channel with the daemon's pipeline: the unfinished-line watch, the framer and
    /// the connection handler. `echo`: a message is answered with its own text, at once (the
    /// engine's turns commit on the store's thread, which an EmbeddedChannel must not be used from).
    static func channel(maximumLineBytes: Int = 1024, echo: Bool = true, admitted: Bool = true) throws -> EmbeddedChannel {
        var configuration = ServerConfiguration(socketPath: "/nonexistent/c.sock")
        configuration.maximumLineBytes = maximumLineBytes
        configuration.echo = echo
        configuration.metrics = false
        let server = CharleyServer(
            configuration: configuration, conversation: conversation, version: "test",
            logger: Logger(label: "test"))
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([
            UnfinishedLineWatch(timeout: configuration.lineTimeout),
            ByteToMessageHandler(LineFramer(maximumLength: maximumLineBytes)),
            ConnectionHandler(server: server, admitted: admitted)
        ])
        try channel.connect(to: SocketAddress(unixDomainSocketPath: "/nonexistent/c.sock")).wait()
        return channel
    }

    static func send(_ channel: EmbeddedChannel, _ bytes: [UInt8]) throws {
        try channel.writeInbound(ByteBuffer(bytes: bytes))
    }

    static func send(_ channel: EmbeddedChannel, line: String) throws {
        try send(channel, Array(line.utf8) + [0x0a])
    }

    /// Every reply written so far, one JSON object per line, once the loop has run what it had
    /// scheduled (the rest of a read's lines, after its time slice).
    static func replies(_ channel: EmbeddedChannel) throws -> [[String: Any]] {
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(100))
        var bytes: [UInt8] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { bytes += buffer.readableBytesView }
        #expect(bytes.isEmpty || bytes.last == 0x0a, "every reply ends its line")
        return try bytes.split(separator: 0x0a).map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
        }
    }

    static func code(_ reply: [String: Any]?) -> String? {
        (reply?["error"] as? [String: Any])?["code"] as? String
    }

    @Test("a line in, its reply out; several lines in one read, answered in order")
    func linesInRepliesOut() throws {
        let channel = try Self.channel()
        try Self.send(channel, line: #"{"type":"ping","session":"p"}"#)
        let pong = try Self.replies(channel)
        #expect(pong.count == 1)
        #expect(pong.first?["type"] as? String == "pong")
        #expect(pong.first?["session"] as? String == "p")
        try Self.send(
            channel, Array(#"{"session":"a","text":"one"}"#.utf8) + [0x0d, 0x0a] + Array("{\"session\":\"b\",\"text\":\"two\"}\n{\"type\":\"hello\"}\n".utf8))
        let replies = try Self.replies(channel)
        #expect(replies.map { $0["session"] as? String } == ["a", "b", nil])
        #expect(replies.prefix(2).map { $0["echo"] as? String } == ["one", "two"])
        #expect(replies.last?["type"] as? String == "hello")
        #expect(replies.last?["protocol"] as? Int == protocolVersion)
        #expect(try channel.finish().isClean)
    }

    @Test("a line in pieces is answered once its newline comes")
    func lineInPieces() throws {
        let channel = try Self.channel()
        for piece in [#"{"sess"#, #"ion":"s","te"#, #"xt":"in pieces"}"#] {
            try Self.send(channel, Array(piece.utf8))
            #expect(try Self.replies(channel).isEmpty)
        }
        try Self.send(channel, [0x0a])
        #expect(try Self.replies(channel).first?["echo"] as? String == "in pieces")
        _ = try channel.finish()
    }

    @Test("malformed JSON, an overlong line, binary junk and an empty line: each an error reply, and the connection goes on")
    func badLines() throws {
        let channel = try Self.channel(maximumLineBytes: 256)
        for line in [
            "{not json", #"{"session":"x","text":"unterminated}"#, "[1,2]", #"{"session":"x","text":"a"} trailing"#,
            #"{"session":1,"text":"a"}"#
        ] {
            try Self.send(channel, line: line)
            let replies = try Self.replies(channel)
            #expect(replies.count == 1, "\(line)")
            #expect(Self.code(replies.first) == "bad_json", "\(line)")
        }
        try Self.send(channel, line: "  \t")
        #expect(Self.code(try Self.replies(channel).first) == "bad_json")

        // Over the limit: one error, whether the line comes at once or in pieces; the rest of it
        // up to its newline is dropped.
        try Self.send(channel, line: String(repeating: "x", count: 300))
        #expect(try Self.replies(channel).map(Self.code) == ["line_too_long"])
        try Self.send(channel, Array(repeating: UInt8(ascii: "y"), count: 200))
        try Self.send(channel, Array(repeating: UInt8(ascii: "y"), count: 200))
        try Self.send(channel, Array(repeating: UInt8(ascii: "y"), count: 200) + [0x0a])
        #expect(try Self.replies(channel).map(Self.code) == ["line_too_long"])

        // Not UTF-8: in a string, outside one, and in a line that is not JSON either.
        for bytes: [UInt8] in [
            Array(#"{"session":"x","text":""#.utf8) + [0xff, 0xfe] + Array(#""}"#.utf8),
            Array(#"{"session":"x"}"#.utf8) + [0xc3],
            [0xff, 0xfe, 0x22]
        ] {
            try Self.send(channel, bytes + [0x0a])
            #expect(try Self.replies(channel).map(Self.code) == ["invalid_utf8"], "\(bytes)")
        }

        // Binary junk: every line of it gets exactly one error reply.
        var generator = SeededRandom(seed: 21)
        var junk = (0..<4000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        junk.append(0x0a)
        let lines = junk.split(separator: 0x0a, omittingEmptySubsequences: false).dropLast().count
        try Self.send(channel, junk)
        let replies = try Self.replies(channel)
        #expect(replies.count == lines)
        #expect(replies.allSatisfy { ["bad_json", "invalid_utf8", "line_too_long"].contains(Self.code($0) ?? "") })

        try Self.send(channel, line: #"{"session":"x","type":"dance"}"#)
        let unknown = try Self.replies(channel).first
        #expect(Self.code(unknown) == "unknown_type")
        #expect(
            (unknown?["error"] as? [String: Any])?["message"] as? String == "unknown type 'dance'; use message, reset, end, state, report, hello, ping or stats"
        )
        try Self.send(channel, line: #"{"text":"no session"}"#)
        #expect(Self.code(try Self.replies(channel).first) == "missing_field")
        try Self.send(channel, line: #"{"session":"x","text":"still here"}"#)
        #expect(try Self.replies(channel).first?["echo"] as? String == "still here", "the connection still works")
        _ = try channel.finish()
    }

    @Test("a connection over the limit gets one error line and is closed")
    func refused() throws {
        let channel = try Self.channel(admitted: false)
        #expect(try Self.replies(channel).map(Self.code) == ["too_many_connections"])
        #expect(!channel.isActive)
        _ = try? channel.finish()
    }

    @Test("told to quiesce (shutdown), a connection answers the lines it has and then closes itself")
    func quiesce() throws {
        let channel = try Self.channel()
        try Self.send(channel, line: #"{"session":"q","text":"before"}"#)
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        // A line the loop reads before its next turn is still answered.
        try Self.send(channel, line: #"{"session":"q","text":"just before"}"#)
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(try Self.replies(channel).map { $0["echo"] as? String } == ["before", "just before"])
        #expect(!channel.isActive, "closed once everything it read is answered")
    }
}
