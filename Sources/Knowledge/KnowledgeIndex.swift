import Foundation

/// The knowledge model's causes laid out for ranking on every turn: each cause's evidence as
/// finding numbers and weights in one flat array, its reasons worded once. Gives exactly what
/// `KnowledgeModel.rankCauses` gives (tests hold the two together), without copying a cause,
/// retaining its strings or looking up a term on the way. Built once per model (a
/// `Conversation` holds one); a model changed later needs a new index. A class, so that
/// reaching it copies one reference, not seven arrays.
public final class CauseIndex: Sendable {
    /// One piece of evidence: plain values only, so reading it costs no reference counting.
    struct Test {
        var finding: Finding
        var absent: Bool
        var weight: Double
    }

    private let ids: [String]
    private let priors: [Double]
    /// Cause `i`'s evidence is `tests[starts[i]..<starts[i + 1]]`.
    private let starts: [Int]
    private let tests: [Test]
    /// The cause each test is of, by the test's place in `tests`.
    private let causeOfTest: [Int]
    /// By finding number, the places in `tests` of the tests that name it:
    /// `testsByFinding[findingStarts[id]..<findingStarts[id + 1]]`, ascending. The tests that
    /// hold are found from the few findings known, not by reading every test.
    private let findingStarts: [Int]
    private let testsByFinding: [Int]
    /// The wording of each test's reason, by the test's position: the written one, else the
    /// finding's label.
    private let reasons: [String]
    /// Cause `i`'s tests in the order their reasons are given, heaviest (either way) first,
    /// ties by wording: `order[starts[i]..<starts[i + 1]]`. Sorted here, not on every turn.
    private let order: [Int]
    private let positions: [String: Int]
    /// The tests that name each finding, by their place in `tests`, with the cause each is of:
    /// what an answer could change without ranking every cause again.
    private let testsNaming: [Finding: [(cause: Int, test: Int)]]

    public init(_ model: KnowledgeModel) {
        var starts = [0]
        var tests: [Test] = []
        var reasons: [String] = []
        var positions: [String: Int] = [:]
        for (index, cause) in model.causes.enumerated() {
            for evidence in cause.evidence {
                tests.append(Test(finding: evidence.finding.finding, absent: evidence.finding.expectsAbsent, weight: evidence.weight))
                reasons.append(evidence.reason ?? model.defaultReason(evidence.finding))
            }
            starts.append(tests.count)
            if positions[cause.id] == nil { positions[cause.id] = index }
        }
        var order: [Int] = []
        for cause in model.causes.indices {
            order += (starts[cause]..<starts[cause + 1]).sorted {
                abs(tests[$0].weight) != abs(tests[$1].weight) ? abs(tests[$0].weight) > abs(tests[$1].weight) : reasons[$0] < reasons[$1]
            }
        }
        ids = model.causes.map(\.id)
        priors = model.causes.map(\.prior)
        causeOfTest = model.causes.indices.flatMap { cause in Array(repeating: cause, count: starts[cause + 1] - starts[cause]) }
        let highest = tests.map { Int($0.finding.id) }.max() ?? -1
        var findingStarts = [0]
        var testsByFinding: [Int] = []
        var byFinding = [[Int]](repeating: [], count: highest + 1)
        for test in tests.indices { byFinding[Int(tests[test].finding.id)].append(test) }
        for list in byFinding {
            testsByFinding += list
            findingStarts.append(testsByFinding.count)
        }
        self.findingStarts = findingStarts
        self.testsByFinding = testsByFinding
        self.order = order
        self.starts = starts
        self.tests = tests
        self.reasons = reasons
        self.positions = positions
        var naming: [Finding: [(cause: Int, test: Int)]] = [:]
        for cause in model.causes.indices {
            for test in starts[cause]..<starts[cause + 1] { naming[tests[test].finding, default: []].append((cause, test)) }
        }
        self.testsNaming = naming
    }

    /// Each cause's total (prior and the weights of the evidence that holds) and whether any
    /// evidence for it holds: what ranking orders, without the ordering or the reasons.
    public struct Standing: Sendable {
        var totals: [Double]
        var supported: [Bool]
    }

    public func standing(for findings: Findings) -> Standing {
        var standing = Standing(totals: priors, supported: Array(repeating: false, count: ids.count))
        // Each cause's weights are added in the order of its tests, as a pass over them would.
        forEachHoldingTest(findings) { test in
            let cause = causeOfTest[test]
            standing.totals[cause] += tests[test].weight
            if tests[test].weight > 0 { standing.supported[cause] = true }
        }
        return standing
    }

    /// Calls `body` with the place of each test that holds for `findings`, in the order of
    /// `tests` (each cause's in turn): marked from the findings known, then read in order.
    private func forEachHoldingTest(_ findings: Findings, _ body: (Int) -> Void) {
        let words = (tests.count + 63) / 64
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) { holding in
            holding.initialize(repeating: 0)
            func mark(_ known: FindingSet, absent: Bool) {
                for finding in known where Int(finding.id) + 1 < findingStarts.count {
                    for place in findingStarts[Int(finding.id)]..<findingStarts[Int(finding.id) + 1] where tests[testsByFinding[place]].absent == absent {
                        holding[testsByFinding[place] >> 6] |= 1 << UInt64(testsByFinding[place] & 63)
                    }
                }
            }
            mark(findings.present, absent: false)
            mark(findings.absent, absent: true)
            for word in 0..<words {
                var bits = holding[word]
                while bits != 0 {
                    body(word << 6 + bits.trailingZeroBitCount)
                    bits &= bits - 1
                }
            }
        }
    }

    /// The cause ranked first for `standing` (as `rankCauses` would put it, but for the rounding
    /// of scores), or nil when none is supported.
    public func leader(_ standing: Standing) -> Int? {
        leader(standing, after: Change(weights: []))
    }

    /// What adding some findings (not known either way before) does to each cause's total: the
    /// weights of the tests that name them, by cause. Made once for each possible answer of an
    /// interview question, so judging a question costs no lookup.
    public struct Change: Sendable {
        var weights: [(cause: Int, weight: Double)]
    }

    public func change(adding present: [Finding], absent: [Finding]) -> Change {
        var weights: [(cause: Int, weight: Double)] = []
        for (findings, isAbsent) in [(present, false), (absent, true)] {
            for finding in findings {
                for (cause, test) in testsNaming[finding] ?? [] where tests[test].absent == isAbsent {
                    weights.append((cause, tests[test].weight))
                }
            }
        }
        return Change(weights: weights)
    }

    /// The leader once `change` is made to what `standing` was made for, without copying it:
    /// only the causes it names can move.
    public func leader(_ standing: Standing, after change: Change) -> Int? {
        func leader(_ totals: UnsafeBufferPointer<Double>, _ supported: UnsafeBufferPointer<Bool>) -> Int? {
            var best: Int?
            var bestTotal = 0.0
            for cause in ids.indices {
                let value = totals[cause]
                guard supported[cause] else { continue }
                if best == nil || value > bestTotal || (value == bestTotal && ids[cause] < ids[best!]) {
                    best = cause
                    bestTotal = value
                }
            }
            return best
        }
        if change.weights.isEmpty {
            return standing.totals.withUnsafeBufferPointer { totals in standing.supported.withUnsafeBufferPointer { leader(totals, $0) } }
        }
        // The totals after the change, on the stack: each cause's weights added in the change's
        // order, as one pass over the weights per cause would.
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: ids.count) { totals in
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: ids.count) { supported in
                for cause in ids.indices {
                    totals[cause] = standing.totals[cause]
                    supported[cause] = standing.supported[cause]
                }
                for entry in change.weights {
                    totals[entry.cause] += entry.weight
                    if entry.weight > 0 { supported[entry.cause] = true }
                }
                return leader(UnsafeBufferPointer(totals), UnsafeBufferPointer(supported))
            }
        }
    }

    /// The cause's id, by its place in the model.
    public func id(at position: Int) -> String { ids[position] }

    /// The cause's place in the model's list (the first, should an id repeat).
    public func position(of id: String) -> Int? { positions[id] }

    private func holds(_ test: Test, in findings: Findings) -> Bool {
        test.absent ? findings.absent.contains(test.finding) : findings.present.contains(test.finding)
    }

    /// As `KnowledgeModel.rankCauses(for:reasonsFor:)`.
    public func rankCauses(for findings: Findings, reasonsFor limit: Int = .max) -> [RankedCause] {
        var scored: [(cause: Int, score: Double)] = []
        let standing = standing(for: findings)
        for cause in ids.indices where standing.supported[cause] {
            scored.append((cause, (1 / (1 + exp(-standing.totals[cause])) * 100).rounded() / 100))
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : ids[$0.cause] < ids[$1.cause] }
        var ranked: [RankedCause] = []
        ranked.reserveCapacity(scored.count)
        for (position, entry) in scored.enumerated() {
            ranked.append(RankedCause(id: ids[entry.cause], score: entry.score, because: []))
            if position < limit { addReasons(to: &ranked[position], cause: entry.cause, for: findings) }
        }
        return ranked
    }

    /// As `KnowledgeModel.addReasons(to:for:limit:)`.
    public func addReasons(to ranked: inout [RankedCause], for findings: Findings, limit: Int) {
        for rank in ranked.indices.prefix(limit) where ranked[rank].because.isEmpty && ranked[rank].against.isEmpty {
            guard let cause = positions[ranked[rank].id] else { continue }
            addReasons(to: &ranked[rank], cause: cause, for: findings)
        }
    }

    /// The reasons that hold, for and against, strongest first, each wording once: the tests
    /// are already in that order.
    private func addReasons(to entry: inout RankedCause, cause: Int, for findings: Findings) {
        var because: [String] = []
        var against: [String] = []
        for position in starts[cause]..<starts[cause + 1] {
            let test = order[position]
            guard holds(tests[test], in: findings) else { continue }
            if tests[test].weight > 0 {
                if !because.contains(reasons[test]) { because.append(reasons[test]) }
            } else if !against.contains(reasons[test]) {
                against.append(reasons[test])
            }
        }
        entry.because = because
        entry.against = against
    }
}

/// Triage rules laid out for matching on every turn: each rule's tests as bit sets, and the
/// rules already in the order a match is reported (most severe first, ties by id), so matching
/// is word operations with nothing to sort. Gives exactly what `TriageRule.matching` gives
/// (tests hold the two together). A class, for the same reason as `CauseIndex`.
public final class RuleIndex: Sendable {
    /// The rules, most severe first, ties by id.
    public let rules: [TriageRule]

    private struct Compiled {
        var present: FindingSet
        var absent: FindingSet
        /// Into `anyTests`.
        var any: Range<Int>
        var atLeast: Int
        var none: FindingSet
        var empty: Bool
        /// The same tests as plain words, when every finding the rule names is numbered below
        /// 256 and `any` names none twice (the usual case: then a rule is a few word operations).
        var fast: Fast?

        struct Fast {
            var present, absent, none, anyPresent, anyAbsent: FindingSet.Words
        }
    }

    private let compiled: [Compiled]
    private let anyTests: [FindingTest]
    /// By finding number (0 to 255), the rules that test it present (`namedPresent`) or absent
    /// (`namedAbsent`), as bits by position in `rules`; `unconditional`: the rules to read
    /// whatever is known (the general path, or no finding that must be known). A rule can hold
    /// only when it is one of these for a finding known, so the others are not read. With more
    /// than 64 rules every rule is read.
    private let namedPresent: [UInt64]
    private let namedAbsent: [UInt64]
    private let unconditional: UInt64

    /// `words: false` keeps every rule on the general path (tests compare the two paths: which
    /// one a rule takes depends on the numbers its findings were given).
    public init(_ rules: [TriageRule], words: Bool = true) {
        self.rules = rules.sorted { ($0.level, $1.id) > ($1.level, $0.id) }
        var anyTests: [FindingTest] = []
        compiled = self.rules.map { rule in
            let match = rule.match
            let start = anyTests.count
            anyTests += match.any
            var compiled = Compiled(
                present: FindingSet(match.all.filter { !$0.expectsAbsent }.map(\.finding)),
                absent: FindingSet(match.all.filter(\.expectsAbsent).map(\.finding)),
                any: start..<anyTests.count, atLeast: match.atLeast, none: FindingSet(match.none),
                empty: match.all.isEmpty && match.any.isEmpty)
            let anyPresent = FindingSet(match.any.filter { !$0.expectsAbsent }.map(\.finding))
            let anyAbsent = FindingSet(match.any.filter(\.expectsAbsent).map(\.finding))
            if words, [compiled.present, compiled.absent, compiled.none, anyPresent, anyAbsent].allSatisfy(\.isInline),
                anyPresent.count + anyAbsent.count == match.any.count
            {
                compiled.fast = .init(
                    present: compiled.present.inlineWords, absent: compiled.absent.inlineWords,
                    none: compiled.none.inlineWords, anyPresent: anyPresent.inlineWords,
                    anyAbsent: anyAbsent.inlineWords)
            }
            return compiled
        }
        self.anyTests = anyTests
        var namedPresent = [UInt64](repeating: 0, count: 256)
        var namedAbsent = [UInt64](repeating: 0, count: 256)
        var unconditional: UInt64 = 0
        for (index, rule) in compiled.enumerated() {
            guard compiled.count <= 64 else {
                unconditional = .max
                break
            }
            let bit: UInt64 = 1 << UInt64(index)
            // A fast rule holds only when its `all` findings are known, or (with none) at least
            // `atLeast` of its `any`: then one of them is known.
            guard let fast = rule.fast, !rule.empty, rule.any.isEmpty || rule.atLeast >= 1 else {
                unconditional |= bit
                continue
            }
            for finding in FindingSet.Words.union(fast.present, fast.anyPresent).ids { namedPresent[finding] |= bit }
            for finding in FindingSet.Words.union(fast.absent, fast.anyAbsent).ids { namedAbsent[finding] |= bit }
        }
        self.namedPresent = namedPresent
        self.namedAbsent = namedAbsent
        self.unconditional = unconditional
    }

    /// The positions of the rules that may hold for findings whose first words are `present`
    /// and `absent`, as bits (all of them past 64 rules).
    private func candidates(_ present: FindingSet.Words, _ absent: FindingSet.Words) -> UInt64 {
        var bits = unconditional
        present.forEachID { bits |= namedPresent[$0] }
        absent.forEachID { bits |= namedAbsent[$0] }
        return bits
    }

    /// Calls `body` with the position of each rule that may hold, in `rules`' order, until it
    /// returns false.
    @inline(__always)
    private func forEachCandidate(_ present: FindingSet.Words, _ absent: FindingSet.Words, _ body: (Int) -> Bool) {
        if compiled.count > 64 {
            for index in compiled.indices where !body(index) { return }
            return
        }
        var bits = candidates(present, absent)
        while bits != 0 {
            let index = bits.trailingZeroBitCount
            bits &= bits - 1
            if !body(index) { return }
        }
    }

    /// The level of the most severe rule that holds, or nil: the first that holds, with nothing
    /// gathered.
    public func highestLevel(_ findings: Findings) -> TriageLevel? {
        let present = findings.present.inlineWords
        let absent = findings.absent.inlineWords
        var level: TriageLevel?
        forEachCandidate(present, absent) { index in
            guard holds(index, findings, present, absent) else { return true }
            level = rules[index].level
            return false
        }
        return level
    }

    /// The positions in `rules` of the rules that test one of `findings` (present or absent),
    /// in `rules`' order: only these can change their verdict when `findings` are added.
    public func positions(naming findings: [Finding]) -> [Int] {
        rules.indices.filter { index in
            let match = rules[index].match
            return findings.contains { finding in
                match.all.contains { $0.finding == finding } || match.any.contains { $0.finding == finding } || match.none.contains(finding)
            }
        }
    }

    /// Whether a rule more severe than `level` holds, of those at `positions` (ascending, as
    /// `positions(naming:)` gives them): read only until the rules are no longer above `level`.
    public func holds(anyOf positions: [Int], above level: TriageLevel, _ findings: Findings) -> Bool {
        guard let first = positions.first, rules[first].level > level else { return false }
        let present = findings.present.inlineWords
        let absent = findings.absent.inlineWords
        for index in positions {
            guard rules[index].level > level else { return false }
            if holds(index, findings, present, absent) { return true }
        }
        return false
    }

    /// Whether some rule at `positions` is more severe than `level` (`holds(anyOf:above:_:)`
    /// can only be true then).
    public func mayHold(anyOf positions: [Int], above level: TriageLevel) -> Bool {
        guard let first = positions.first else { return false }
        return rules[first].level > level
    }

    /// The positions in `rules` of the rules that hold, in `rules`' order.
    public func matching(_ findings: Findings) -> [Int] {
        var matched: [Int] = []
        let present = findings.present.inlineWords
        let absent = findings.absent.inlineWords
        forEachCandidate(present, absent) { index in
            if holds(index, findings, present, absent) { matched.append(index) }
            return true
        }
        return matched
    }

    /// As `TriageRule.matching(_:for:)`.
    public func matchingRules(for findings: Findings) -> [TriageRule] {
        var matched: [TriageRule] = []
        let present = findings.present.inlineWords
        let absent = findings.absent.inlineWords
        forEachCandidate(present, absent) { index in
            if holds(index, findings, present, absent) { matched.append(rules[index]) }
            return true
        }
        return matched
    }

    /// `present` and `absent` are the findings' first words (a fast rule names nothing past them).
    private func holds(_ index: Int, _ findings: Findings, _ present: FindingSet.Words, _ absent: FindingSet.Words) -> Bool {
        guard let fast = compiled[index].fast else { return holds(index, findings) }
        guard !compiled[index].empty, fast.present.within(present), fast.absent.within(absent), fast.none.disjoint(present) else {
            return false
        }
        guard !compiled[index].any.isEmpty else { return true }
        return fast.anyPresent.commonCount(present) + fast.anyAbsent.commonCount(absent) >= compiled[index].atLeast
    }

    /// Reads the compiled rule in place (a copy would retain its sets' storage).
    private func holds(_ index: Int, _ findings: Findings) -> Bool {
        guard !compiled[index].empty, compiled[index].present.isSubset(of: findings.present),
            compiled[index].absent.isSubset(of: findings.absent),
            compiled[index].none.isDisjoint(with: findings.present)
        else { return false }
        let any = compiled[index].any
        guard !any.isEmpty else { return true }
        var count = 0
        for test in any where anyTests[test].holds(in: findings) { count += 1 }
        return count >= compiled[index].atLeast
    }
}
