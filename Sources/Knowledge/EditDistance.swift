/// Damerau-Levenshtein (optimal string alignment) distance over Unicode scalars, bounded: it
/// stops as soon as the distance must exceed `limit`. Used for "did you mean" hints and, in
/// Understanding, for matching misspelt words.
public enum EditDistance {
    /// The distance, or nil when it is greater than `limit`.
    public static func distance(_ a: some Collection<Unicode.Scalar>, _ b: some Collection<Unicode.Scalar>, limit: Int) -> Int? {
        let s = Array(a)
        let t = Array(b)
        if abs(s.count - t.count) > limit { return nil }
        if s.isEmpty || t.isEmpty { return max(s.count, t.count) <= limit ? max(s.count, t.count) : nil }
        var previous2 = [Int](repeating: 0, count: t.count + 1)
        var previous = Array(0...t.count)
        var current = [Int](repeating: 0, count: t.count + 1)
        for i in 1...s.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...t.count {
                let cost = s[i - 1] == t[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, s[i - 1] == t[j - 2], s[i - 2] == t[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return nil }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[t.count] <= limit ? previous[t.count] : nil
    }

    public static func distance(_ a: String, _ b: String, limit: Int) -> Int? {
        distance(a.unicodeScalars, b.unicodeScalars, limit: limit)
    }
}
