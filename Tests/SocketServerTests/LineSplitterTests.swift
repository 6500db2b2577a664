import TestSupport
import Testing
import WireFormat

@Suite("Splitting a client's stream into lines")
struct LineSplitterTests {
    enum Piece: Equatable {
        case line([UInt8])
        case tooLong
    }

    /// Every piece the splitter gives for `stream` fed in chunks of the sizes `sizes` gives.
    func split(_ stream: [UInt8], maximum: Int, sizes: () -> Int) -> [Piece] {
        var splitter = LineSplitter(maximumLength: maximum)
        var unread: [UInt8] = []
        var pieces: [Piece] = []
        var position = 0
        while position < stream.count {
            let end = min(stream.count, position + sizes())
            unread += stream[position..<end]
            position = end
            loop: while true {
                switch splitter.next(unread) {
                case .line(let length, let consumed):
                    pieces.append(.line(Array(unread[..<length])))
                    unread.removeFirst(consumed)
                case .tooLong(let consumed):
                    pieces.append(.tooLong)
                    unread.removeFirst(consumed)
                case .skip(let consumed):
                    unread.removeFirst(consumed)
                case .needMore:
                    break loop
                }
            }
        }
        return pieces
    }

    @Test("a stream gives the same lines whatever pieces it arrives in; a long line is said once")
    func pieces() {
        var random = SeededRandom(seed: 17)
        for _ in 0..<300 {
            let alphabet: [UInt8] = [UInt8(ascii: "a"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0xFF, UInt8(ascii: "{")]
            let stream = (0..<Int.random(in: 0...400, using: &random)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] }
            let maximum = Int.random(in: 1...40, using: &random)
            let whole = split(stream, maximum: maximum) { stream.count + 1 }
            let bytes = split(stream, maximum: maximum) { 1 }
            let mixed = split(stream, maximum: maximum) { Int.random(in: 1...9, using: &random) }
            #expect(whole == bytes)
            #expect(whole == mixed)
            for case .line(let line) in whole { #expect(line.count <= maximum && !line.contains(UInt8(ascii: "\n"))) }
        }
        let long = Array(repeating: UInt8(ascii: "x"), count: 100) + [UInt8(ascii: "\n")] + Array("ok\r\n".utf8)
        #expect(split(long, maximum: 10) { 3 } == [.tooLong, .line(Array("ok".utf8))])
    }

    @Test("a line sent a byte at a time is searched once: the work is linear")
    func linear() {
        // Counts the bytes the splitter looks at by handing it a collection that counts.
        struct Counting: RandomAccessCollection {
            let bytes: [UInt8]
            let looked: Box
            var startIndex: Int { 0 }
            var endIndex: Int { bytes.count }
            func index(after i: Int) -> Int { i + 1 }
            func index(before i: Int) -> Int { i - 1 }
            subscript(i: Int) -> UInt8 {
                looked.count += 1
                return bytes[i]
            }
        }
        final class Box { var count = 0 }
        let looked = Box()
        var splitter = LineSplitter(maximumLength: 100_000)
        var unread: [UInt8] = []
        var waited = true
        for _ in 0..<20_000 {
            unread.append(UInt8(ascii: "a"))
            waited = waited && splitter.next(Counting(bytes: unread, looked: looked)) == .needMore
        }
        #expect(waited)
        // Searching from the start each time would look at 200 million bytes.
        #expect(looked.count < 100_000, "looked at \(looked.count) bytes")
    }
}
