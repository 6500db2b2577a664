/// A set of the lexicon's concepts (`Pattern`), as bits: up to 192 concepts, a bit each, so
/// that a clause's concepts and a pattern's are compared in a few instructions.
struct ConceptSet: Equatable, Sendable, ExpressibleByIntegerLiteral {
    private var low: UInt64 = 0, middle: UInt64 = 0, high: UInt64 = 0

    static let capacity = 192

    /// The empty set, written 0 (the only literal it takes).
    init(integerLiteral value: UInt64) {
        precondition(value == 0, "a ConceptSet literal is 0, the empty set")
    }

    /// The set of concept number `index` alone.
    init(concept index: Int) {
        precondition(index >= 0 && index < Self.capacity)
        switch index {
        case ..<64: low = 1 << UInt64(index)
        case ..<128: middle = 1 << UInt64(index - 64)
        default: high = 1 << UInt64(index - 128)
        }
    }

    private init(low: UInt64, middle: UInt64, high: UInt64) {
        self.low = low
        self.middle = middle
        self.high = high
    }

    static func | (a: ConceptSet, b: ConceptSet) -> ConceptSet {
        ConceptSet(low: a.low | b.low, middle: a.middle | b.middle, high: a.high | b.high)
    }
    static func & (a: ConceptSet, b: ConceptSet) -> ConceptSet {
        ConceptSet(low: a.low & b.low, middle: a.middle & b.middle, high: a.high & b.high)
    }
    static prefix func ~ (a: ConceptSet) -> ConceptSet { ConceptSet(low: ~a.low, middle: ~a.middle, high: ~a.high) }
    static func |= (a: inout ConceptSet, b: ConceptSet) { a = a | b }
    static func &= (a: inout ConceptSet, b: ConceptSet) { a = a & b }
}
