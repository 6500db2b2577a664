import Foundation
import SocketServer
import TestSupport
import Testing

@Suite("The daemon's report message, real process and real socket", .serialized)
struct ReportMessageTests {
    @Test("a session's report as HTML and as text, for a bridge to send as a file; errors for an unknown session or format")
    func report() throws {
        let daemon = try Daemon(["--store", "memory"])
        let client = try LineClient(path: daemon.socketPath)
        for text in ["my mum gets cramps in her left calf at night", "a few minutes", "most nights"] {
            client.send(json: ["session": "tg:9", "text": text])
            _ = try #require(client.readJSON())
        }
        client.send(json: ["type": "report", "session": "tg:9", "format": "html"])
        let html = try #require(client.readJSON())
        #expect(html["type"] as? String == "report")
        #expect(html["session"] as? String == "tg:9")
        #expect(html["format"] as? String == "html")
        #expect(html["media_type"] as? String == "text/html; charset=utf-8")
        #expect((html["filename"] as? String)?.hasSuffix(".html") == true)
        let page = try #require(html["report"] as? String)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("<svg") && !page.contains("<script"))
        #expect(page.contains("the calf") && page.contains("the left leg"))

        // Without a format: HTML. As text: the same findings, for her.
        client.send(json: ["type": "report", "session": "tg:9"])
        #expect(try #require(client.readJSON())["format"] as? String == "html")
        client.send(json: ["type": "report", "session": "tg:9", "format": "text"])
        let text = try #require(client.readJSON())
        #expect(text["media_type"] as? String == "text/plain; charset=utf-8")
        let words = try #require(text["report"] as? String)
        #expect(words.contains("Your mother: her cramps") && words.contains("not a diagnosis"))

        client.send(json: ["type": "report", "session": "never-seen", "format": "text"])
        let unknown = try #require(client.readJSON())
        #expect((unknown["error"] as? [String: Any])?["code"] as? String == "unknown_session")
        #expect(unknown["session"] as? String == "never-seen")
        client.send(json: ["type": "report", "session": "tg:9", "format": "pdf"])
        #expect(((try #require(client.readJSON()))["error"] as? [String: Any])?["code"] as? String == "unknown_format")
        client.send(json: ["type": "report", "format": "text"])
        #expect(((try #require(client.readJSON()))["error"] as? [String: Any])?["code"] as? String == "missing_field")

        // The conversation goes on after its report.
        client.send(json: ["session": "tg:9", "text": "years"])
        #expect(try #require(client.readJSON())["stage"] != nil)
        #expect(daemon.stop() == 0)
    }
}
