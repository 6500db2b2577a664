import Foundation
import Testing
import TestSupport
@testable import SocketServer
import WireFormat

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
        #"{"session":"x","big":-3e910}"#, #"{"session":"x","big":1e308}"#, #"{"session":"\u12"}"#, #"{"session":"\u12G4"}"#, "", " ", "{", "}", #"{"a":"#,
    ]

    @Test("agrees with Foundation's JSONSerialization on valid and broken lines", arguments: lines)
    func agrees(_ line: String) {
        #expect(same(parsed(line), reference(line)), "parser \(String(describing: parsed(line))) vs Foundation \(String(describing: reference(line)))")
    }

    @Test("agrees with Foundation's JSONSerialization on 5,000 randomly damaged lines")
    func damaged() {
        var generator = SeededRandom(seed: 20261122)
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

    @Test("nesting is bounded")
    func deep() {
        let line = #"{"session":"x","a":"# + String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000) + "}"
        #expect(parsed(line) == nil)
    }
}
