import Foundation
import Testing
import TestSupport
@testable import Knowledge

@Suite("JSONWriter")
struct JSONWriterTests {
    @Test("strings are escaped exactly as ContractJSON (JSONEncoder) escapes them, on seeded random text")
    func escapingAgreesWithFoundation() throws {
        var random = SeededRandom(seed: 0x15)
        // Plain letters (long runs, the eight-byte path), every character that must be escaped,
        // slashes (left alone), and characters of two, three and four UTF-8 bytes.
        let pieces: [String] = ["a", "b", "plain text ", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{8}",
                                "\u{c}", "\u{1f}", " ", "\u{7f}", "é", "€", "😩", "\u{2028}"]
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 0...40, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            var out = JSONWriter()
            out.beginArray()
            out.string(text)
            out.endArray()
            #expect(out.bytes == Array(try ContractJSON.data([text])), "\(text.debugDescription)")
        }
    }

    @Test("documents nest and separate members as JSONEncoder does")
    func structure() throws {
        var out = JSONWriter()
        out.beginObject()
        out.key("a"); out.beginArray(); out.int(1); out.double(2.5); out.bool(true); out.null(); out.endArray()
        out.key("b"); out.beginObject(); out.key("c"); out.strings(["x", "y"]); out.endObject()
        out.key("d"); out.beginArray(); out.endArray()
        out.endObject()
        #expect(String(decoding: out.bytes, as: UTF8.self) == #"{"a":[1,2.5,true,null],"b":{"c":["x","y"]},"d":[]}"#)
    }
}
