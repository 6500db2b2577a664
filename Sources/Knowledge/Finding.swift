import Foundation
import WireFormat

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

    public static func < (lhs: FindingKind, rhs: FindingKind) -> Bool { lhs.index < rhs.index }

    /// The kind's position in `allCases`, for tables indexed by kind.
    public var index: Int {
        switch self {
        case .timing: 0
        case .duration: 1
        case .frequency: 2
        case .since: 3
        case .location: 4
        case .side: 5
        case .ageGroup: 6
        case .trigger: 7
        case .medicine: 8
        case .symptom: 9
        case .condition: 10
        case .context: 11
        }
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
///
/// A finding is a small number: every distinct kind and value the process meets is given one
/// once (`FindingTable`), so comparing and hashing findings, and sets of them (`FindingSet`),
/// never touch the value's text. The text is there when asked for (`value`, `description`).
public struct Finding: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let kind: FindingKind
    /// The finding's number in `FindingTable.shared`: dense, from 0, never reused.
    public let id: UInt32

    public init(_ kind: FindingKind, _ value: String) {
        guard let id = FindingTable.shared.id(kind, value) else {
            fatalError("more than \(FindingTable.capacity) distinct findings in one process")
        }
        self.kind = kind
        self.id = id
    }

    /// The finding with number `id`, which `FindingTable.shared` gave out.
    init(id: UInt32) {
        self.kind = FindingTable.shared.kind(id)
        self.id = id
    }

    /// Parses `kind:value`; nil when the text is not of that form or the kind is unknown.
    public init?(parsing text: some StringProtocol) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let kindText = text[..<colon].trimmingWhitespace()
        let value = text[text.index(after: colon)...].trimmingWhitespace()
        guard let kind = FindingKind(rawValue: String(kindText)), !value.isEmpty,
            let id = FindingTable.shared.id(kind, String(value))
        else { return nil }
        self.kind = kind
        self.id = id
    }

    public var value: String { FindingTable.shared.value(id) }

    /// `kind:value`, kept by the table rather than built each time.
    public var description: String { FindingTable.shared.text(id) }

    public static func == (lhs: Finding, rhs: Finding) -> Bool { lhs.id == rhs.id }

    public func hash(into hasher: inout Hasher) { hasher.combine(id) }

    public static func < (lhs: Finding, rhs: Finding) -> Bool {
        lhs.id != rhs.id && (lhs.kind, lhs.value) < (rhs.kind, rhs.value)
    }
}

/// The numbers of findings: process-wide and append-only, so a number, once given, means the
/// same finding for the life of the process in every thread. Values come from the knowledge
/// model, the lexicon, the interview and stored states; none from what a person types.
public final class FindingTable: @unchecked Sendable {
    public static let shared = FindingTable()
    /// How many distinct findings a process can hold (far beyond any knowledge model).
    public static let capacity = chunkSize * maximumChunks

    private static let chunkBits = 10
    private static let chunkSize = 1 << chunkBits
    private static let maximumChunks = 1 << 10

    private struct Key: Hashable {
        var kind: FindingKind
        var value: String
    }

    private struct Entry {
        var kind: FindingKind
        var value: String
        var text: String
        /// `text` as a JSON string, quotes included: stored states are mostly findings.
        var json: [UInt8]
    }

    private let lock = NSLock()
    private var ids: [Key: UInt32] = [:]
    private var count = 0
    /// Entries live in chunks that never move: a reader needs no lock, because whoever holds a
    /// number got it, directly or through other synchronisation, after its entry was written.
    private let chunks: UnsafeMutablePointer<UnsafeMutablePointer<Entry>?>

    private init() {
        chunks = .allocate(capacity: Self.maximumChunks)
        chunks.initialize(repeating: nil, count: Self.maximumChunks)
    }

    /// The number of `kind:value`, given now if it has none yet; nil when the table is full.
    func id(_ kind: FindingKind, _ value: String) -> UInt32? {
        let key = Key(kind: kind, value: value)
        lock.lock()
        defer { lock.unlock() }
        if let id = ids[key] { return id }
        guard count < Self.capacity else { return nil }
        let chunk = count >> Self.chunkBits
        if chunks[chunk] == nil { chunks[chunk] = .allocate(capacity: Self.chunkSize) }
        let text = "\(kind.rawValue):\(value)"
        var json = JSONWriter(capacity: text.utf8.count + 8)
        json.string(text)
        (chunks[chunk].unsafelyUnwrapped + (count & (Self.chunkSize - 1)))
            .initialize(to: Entry(kind: kind, value: value, text: text, json: json.bytes))
        let id = UInt32(count)
        ids[key] = id
        count += 1
        return id
    }

    /// How many findings have numbers.
    public var size: Int { lock.withLock { count } }

    private func entry(_ id: UInt32) -> UnsafeMutablePointer<Entry> {
        chunks[Int(id) >> Self.chunkBits].unsafelyUnwrapped + (Int(id) & (Self.chunkSize - 1))
    }

    func kind(_ id: UInt32) -> FindingKind { entry(id).pointee.kind }
    func value(_ id: UInt32) -> String { entry(id).pointee.value }
    func text(_ id: UInt32) -> String { entry(id).pointee.text }
    func json(_ id: UInt32) -> [UInt8] { entry(id).pointee.json }
}

extension Finding: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let finding = Finding(parsing: text) else {
            throw DecodingError.dataCorrupted(
                .init(
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
            throw DecodingError.dataCorrupted(
                .init(
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
    public var present: FindingSet
    public var absent: FindingSet

    public init(present: FindingSet = [], absent: FindingSet = []) {
        self.present = present
        self.absent = absent
    }

    public init(present: some Sequence<Finding>, absent: some Sequence<Finding> = FindingSet()) {
        self.present = FindingSet(present)
        self.absent = FindingSet(absent)
    }

    public func values(of kind: FindingKind) -> [String] {
        present.filter { $0.kind == kind }.map(\.value).sorted()
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
