/// FNV-1a over bytes: the same on every run and machine, and for a word's few bytes far cheaper
/// than `Hasher`. The word table and the spelling index both hash with it.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ byte: UInt8) { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }

    static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash = FNV1a()
        for byte in bytes { hash.add(byte) }
        return hash.value
    }
}

/// An open-addressing table from 64-bit hashes to non-negative numbers, kept at most half full:
/// a lookup is one or two probes. Two keys may share a hash; `first(_:where:)` lets the caller
/// tell them apart (the word table compares the words' bytes).
struct HashSlots: Sendable {
    private var hashes: [UInt64]
    private var values: [Int32]
    private var count = 0

    init(capacity: Int = 0) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        hashes = Array(repeating: 0, count: size)
        values = Array(repeating: -1, count: size)
    }

    mutating func insert(_ hash: UInt64, _ value: Int32) {
        if (count + 1) * 2 > values.count { grow() }
        place(hash, value)
        count += 1
    }

    /// A number stored under `hash` that `matches` accepts.
    func first(_ hash: UInt64, where matches: (Int32) -> Bool) -> Int32? {
        let mask = values.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while values[slot] >= 0 {
            if hashes[slot] == hash && matches(values[slot]) { return values[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    private mutating func place(_ hash: UInt64, _ value: Int32) {
        let mask = values.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while values[slot] >= 0 { slot = (slot + 1) & mask }
        hashes[slot] = hash
        values[slot] = value
    }

    private mutating func grow() {
        let old = zip(hashes, values).filter { $0.1 >= 0 }
        hashes = Array(repeating: 0, count: values.count * 2)
        values = Array(repeating: -1, count: hashes.count)
        for (hash, value) in old { place(hash, value) }
    }
}
