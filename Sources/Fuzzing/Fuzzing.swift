import Foundation
import Knowledge
import Understanding
import WireFormat

/// libFuzzer's entry point (scripts/fuzz builds it with `-sanitize=fuzzer,address`; an ordinary
/// build compiles it and never calls it). CHARLEY_FUZZ names the target:
/// - `interpret`: the bytes as an utterance, through the whole matcher;
/// - `message`: the bytes as a client's line, through the JSON reader;
/// - `lines`: the bytes as a stream, split into lines in pieces of every size;
/// - `knowledge`: the bytes standing in for one knowledge file (the first byte picks which);
/// - `lexicon`: the bytes as the lexicon file.
/// A crash, a leak or a hang is libFuzzer's to report; a broken invariant traps here.
@_cdecl("LLVMFuzzerTestOneInput")
public func charleyFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    switch FuzzTarget.current {
    case .interpret: FuzzTarget.interpret(bytes)
    case .message: FuzzTarget.message(bytes)
    case .lines: FuzzTarget.lines(bytes)
    case .knowledge: FuzzTarget.knowledge(bytes)
    case .lexicon: FuzzTarget.lexicon(bytes)
    }
    return 0
}

/// Before the first input: what every target shares is built once here, so that the leak
/// checker, which looks at each input's allocations, does not take those lasting for the whole
/// run (the model, the lexicon, the loaders' tables) for leaks.
@_cdecl("LLVMFuzzerInitialize")
public func charleyFuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>>>) -> CInt {
    _ = FuzzTarget.current
    _ = FuzzTarget.interpreter.interpret("warm up")
    _ = try? KnowledgeLoader.load(documents: FuzzTarget.documents)
    _ = try? MessageParser.parse(Array(#"{"session":"s","text":"t"}"#.utf8))
    return 0
}

enum FuzzTarget: String, CaseIterable {
    case interpret, message, lines, knowledge, lexicon

    static let current: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["CHARLEY_FUZZ"] ?? "interpret"
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("CHARLEY_FUZZ must be one of \(allCases.map(\.rawValue).joined(separator: ", ")); it is '\(name)'")
        }
        return target
    }()

    static let interpreter: Interpreter = {
        do { return try Interpreter.bundled() } catch { fatalError("the shipped lexicon does not load: \(error)") }
    }()

    static var model: KnowledgeModel { interpreter.knowledge }

    static let documents: [KnowledgeDocument] = {
        guard let folder = KnowledgeLoader.bundledDirectory, let documents = try? KnowledgeLoader.readDocuments(in: folder) else {
            fatalError("the shipped knowledge files cannot be read")
        }
        return documents
    }()

    static func interpret(_ bytes: [UInt8]) {
        let understood = interpreter.interpret(String(decoding: bytes, as: UTF8.self))
        // Every red flag named is a rule of the model.
        for flag in understood.redFlags where model.rule(flag) == nil {
            fatalError("red flag '\(flag)' is no rule of the model")
        }
    }

    static func message(_ bytes: [UInt8]) {
        _ = try? MessageParser.parse(bytes)
    }

    /// Splits the stream as the daemon would, fed in pieces whose sizes come from the data
    /// itself, and checks that every byte is used once and no line is over the limit.
    static func lines(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let maximum = Int(first) + 1
        var splitter = LineSplitter(maximumLength: maximum)
        var unread: [UInt8] = []
        var position = 1
        var used = 0
        while position < bytes.count || !unread.isEmpty {
            let piece = position < bytes.count ? Int(bytes[position] % 7) + 1 : 0
            let end = min(bytes.count, position + piece)
            unread += bytes[position..<end]
            position = end
            var progressed = false
            loop: while true {
                switch splitter.next(unread) {
                case .line(let length, let consumed):
                    precondition(length <= maximum && consumed >= length + 1 && consumed <= unread.count, "a line over the limit or out of the buffer")
                    unread.removeFirst(consumed)
                    used += consumed
                    progressed = true
                case .tooLong(let consumed), .skip(let consumed):
                    precondition(consumed > 0 && consumed <= unread.count, "a step that uses no byte or too many")
                    unread.removeFirst(consumed)
                    used += consumed
                    progressed = true
                case .needMore:
                    precondition(unread.count <= maximum, "more than a line's worth held without a newline")
                    break loop
                }
            }
            if position >= bytes.count && !progressed { break }
        }
        precondition(used + unread.count == bytes.count - 1, "bytes lost or used twice")
    }

    static func knowledge(_ bytes: [UInt8]) {
        guard let first = bytes.first, !documents.isEmpty else { return }
        var documents = documents
        let index = Int(first) % documents.count
        documents[index].text = String(decoding: bytes.dropFirst(), as: UTF8.self)
        _ = try? KnowledgeLoader.load(documents: documents)
    }

    static func lexicon(_ bytes: [UInt8]) {
        _ = try? Lexicon.load(text: String(decoding: bytes, as: UTF8.self), file: "lexicon.yaml", knowledge: model)
    }
}
