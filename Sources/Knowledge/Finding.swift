/// The kinds of fact Charley can learn about a person's cramps. Each kind has a closed list of
/// values (its vocabulary) in the knowledge model; a `Finding` pairs a kind with one value.
public enum FindingKind: String, Sendable, Codable, CaseIterable, CodingKeyRepresentable, Comparable {
    case timing
    case duration
    case frequency
    case since
    case location
    case side
    case ageGroup = "age_group"
    case trigger
    case medicine
    case symptom
    case condition
    /// Facts Charley derives from the conversation rather than from one answer
    /// (for example "no obvious trigger" once the person has denied every trigger).
    case context

    public static func < (lhs: FindingKind, rhs: FindingKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Kinds that hold one value at a time (a new answer replaces the old one).
    public var isSingleValued: Bool {
        switch self {
        case .timing, .duration, .frequency, .since, .side, .ageGroup: true
        default: false
        }
    }
}

/// One fact, written `kind:value` in the data files, e.g. `symptom:numbness`, `timing:night`.
public struct Finding: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var kind: FindingKind
    public var value: String

    public init(_ kind: FindingKind, _ value: String) {
        self.kind = kind
        self.value = value
    }

    /// Parses `kind:value`; nil when the text is not of that form or the kind is unknown.
    public init?(parsing text: some StringProtocol) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let kindText = text[..<colon].trimmingWhitespace()
        let value = text[text.index(after: colon)...].trimmingWhitespace()
        guard let kind = FindingKind(rawValue: String(kindText)), !value.isEmpty else { return nil }
        self.init(kind, String(value))
    }

    public var description: String { "\(kind.rawValue):\(value)" }

    public static func < (lhs: Finding, rhs: Finding) -> Bool {
        (lhs.kind, lhs.value) < (rhs.kind, rhs.value)
    }
}

extension Finding: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let finding = Finding(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "'\(text)' is not a finding; write kind:value with a kind from "
                    + FindingKind.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        self = finding
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A test of one finding as written in evidence and rules: `symptom:swelling` holds when the
/// person said they have swelling; `not symptom:swelling` holds when they said they do not.
/// Not knowing is neither.
public struct FindingTest: Hashable, Sendable, CustomStringConvertible {
    public var finding: Finding
    public var expectsAbsent: Bool

    public init(_ finding: Finding, absent: Bool = false) {
        self.finding = finding
        self.expectsAbsent = absent
    }

    public init?(parsing text: String) {
        var body = Substring(text).trimmingWhitespace()
        var absent = false
        if body.hasPrefix("not ") {
            absent = true
            body = body.dropFirst(4).trimmingWhitespace()
        }
        guard let finding = Finding(parsing: body) else { return nil }
        self.init(finding, absent: absent)
    }

    public var description: String { (expectsAbsent ? "not " : "") + finding.description }

    public func holds(in findings: Findings) -> Bool {
        expectsAbsent ? findings.absent.contains(finding) : findings.present.contains(finding)
    }
}

extension FindingTest: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let test = FindingTest(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "'\(text)' is not a finding; write kind:value or not kind:value"))
        }
        self = test
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// What is known about one person: findings they reported as present, and findings they
/// explicitly denied. Anything in neither set is unknown.
public struct Findings: Hashable, Sendable, Codable {
    public var present: Set<Finding>
    public var absent: Set<Finding>

    public init(present: Set<Finding> = [], absent: Set<Finding> = []) {
        self.present = present
        self.absent = absent
    }

    public func values(of kind: FindingKind) -> [String] {
        present.filter { $0.kind == kind }.map(\.value).sorted()
    }

    /// The present values of every kind, each list sorted: one pass instead of one per kind.
    public func presentByKind() -> [FindingKind: [String]] {
        var grouped: [FindingKind: [String]] = [:]
        for finding in present { grouped[finding.kind, default: []].append(finding.value) }
        for kind in grouped.keys { grouped[kind]!.sort() }
        return grouped
    }

    public func contains(_ finding: Finding) -> Bool { present.contains(finding) }
}

extension StringProtocol {
    func trimmingWhitespace() -> Substring {
        let scalars = Substring(self)
        guard let start = scalars.firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.isWhitespace })!
        return scalars[start...end]
    }
}
