import Foundation
import TestSupport
import Testing
import WireFormat

@testable import Knowledge

@Suite("Findings as numbers and sets of them as bits")
struct FindingSetTests {
    /// 400 findings of test-only values: past the 256 a set holds inline, whatever else the
    /// process has numbered before.
    static let many: [Finding] = (0..<400).map { Finding(.symptom, "finding_set_test_\($0)") }

    @Test("a finding keeps its kind, value and text, and the same kind:value is the same number")
    func numbering() throws {
        let finding = Finding(.symptom, "numbness")
        #expect(finding.kind == .symptom && finding.value == "numbness" && finding.description == "symptom:numbness")
        #expect(Finding(parsing: " symptom : numbness ") == finding)
        #expect(Finding(.symptom, "numbness").id == finding.id)
        #expect(Finding(.trigger, "numbness") != finding, "the kind is part of the finding")
        #expect(Finding(parsing: "symptom:") == nil && Finding(parsing: "nokind:x") == nil && Finding(parsing: "x") == nil)
        #expect(Finding(.location, "calf") < Finding(.symptom, "burning"), "sorted by kind, then value")
        #expect(Finding(.symptom, "burning") < Finding(.symptom, "numbness"))
        #expect(Self.many.last!.id >= 256)
    }

    @Test("every set operation agrees with Set<Finding>, past the inline words too (seeded random)")
    func agreesWithSet() throws {
        var random = SeededRandom(seed: 0x5eed)
        let pool = Self.many + [Finding(.timing, "night"), Finding(.side, "left"), Finding(.condition, "diabetes")]
        func draw() -> Set<Finding> {
            var set = Set<Finding>()
            for _ in 0..<Int.random(in: 0...30, using: &random) { set.insert(pool.randomElement(using: &random)!) }
            // Often only low numbers, so the empty-overflow path is taken as well.
            return Bool.random(using: &random) ? set.filter { $0.id < 256 } : set
        }
        for _ in 0..<2_000 {
            let a = draw()
            let b = draw()
            let x = FindingSet(a)
            let y = FindingSet(b)
            #expect(Set(x) == a && x.count == a.count && x.isEmpty == a.isEmpty)
            #expect(Set(x.union(y)) == a.union(b))
            #expect(Set(x.intersection(y)) == a.intersection(b))
            #expect(Set(x.subtracting(y)) == a.subtracting(b))
            #expect(Set(x.symmetricDifference(y)) == a.symmetricDifference(b))
            #expect((x == y) == (a == b))
            #expect(x.isSubset(of: y) == a.isSubset(of: b) && x.isSubset(of: x.union(y)))
            #expect(x.isDisjoint(with: y) == a.isDisjoint(with: b) && x.isDisjoint(with: y.subtracting(x)))
            #expect(x.subtracting(y).union(x.intersection(y)) == x, "equal sets are equal values, trailing words or not")
            let probe = pool.randomElement(using: &random)!
            #expect(x.contains(probe) == a.contains(probe))
            var inserted = x
            var removed = x
            var set = a
            #expect(inserted.insert(probe).inserted == set.insert(probe).inserted)
            #expect(Set(inserted) == set)
            #expect((removed.remove(probe) != nil) == a.contains(probe))
            #expect(Set(removed) == a.subtracting([probe]))
            #expect(Set(x.filter { $0.id % 2 == 0 }) == a.filter { $0.id % 2 == 0 })
        }
    }

    @Test("a set is stored as its kind:value strings, in number order, and read back")
    func coding() throws {
        let quoted = Finding(.symptom, "finding_set_test_\"quoted\"\\")
        let set: FindingSet = [Finding(.timing, "night"), Finding(.location, "calf"), Self.many[300], quoted]
        // As the stores write it (SessionState.json through JSONWriter), not as JSONEncoder would.
        var out = JSONWriter()
        out.findings(set)
        let json = out.withBytes { String(decoding: $0, as: UTF8.self) }
        let expected = set.sorted { $0.id < $1.id }.map {
            "\""
                + $0.description.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        #expect(json == "[" + expected.joined(separator: ",") + "]", "in number order, escaped")
        #expect(json.contains(#""symptom:finding_set_test_300""#) && json.contains(#"test_\"quoted\"\\""#), "\(json)")
        #expect(try JSONDecoder().decode(FindingSet.self, from: Data(json.utf8)) == set)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(FindingSet.self, from: Data(#"["nonsense"]"#.utf8)) }
    }

    @Test("numbers are given out safely from many threads at once")
    func concurrentNumbering() throws {
        let values = (0..<2_000).map { "concurrent_\($0 % 500)" }
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var findings: [Int: Finding] = [:]
        }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: values.count) { index in
            let finding = Finding(.trigger, values[index])
            results.lock.withLock { results.findings[index] = finding }
        }
        for (index, value) in values.enumerated() {
            let finding = Finding(.trigger, value)
            #expect(results.findings[index] == finding && results.findings[index]?.value == value)
        }
    }
}

@Suite("Finding kinds")
struct FindingKindTests {
    @Test("a kind's index is its place in allCases, which is also its sort order")
    func index() {
        for (position, kind) in FindingKind.allCases.enumerated() {
            #expect(kind.index == position)
        }
        #expect(FindingKind.allCases.sorted() == FindingKind.allCases)
    }
}
