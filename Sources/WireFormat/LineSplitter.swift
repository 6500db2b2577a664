/// Splits a byte stream into lines of at most `maximumLength` bytes, "\n" or "\r\n" ended. A
/// longer line is reported once and dropped up to its newline, so that one bad line costs the
/// client an error reply, not the connection.
///
/// The work is linear in the bytes received: bytes already searched for a newline are not
/// searched again when more arrive, so a line sent one byte at a time costs what it costs sent
/// at once (searching from the start each time would cost the square of its length).
public struct LineSplitter: Sendable {
    /// What to do with the start of the unread bytes.
    public enum Step: Equatable, Sendable {
        /// A line of `length` bytes (without its newline) starts the unread bytes; `consumed`
        /// bytes, newline included, are used.
        case line(length: Int, consumed: Int)
        /// A line over the limit, said once; `consumed` bytes of it are dropped.
        case tooLong(consumed: Int)
        /// More of a line already said to be too long, dropped.
        case skip(consumed: Int)
        /// No newline yet.
        case needMore
    }

    public let maximumLength: Int
    private var discarding = false
    /// How many of the unread bytes are known to hold no newline.
    private var searched = 0

    public init(maximumLength: Int) { self.maximumLength = maximumLength }

    /// The next step over `bytes`, the unread bytes (the same bytes as before plus any new ones,
    /// until a step consumes some).
    public mutating func next<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Step where Bytes.Index == Int {
        let start = bytes.startIndex
        let from = start + min(searched, bytes.count)
        if let newline = bytes[from...].firstIndex(of: UInt8(ascii: "\n")) {
            searched = 0
            let length = newline - start
            if discarding {
                discarding = false
                return .skip(consumed: length + 1)
            }
            if length > maximumLength { return .tooLong(consumed: length + 1) }
            let withoutReturn = length > 0 && bytes[newline - 1] == UInt8(ascii: "\r") ? length - 1 : length
            return .line(length: withoutReturn, consumed: length + 1)
        }
        if bytes.count > maximumLength {
            // No newline yet and already too long: drop what there is, and say so once.
            searched = 0
            let said = discarding
            discarding = true
            return said ? .skip(consumed: bytes.count) : .tooLong(consumed: bytes.count)
        }
        searched = bytes.count
        return .needMore
    }
}
