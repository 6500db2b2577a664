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
    public func rankCauses(for findings: Findings) -> [RankedCause] {
        var ranked: [RankedCause] = []
        for cause in causes {
            var total = cause.prior
            var support: [(Double, String)] = []
            var against: [(Double, String)] = []
            for evidence in cause.evidence where evidence.finding.holds(in: findings) {
                total += evidence.weight
                let reason = evidence.reason ?? defaultReason(evidence.finding)
                if evidence.weight > 0 { support.append((evidence.weight, reason)) }
                else { against.append((-evidence.weight, reason)) }
            }
            guard !support.isEmpty else { continue }
            let score = (1 / (1 + exp(-total)) * 100).rounded() / 100
            ranked.append(RankedCause(
                id: cause.id, score: score,
                because: Self.strongestFirst(support),
                against: Self.strongestFirst(against)))
        }
        return ranked.sorted { ($0.score, $1.id) > ($1.score, $0.id) }
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
        var seen = Set<String>()
        return reasons.sorted { ($0.0, $1.1) > ($1.0, $0.1) }.map(\.1).filter { seen.insert($0).inserted }
    }
}
