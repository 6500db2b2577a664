import Foundation
import TestSupport
import Testing
import WireFormat

@testable import SocketServer

@Suite("Reading a client's line")
struct MessageParserTests {
    /// What Foundation's JSONSerialization makes of the line, the reference the parser is held
    /// to. (Foundation's JSONDecoder is laxer: it takes trailing commas, "01" and "1." and bad
    /// escapes in members it does not decode; the protocol follows the JSON standard.)
    func reference(_ line: String) -> ClientMessage? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
        var message = ClientMessage()
        for (key, path) in [("session", \ClientMessage.session), ("text", \ClientMessage.text), ("id", \ClientMessage.id)] {
            switch object[key] {
            case nil, is NSNull: break
            case let text as String: message[keyPath: path] = text
            default: return nil
            }
        }
        switch object["type"] {
        case nil, is NSNull: break
        case let text as String: message.type = MessageType(rawValue: text)
        default: return nil
        }
        return message
    }

    func parsed(_ line: String) -> ClientMessage? {
        try? MessageParser.parse(Array(line.utf8))
    }

    func same(_ a: ClientMessage?, _ b: ClientMessage?) -> Bool {
        a?.session == b?.session && a?.text == b?.text && a?.type == b?.type && a?.id == b?.id && (a == nil) == (b == nil)
    }

    static let lines = [
        #"{"session":"tg:1","text":"my calf cramps"}"#,
        #"  { "session" : "a" , "text" : "hi" , "type" : "message" }  "#,
        #"{"type":"ping"}"#, #"{}"#, #"{"session":null,"text":null}"#,
        #"{"session":"x","text":"quote \" backslash \\ slash \/ tab \t nl \n cr \r bs \b ff \f"}"#,
        #"{"session":"x","text":"\u00e9\u20ac \ud83e\uddb5 \u0041"}"#,
        #"{"session":"x","text":"é € 🦵 straight UTF-8"}"#,
        #"{"session":"x","extra":{"a":[1,2.5,-3e10,true,false,null,{"b":"c"}],"d":[]},"text":"t"}"#,
        #"{"session":"x","n":0,"m":-0.5,"e":1E+2,"f":1e-7}"#,
        // Broken, each in its own way.
        #"{"session":"x",}"#, #"{"session" "x"}"#, #"{'session':'x'}"#, #"{"session":"x"#, #"{"session":"x"} junk"#,
        #"["session","x"]"#, #""just a string""#, #"42"#, #"{"session":"bad \q escape"}"#, #"{"session":"\ud83e alone"}"#,
        #"{"session":"\udd75 low first"}"#, #"{"session":"x","n":01}"#, #"{"session":"x","n":1.}"#, #"{"session":"x","n":-}"#,
        #"{"session":"x","n":1e}"#, #"{"session":"x","n":.5}"#, #"{"session":"x","v":tru}"#, #"{"session":"x","v":nul}"#,
        #"{"session":5}"#, #"{"text":["a"]}"#, #"{"type":{"a":1}}"#, #"{"session":"x""text":"y"}"#, #"{,}"#, #"{"a":1,,"b":2}"#,
        "{\"session\":\"tab\there\"}", "{\"session\":\"x\"}\u{0}", #"{"session":"x","a":[1,]}"#, #"{"session":"x","a":{"b":1,}}"#,
        #"{"session":"x","big":-3e910}"#, #"{"session":"x","big":1e308}"#, #"{"session":"\u12"}"#, #"{"session":"\u12G4"}"#, "", " ", "{", "}", #"{"a":"#
    ]

    @Test("agrees with Foundation's JSONSerialization on valid and broken lines", arguments: lines)
    func agrees(_ line: String) {
        #expect(same(parsed(line), reference(line)), "parser \(String(describing: parsed(line))) vs Foundation \(String(describing: reference(line)))")
    }

    @Test("agrees with Foundation's JSONSerialization on 5,000 randomly damaged lines")
    func damaged() {
        var generator = SeededRandom(seed: 20_261_122)
        let alphabet = Array(#"{}[]:,"\ ntrufalse0123456789.-+eEu"#.utf8)
        var disagreements: [String] = []
        for _ in 0..<5000 {
            var bytes = Array(Self.lines[Int.random(in: 0..<10, using: &generator)].utf8)
            for _ in 0..<Int.random(in: 1...3, using: &generator) where !bytes.isEmpty {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[index] = alphabet.randomElement(using: &generator)!
                case 1: bytes.remove(at: index)
                default: bytes.insert(alphabet.randomElement(using: &generator)!, at: index)
                }
            }
            guard let line = String(validating: bytes, as: UTF8.self) else { continue }
            if !same(parsed(line), reference(line)) { disagreements.append(line) }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
    }

    @Test("a message's type: each the protocol has, by its name; any other kept as sent; none is a message")
    func types() throws {
        for type in MessageType.known {
            #expect(MessageType(rawValue: type.rawValue) == type)
            #expect(parsed(#"{"type":"\#(type.rawValue)"}"#)?.type == type)
        }
        #expect(MessageType.known.map(\.rawValue) == ["message", "reset", "end", "state", "report", "hello", "ping", "stats"])
        for name in ["dance", "", "Ping", "ping ", "unknown"] {
            #expect(MessageType(rawValue: name) == .unknown(name))
            #expect(MessageType(rawValue: name).rawValue == name)
        }
        #expect(try #require(parsed(#"{"type":"d\u0061nce"}"#)).type == .unknown("dance"))
        #expect(try #require(parsed(#"{"type":null}"#)).type == nil)
        #expect(try #require(parsed(#"{}"#)).type == nil)
    }

    @Test("UTF-8 is checked once, and a line that is not UTF-8 is told from one that is not JSON")
    func utf8() throws {
        func failure(_ bytes: [UInt8]) -> MessageParser.Failure? {
            do {
                _ = try MessageParser.parse(bytes)
                return nil
            } catch {
                return error
            }
        }
        let open = Array(#"{"session":"x","text":""#.utf8)
        let close = Array(#""}"#.utf8)
        // Not UTF-8: in a member's string, in a skipped one, after an escape, in a key, outside
        // any string, and in a line broken anyway.
        var broken: [[UInt8]] = [open + [0xff] + close, open + [0xc3] + close, open + [0xed, 0xa0, 0x80] + close]
        broken.append(Array(#"{"other":""#.utf8) + [0xfe] + close)
        broken.append(open + Array(#"a\n"#.utf8) + [0xe2, 0x82] + close)
        broken.append(Array(#"{""#.utf8) + [0xc0, 0xaf] + Array(#"":1}"#.utf8))
        broken.append(Array(#"{"session":"x"}"#.utf8) + [0x80])
        broken.append([0xff, 0xfe, 0x22])
        broken.append(Array("{not json ".utf8) + [0xf8])
        for bytes in broken {
            #expect(failure(bytes) == .notUTF8, "\(bytes)")
        }
        // UTF-8, not JSON of the protocol.
        for line in ["{not json", #"{"session":"é"#, #"{"session":"é"} €"#, "€", #"{"session":"\u00"}"#] {
            #expect(failure(Array(line.utf8)) == .invalid, "\(line)")
        }
        // Strings with and without escapes, in every mix, come out whole.
        let text = #"é \" € \u00e9\n🦵 \ud83e\uddb5 end"#
        let message = try MessageParser.parse(Array(#"{"session":"s€","text":"\#(text)","type":"\u0070ing"}"#.utf8))
        #expect(message.session == "s€")
        #expect(message.text == "é \" € é\n🦵 🦵 end")
        #expect(message.type == .ping)
        let bytes = Array(#"{"session":"a","text":"b"}"#.utf8)
        let inPlace = try bytes.withUnsafeBytes { raw in try MessageParser.parse(raw) }
        #expect(try inPlace == MessageParser.parse(bytes))
    }

    @Test("nesting is bounded")
    func deep() {
        let line = #"{"session":"x","a":"# + String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000) + "}"
        #expect(parsed(line) == nil)
    }
}
