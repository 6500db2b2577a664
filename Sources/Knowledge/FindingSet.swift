/// A set of findings as bits, one per finding number (`Finding.id`): the first 256 held inline,
/// more in an array that stays empty (and unallocated) for the knowledge model's own findings.
/// Union, difference and membership are word operations; nothing is hashed or allocated.
/// Iterates in number order, which is not the findings' sort order.
public struct FindingSet: Sendable, Hashable {
    private var w0: UInt64 = 0
    private var w1: UInt64 = 0
    private var w2: UInt64 = 0
    private var w3: UInt64 = 0
    /// Words for numbers 256 and up, without trailing zero words (so equal sets are equal values).
    private var rest: [UInt64] = []

    private static let inlineWords = 4

    public init() {}

    public init(_ findings: some Sequence<Finding>) {
        for finding in findings { insert(finding) }
    }

    /// Arrays (the interview's lists) get their own entry points: a generic one called from
    /// another module reads each element through the protocol, which allocates.
    public init(_ findings: [Finding]) {
        for index in findings.indices { insert(findings[index]) }
    }

    private var wordCount: Int { Self.inlineWords + rest.count }

    private func word(_ index: Int) -> UInt64 {
        switch index {
        case 0: w0
        case 1: w1
        case 2: w2
        case 3: w3
        default: index - Self.inlineWords < rest.count ? rest[index - Self.inlineWords] : 0
        }
    }

    private mutating func setWord(_ index: Int, _ value: UInt64) {
        switch index {
        case 0: w0 = value
        case 1: w1 = value
        case 2: w2 = value
        case 3: w3 = value
        default:
            let at = index - Self.inlineWords
            if at >= rest.count {
                guard value != 0 else { return }
                rest.append(contentsOf: repeatElement(0, count: at - rest.count + 1))
            }
            rest[at] = value
            if value == 0 { trim() }
        }
    }

    private mutating func trim() {
        while rest.last == 0 { rest.removeLast() }
    }

    /// Applies `combine` word by word with `other`, over as many words as either has.
    private mutating func combine(_ other: FindingSet, _ combine: (UInt64, UInt64) -> UInt64) {
        w0 = combine(w0, other.w0)
        w1 = combine(w1, other.w1)
        w2 = combine(w2, other.w2)
        w3 = combine(w3, other.w3)
        if rest.isEmpty && other.rest.isEmpty { return }
        let count = Swift.max(rest.count, other.rest.count)
        if rest.count < count { rest.append(contentsOf: repeatElement(0, count: count - rest.count)) }
        for index in 0..<count {
            rest[index] = combine(rest[index], index < other.rest.count ? other.rest[index] : 0)
        }
        trim()
    }

    public var isEmpty: Bool { w0 | w1 | w2 | w3 == 0 && rest.isEmpty }

    /// The words of numbers 0 to 255, for callers that test many fixed sets against one.
    var inlineWords: Words { Words(w0, w1, w2, w3) }
    /// No number past 255.
    var isInline: Bool { rest.isEmpty }

    /// Four words of bits, numbers 0 to 255.
    struct Words {
        var w0, w1, w2, w3: UInt64
        init(_ w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) { (self.w0, self.w1, self.w2, self.w3) = (w0, w1, w2, w3) }
        /// Every bit of `self` is set in `other`.
        func within(_ other: Words) -> Bool { w0 & ~other.w0 | w1 & ~other.w1 | w2 & ~other.w2 | w3 & ~other.w3 == 0 }
        func disjoint(_ other: Words) -> Bool { w0 & other.w0 | w1 & other.w1 | w2 & other.w2 | w3 & other.w3 == 0 }
        static func union(_ a: Words, _ b: Words) -> Words { Words(a.w0 | b.w0, a.w1 | b.w1, a.w2 | b.w2, a.w3 | b.w3) }
        /// Calls `body` with each number set, in ascending order.
        @inline(__always)
        func forEachID(_ body: (Int) -> Void) {
            UInt64.forEachSetBit(of: (w0, w1, w2, w3), body)
        }
        /// The numbers set, in ascending order.
        var ids: [Int] {
            var ids: [Int] = []
            forEachID { ids.append($0) }
            return ids
        }
        func commonCount(_ other: Words) -> Int {
            (w0 & other.w0).nonzeroBitCount + (w1 & other.w1).nonzeroBitCount
                + (w2 & other.w2).nonzeroBitCount + (w3 & other.w3).nonzeroBitCount
        }
    }

    public var count: Int {
        w0.nonzeroBitCount + w1.nonzeroBitCount + w2.nonzeroBitCount + w3.nonzeroBitCount
            + rest.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    public func contains(_ finding: Finding) -> Bool {
        word(Int(finding.id) >> 6) & (1 << (UInt64(finding.id) & 63)) != 0
    }

    /// True when the set holds a finding of `kind`.
    public func contains(kind: FindingKind) -> Bool {
        contains { $0.kind == kind }
    }

    @discardableResult
    public mutating func insert(_ finding: Finding) -> (inserted: Bool, memberAfterInsert: Finding) {
        let index = Int(finding.id) >> 6
        let bit: UInt64 = 1 << (UInt64(finding.id) & 63)
        let old = word(index)
        if old & bit != 0 { return (false, finding) }
        setWord(index, old | bit)
        return (true, finding)
    }

    @discardableResult
    public mutating func remove(_ finding: Finding) -> Finding? {
        let index = Int(finding.id) >> 6
        let bit: UInt64 = 1 << (UInt64(finding.id) & 63)
        let old = word(index)
        guard old & bit != 0 else { return nil }
        setWord(index, old & ~bit)
        return finding
    }

    @discardableResult
    public mutating func update(with finding: Finding) -> Finding? {
        insert(finding).inserted ? nil : finding
    }

    public mutating func formUnion(_ other: FindingSet) { combine(other) { $0 | $1 } }
    public mutating func formIntersection(_ other: FindingSet) { combine(other) { $0 & $1 } }
    public mutating func formSymmetricDifference(_ other: FindingSet) { combine(other) { $0 ^ $1 } }
    public mutating func subtract(_ other: FindingSet) { combine(other) { $0 & ~$1 } }

    public mutating func formUnion(_ findings: some Sequence<Finding>) {
        for finding in findings { insert(finding) }
    }

    public mutating func formUnion(_ findings: [Finding]) {
        for index in findings.indices { insert(findings[index]) }
    }

    /// Word by word, without building the difference (SetAlgebra's default builds it).
    public func isSubset(of other: FindingSet) -> Bool {
        guard w0 & ~other.w0 | w1 & ~other.w1 | w2 & ~other.w2 | w3 & ~other.w3 == 0 else { return false }
        for index in rest.indices where rest[index] & ~(index < other.rest.count ? other.rest[index] : 0) != 0 { return false }
        return true
    }

    /// Word by word, without building the intersection.
    public func isDisjoint(with other: FindingSet) -> Bool {
        guard w0 & other.w0 | w1 & other.w1 | w2 & other.w2 | w3 & other.w3 == 0 else { return false }
        for index in 0..<Swift.min(rest.count, other.rest.count) where rest[index] & other.rest[index] != 0 { return false }
        return true
    }

    public func union(_ other: FindingSet) -> FindingSet {
        var copy = self
        copy.formUnion(other)
        return copy
    }
    public func intersection(_ other: FindingSet) -> FindingSet {
        var copy = self
        copy.formIntersection(other)
        return copy
    }
    public func symmetricDifference(_ other: FindingSet) -> FindingSet {
        var copy = self
        copy.formSymmetricDifference(other)
        return copy
    }
    public func subtracting(_ other: FindingSet) -> FindingSet {
        var copy = self
        copy.subtract(other)
        return copy
    }

    public func union(_ findings: some Sequence<Finding>) -> FindingSet {
        var copy = self
        copy.formUnion(findings)
        return copy
    }

    /// The findings that satisfy `isIncluded`, as a set.
    public func filter(_ isIncluded: (Finding) throws -> Bool) rethrows -> FindingSet {
        var kept = FindingSet()
        for finding in self where try isIncluded(finding) { kept.insert(finding) }
        return kept
    }
}

extension FindingSet: SetAlgebra {
    public typealias Element = Finding
}

extension FindingSet: ExpressibleByArrayLiteral {
    public init(arrayLiteral findings: Finding...) { self.init(findings) }
}

extension FindingSet: Sequence {
    public struct Iterator: IteratorProtocol {
        private let set: FindingSet
        private var index = 0
        private var bits: UInt64

        init(_ set: FindingSet) {
            self.set = set
            self.bits = set.w0
        }

        public mutating func next() -> Finding? {
            while bits == 0 {
                index += 1
                guard index < set.wordCount else { return nil }
                bits = set.word(index)
            }
            let bit = bits.trailingZeroBitCount
            bits &= bits - 1
            return Finding(id: UInt32(index << 6 + bit))
        }
    }

    public func makeIterator() -> Iterator { Iterator(self) }

    public var underestimatedCount: Int { count }
}

extension FindingSet: Codable {
    /// An array of `kind:value` strings, sorted, as `Set<Finding>` was written before.
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([Finding].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(sorted())
    }
}

extension FindingSet: CustomStringConvertible {
    public var description: String { "[" + sorted().map(\.description).joined(separator: ", ") + "]" }
}

extension UInt64 {
    /// Calls `body` with `base` plus the place of each bit set, lowest first: the walk the bit
    /// sets of Knowledge and Understanding (findings, concepts) share.
    @inlinable @inline(__always)
    public func forEachSetBit(from base: Int, _ body: (Int) -> Void) {
        var rest = self
        while rest != 0 {
            body(base + rest.trailingZeroBitCount)
            rest &= rest - 1
        }
    }

    /// The same over a set of 256 bits kept as four words, lowest word first.
    @inlinable @inline(__always)
    public static func forEachSetBit(of words: (UInt64, UInt64, UInt64, UInt64), _ body: (Int) -> Void) {
        words.0.forEachSetBit(from: 0, body)
        words.1.forEachSetBit(from: 64, body)
        words.2.forEachSetBit(from: 128, body)
        words.3.forEachSetBit(from: 192, body)
    }
}
