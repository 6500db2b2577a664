import Foundation

extension TriageRule {
    /// The rules of `rules` whose findings hold, most severe first, ties by id.
    public static func matching(_ rules: [TriageRule], for findings: Findings) -> [TriageRule] {
        rules.filter { $0.match.matches(findings) }.sorted { ($0.level, $1.id) > ($1.level, $0.id) }
    }
}

/// One possible cause as ranked for a person: how strongly their findings point to it, and why.
public struct RankedCause: Sendable, Equatable, Codable {
    public var id: String
    /// 0...1, from the cause's prior and the weights of the evidence that holds.
    public var score: Double
    /// "because" reasons, strongest first.
    public var because: [String]
    /// What argues against it.
    public var against: [String]

    public init(id: String, score: Double, because: [String], against: [String] = []) {
        self.id = id
        self.score = score
        self.because = because
        self.against = against
    }
}

extension KnowledgeModel {
    /// Causes that at least one finding points to, most likely first. Deterministic: ties are
    /// broken by id.
    ///
    /// Reasons are worded only for the first `limit` causes (the others get none): a turn shows
    /// at most three, and wording them is most of the work.
    public func rankCauses(for findings: Findings, reasonsFor limit: Int = .max) -> [RankedCause] {
        var scored: [(cause: Int, score: Double)] = []
        for (index, cause) in causes.enumerated() {
            var total = cause.prior
            var supported = false
            for evidence in cause.evidence where evidence.finding.holds(in: findings) {
                total += evidence.weight
                if evidence.weight > 0 { supported = true }
            }
            guard supported else { continue }
            scored.append((index, (1 / (1 + exp(-total)) * 100).rounded() / 100))
        }
        scored.sort { ($0.score, causes[$1.cause].id) > ($1.score, causes[$0.cause].id) }
        var ranked = scored.map { RankedCause(id: causes[$0.cause].id, score: $0.score, because: []) }
        for rank in ranked.indices.prefix(limit) { addReasons(to: &ranked[rank], cause: causes[scored[rank].cause], for: findings) }
        return ranked
    }

    /// Words the reasons of the first `limit` causes of a ranking made without them (by
    /// `rankCauses(for:reasonsFor: 0)`), as `rankCauses` would have.
    public func addReasons(to ranked: inout [RankedCause], for findings: Findings, limit: Int) {
        for rank in ranked.indices.prefix(limit) where ranked[rank].because.isEmpty && ranked[rank].against.isEmpty {
            guard let cause = cause(ranked[rank].id) else { continue }
            addReasons(to: &ranked[rank], cause: cause, for: findings)
        }
    }

    private func addReasons(to entry: inout RankedCause, cause: Cause, for findings: Findings) {
        var support: [(Double, String)] = []
        var against: [(Double, String)] = []
        for evidence in cause.evidence where evidence.finding.holds(in: findings) {
            let reason = evidence.reason ?? defaultReason(evidence.finding)
            if evidence.weight > 0 { support.append((evidence.weight, reason)) } else { against.append((-evidence.weight, reason)) }
        }
        entry.because = Self.strongestFirst(support)
        entry.against = Self.strongestFirst(against)
    }

    /// The triage rules whose findings hold, most severe first.
    public func matchingRules(for findings: Findings) -> [TriageRule] {
        TriageRule.matching(triageRules, for: findings)
    }

    /// The "because you said ..." wording for a finding without a written reason.
    public func defaultReason(_ test: FindingTest) -> String {
        let label = term(test.finding)?.label ?? test.finding.value
        return test.expectsAbsent ? "no \(label)" : label
    }

    private static func strongestFirst(_ reasons: [(Double, String)]) -> [String] {
        var kept: [String] = []
        kept.reserveCapacity(reasons.count)
        // A handful of reasons: a linear check for repeats beats hashing them.
        for (_, reason) in reasons.sorted(by: { ($0.0, $1.1) > ($1.0, $0.1) }) where !kept.contains(reason) {
            kept.append(reason)
        }
        return kept
    }
}
