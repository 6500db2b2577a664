import Knowledge

/// A set of the lexicon's concepts (`Pattern`), as bits: up to 256 concepts, a bit each, so
/// that a clause's concepts and a pattern's are compared in a few instructions. Four words, not
/// a SIMD4: a SIMD4's 32-byte alignment is not kept in async frames (a crash in the tests).
struct ConceptSet: Equatable, Sendable, ExpressibleByIntegerLiteral {
    private var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0

    static let capacity = 256

    /// The empty set, written 0 (the only literal it takes).
    init(integerLiteral value: UInt64) {
        precondition(value == 0, "a ConceptSet literal is 0, the empty set")
    }

    /// The set of concept number `index` alone.
    init(concept index: Int) {
        precondition(index >= 0 && index < Self.capacity)
        let bit: UInt64 = 1 << UInt64(index % 64)
        switch index / 64 {
        case 0: w0 = bit
        case 1: w1 = bit
        case 2: w2 = bit
        default: w3 = bit
        }
    }

    private init(_ w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) {
        self.w0 = w0
        self.w1 = w1
        self.w2 = w2
        self.w3 = w3
    }

    /// Calls `body` with the number of each concept of the set, in ascending order.
    @inline(__always)
    func forEachConcept(_ body: (Int) -> Void) {
        UInt64.forEachSetBit(of: (w0, w1, w2, w3), body)
    }

    static func | (a: ConceptSet, b: ConceptSet) -> ConceptSet { ConceptSet(a.w0 | b.w0, a.w1 | b.w1, a.w2 | b.w2, a.w3 | b.w3) }
    static func & (a: ConceptSet, b: ConceptSet) -> ConceptSet { ConceptSet(a.w0 & b.w0, a.w1 & b.w1, a.w2 & b.w2, a.w3 & b.w3) }
    static prefix func ~ (a: ConceptSet) -> ConceptSet { ConceptSet(~a.w0, ~a.w1, ~a.w2, ~a.w3) }
    static func |= (a: inout ConceptSet, b: ConceptSet) { a = a | b }
    static func &= (a: inout ConceptSet, b: ConceptSet) { a = a & b }
}
