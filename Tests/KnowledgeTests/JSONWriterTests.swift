import Foundation
import TestSupport
import Testing
import WireFormat

@testable import Knowledge

@Suite("JSONWriter")
struct JSONWriterTests {
    @Test("strings are escaped exactly as ContractJSON (JSONEncoder) escapes them, on seeded random text")
    func escapingAgreesWithFoundation() throws {
        var random = SeededRandom(seed: 0x15)
        // Plain letters (long runs, the eight-byte path), every character that must be escaped,
        // slashes (left alone), and characters of two, three and four UTF-8 bytes.
        let pieces: [String] = [
            "a", "b", "plain text ", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{8}",
            "\u{c}", "\u{1f}", " ", "\u{7f}", "é", "€", "😩", "\u{2028}"
        ]
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 0...40, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            var out = JSONWriter()
            out.beginArray()
            out.string(text)
            out.endArray()
            #expect(out.bytes == Array(try ContractJSON.data([text])), "\(text.debugDescription)")
        }
    }

    @Test("numbers are written as JSONEncoder writes them: hundredths, other doubles, integers")
    func numbersAgreeWithFoundation() throws {
        var random = SeededRandom(seed: 0x16)
        var doubles: [Double] = [
            0, -0.0, 1, -1, 0.5, 0.05, 0.1, 0.99, 1.01, 100, 12.3, -7.07, 1e-3, 1.0 / 3, 0.125,
            1e11, 1e12 + 0.5, 123_456_789.01, 1e15, 1e16, 2e300, .leastNonzeroMagnitude, .pi
        ]
        for _ in 0..<3_000 {
            let hundredths = Double(Int.random(in: -100_000...100_000, using: &random))
            doubles.append(hundredths / 100)
            doubles.append((1 / (1 + exp(-Double.random(in: -8...8, using: &random))) * 100).rounded() / 100)
            doubles.append(Double.random(in: -1000...1000, using: &random))
        }
        for value in doubles {
            var out = JSONWriter()
            out.beginArray()
            out.double(value)
            out.endArray()
            #expect(out.bytes == Array(try ContractJSON.data([value])), "\(value)")
        }
        for value in [0, 7, -7, 10, 1_234_567_890, Int.max, Int.min] + (0..<200).map({ _ in Int.random(in: -1_000_000...1_000_000, using: &random) }) {
            var out = JSONWriter()
            out.beginArray()
            out.int(value)
            out.endArray()
            #expect(out.bytes == Array(try ContractJSON.data([value])), "\(value)")
        }
    }

    @Test("documents nest and separate members as JSONEncoder does")
    func structure() throws {
        var out = JSONWriter()
        out.beginObject()
        out.key("a")
        out.beginArray()
        out.int(1)
        out.double(2.5)
        out.bool(true)
        out.null()
        out.endArray()
        out.key("b")
        out.beginObject()
        out.key("c")
        out.strings(["x", "y"])
        out.endObject()
        out.key("d")
        out.beginArray()
        out.endArray()
        out.endObject()
        #expect(String(decoding: out.bytes, as: UTF8.self) == #"{"a":[1,2.5,true,null],"b":{"c":["x","y"]},"d":[]}"#)
    }
}
