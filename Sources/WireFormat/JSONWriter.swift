/// Writes JSON straight into bytes, for the few documents written on every turn (the reply, the
/// stored state), where Foundation's `JSONEncoder` costs more than the turn itself on Linux. The
/// output is what `ContractJSON` makes for the same value: the caller writes keys in sorted
/// order, strings are escaped the same way, slashes are not escaped, and whole doubles lose
/// their ".0". Tests compare the two on every dialogue.
///
/// The bytes go into a buffer of its own (an array checked its uniqueness and capacity on
/// each of the few hundred small appends of a document), so the writer cannot be copied.
public struct JSONWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    /// One bit per open object or array, innermost lowest: set while it has no member yet.
    /// (Documents here nest a few levels; past 64 the outer levels would read as non-empty.)
    private var first: UInt64 = 0
    private var depth = 0

    public init(capacity: Int = 512) {
        self.capacity = Swift.max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// What has been written.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// What has been written, lent to `body` without a copy (into a socket's buffer, say).
    public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Ends a line of JSON Lines: a newline after the document.
    public mutating func newline() { append(UInt8(ascii: "\n")) }

    @inline(__always)
    private mutating func reserve(_ more: Int) {
        if count + more > capacity { grow(to: count + more) }
    }

    private mutating func grow(to needed: Int) {
        let larger = Swift.max(needed, capacity * 2)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.initialize(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    private mutating func append(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let start = buffer.baseAddress, buffer.count > 0 else { return }
        reserve(buffer.count)
        (base + count).initialize(from: start, count: buffer.count)
        count += buffer.count
    }

    public mutating func beginObject() {
        element()
        append(UInt8(ascii: "{"))
        open()
    }
    public mutating func endObject() {
        append(UInt8(ascii: "}"))
        close()
    }
    public mutating func beginArray() {
        element()
        append(UInt8(ascii: "["))
        open()
    }
    public mutating func endArray() {
        append(UInt8(ascii: "]"))
        close()
    }

    private mutating func open() {
        first = first << 1 | 1
        depth += 1
    }

    private mutating func close() {
        first >>= 1
        depth -= 1
    }

    /// A member's key; its value comes next.
    public mutating func key(_ name: StaticString) {
        separate()
        reserve(name.utf8CodeUnitCount + 3)
        base[count] = UInt8(ascii: "\"")
        count += 1
        name.withUTF8Buffer { append($0) }
        base[count] = UInt8(ascii: "\"")
        base[count + 1] = UInt8(ascii: ":")
        count += 2
        pendingValue = true
    }

    /// A key that is not a literal (a dictionary's), escaped. (A separate name: with one name
    /// for both, a literal key would be taken as a String and escaped on every call.)
    public mutating func key(text name: String) {
        separate()
        quoted(name)
        append(UInt8(ascii: ":"))
        pendingValue = true
    }

    public mutating func string(_ text: String) {
        element()
        quoted(text)
    }

    public mutating func string(orNull text: String?) {
        if let text { string(text) } else { null() }
    }

    /// A value already written as JSON (quoted and escaped where it is a string), put in as it is:
    /// for tables that keep each of their values' JSON once (Knowledge's findings).
    public mutating func rawValue(_ json: UnsafeBufferPointer<UInt8>) {
        element()
        append(json)
    }

    public mutating func strings(_ texts: [String]) {
        beginArray()
        // Through the array's buffer: each string borrowed where it lies, not retained.
        texts.withUnsafeBufferPointer { texts in
            for index in texts.indices { string(texts[index]) }
        }
        endArray()
    }

    public mutating func bool(_ value: Bool) {
        element()
        literal(value ? "true" : "false")
    }

    public mutating func null() {
        element()
        literal("null")
    }

    /// Appends a literal's bytes (an array literal here would be allocated on every call).
    private mutating func literal(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    public mutating func int(_ value: Int) {
        element()
        if value < 0 { append(UInt8(ascii: "-")) }
        digits(value.magnitude)
    }

    public mutating func double(_ value: Double) {
        element()
        // Scores and confidences are hundredths: written from their integer, without the
        // String that `description` allocates. A double that is exactly the nearest to n/100
        // (and small enough that no shorter decimal reaches it) has n/100 as its shortest form,
        // which is what `description` writes.
        let hundredths = (value * 100).rounded()
        if abs(hundredths) < 1e12, Double(Int(hundredths)) / 100 == value, !(value == 0 && value.sign == .minus) {
            hundredthsDigits(Int(hundredths))
            return
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        text.withUTF8 { append($0) }
    }

    private mutating func hundredthsDigits(_ hundredths: Int) {
        if hundredths < 0 { append(UInt8(ascii: "-")) }
        let magnitude = hundredths.magnitude
        digits(magnitude / 100)
        let fraction = magnitude % 100
        guard fraction > 0 else { return }
        append(UInt8(ascii: "."))
        append(UInt8(ascii: "0") + UInt8(fraction / 10))
        if fraction % 10 > 0 { append(UInt8(ascii: "0") + UInt8(fraction % 10)) }
    }

    private mutating func digits(_ value: UInt) {
        if value >= 10 { digits(value / 10) }
        append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    // MARK: -

    /// Set after a key: the next value is that member's, not a new array element.
    private var pendingValue = false

    private mutating func element() {
        if pendingValue { pendingValue = false } else { separate() }
    }

    private mutating func separate() {
        guard depth > 0 else { return }
        if first & 1 != 0 { first &= ~1 } else { append(UInt8(ascii: ",")) }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    private mutating func quoted(_ text: String) {
        append(UInt8(ascii: "\""))
        escaped(text)
        append(UInt8(ascii: "\""))
    }

    private mutating func escaped(_ text: String) {
        // Read in place (a native or small string always can be); `withUTF8` would need a
        // mutable copy, a retain and release per string.
        if text.utf8.withContiguousStorageIfAvailable({ escaped($0) }) != nil { return }
        var text = text
        text.withUTF8 { escaped($0) }
    }

    private mutating func escaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        guard let source = utf8.baseAddress else { return }
        let length = utf8.count
        reserve(length + 2)
        // Runs that need no escaping are copied whole; they are found eight bytes at a time.
        var run = 0
        var index = 0
        while index < length {
            while index + 8 <= length, !Self.mayNeedEscape(UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self)) {
                index += 8
            }
            guard index < length else { break }
            let byte = source[index]
            if byte < 0x20 || byte == 0x22 || byte == 0x5c {
                if run < index { append(UnsafeBufferPointer(start: source + run, count: index - run)) }
                escape(byte)
                run = index + 1
            }
            index += 1
        }
        if run < length { append(UnsafeBufferPointer(start: source + run, count: length - run)) }
    }

    /// Whether any of eight bytes is a control character, `"` or `\` (bit tricks: a byte below
    /// 0x20, or equal to 0x22 or 0x5c, sets its high bit in the result; bytes of 0x80 and up,
    /// the rest of UTF-8, never do).
    @inline(__always)
    private static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
        let below20 = (word &- ones &* 0x20) & ~word & highs != 0
        return below20 || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5c))
    }

    private mutating func escape(_ byte: UInt8) {
        append(0x5c)
        switch byte {
        case UInt8(ascii: "\""): append(0x22)
        case UInt8(ascii: "\\"): append(0x5c)
        case 0x0a: append(UInt8(ascii: "n"))
        case 0x0d: append(UInt8(ascii: "r"))
        case 0x09: append(UInt8(ascii: "t"))
        case 0x08: append(UInt8(ascii: "b"))
        case 0x0c: append(UInt8(ascii: "f"))
        default:
            append(UInt8(ascii: "u"))
            append(UInt8(ascii: "0"))
            append(UInt8(ascii: "0"))
            append(Self.hex[Int(byte >> 4)])
            append(Self.hex[Int(byte & 0xf)])
        }
    }
}
