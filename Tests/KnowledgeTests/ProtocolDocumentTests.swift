import Foundation
import Knowledge
import TestSupport
import Testing

/// docs/PROTOCOL.md is where bridge authors read the ids Charley promises: its table of canonical
/// ids must be the contract the validator enforces, and the shipped knowledge model (as the
/// built `charley knowledge --json` prints it) must have every one of them.
@Suite("docs/PROTOCOL.md's canonical ids against the shipped knowledge")
struct ProtocolDocumentTests {
    /// The table between `<!-- contract-ids` and `<!-- end of contract-ids -->`: each row's
    /// field and the ids in backquotes in its second cell (glosses in parentheses left out).
    static func documentedIDs() throws -> [String: [String]] {
        let text = try String(contentsOf: CharleyProcess.packageRoot.appendingPathComponent("docs/PROTOCOL.md"), encoding: .utf8)
        let start = try #require(text.range(of: "<!-- contract-ids"))
        let end = try #require(text.range(of: "<!-- end of contract-ids -->"))
        var table: [String: [String]] = [:]
        for line in text[start.upperBound..<end.lowerBound].split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2 else { continue }
            var ids = cells[1]
            // Glosses: "(with a topic id)", "(\"is this serious?\")".
            while let open = ids.firstIndex(of: "("), let close = ids[open...].firstIndex(of: ")") {
                ids.removeSubrange(open...close)
            }
            table[cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] =
                ids.split(separator: "`", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map { String($0.element) }
        }
        return table
    }

    static let vocabularyFields: [String: FindingKind] = [
        "timing": .timing, "duration": .duration, "frequency": .frequency, "since": .since, "location": .location,
        "side": .side, "triggers": .trigger, "symptoms": .symptom, "conditions": .condition
    ]

    @Test("the table lists exactly the contract the validator keeps")
    func tableIsTheContract() throws {
        let table = try Self.documentedIDs()
        #expect(Set(table.keys) == Set(Self.vocabularyFields.keys).union(["stage", "intent", "causes", "triage"]))
        for (field, kind) in Self.vocabularyFields {
            #expect(table[field] == ContractIDs.vocabulary[kind], "\(field)")
        }
        #expect(table["causes"] == ContractIDs.causes)
        #expect(table["stage"] == ContractIDs.stages)
        #expect(table["intent"] == ContractIDs.intents)
        #expect(Set(table["triage"] ?? []) == Set(TriageLevel.allCases.map(\.rawValue)))
    }

    @Test("the shipped knowledge, as charley knowledge --json prints it, has every documented id")
    func shippedKnowledgeHasThem() throws {
        let result = try CharleyProcess.run(["knowledge", "--json"])
        #expect(result.status == 0)
        let model = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let vocabulary = try #require(model["vocabulary"] as? [String: Any])
        func ids(_ value: Any?) -> Set<String> {
            Set((value as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
        }
        let table = try Self.documentedIDs()
        for (field, kind) in Self.vocabularyFields {
            let shipped = ids(vocabulary[kind.rawValue])
            for id in table[field] ?? [] { #expect(shipped.contains(id), "\(kind.rawValue):\(id) is documented but not shipped") }
        }
        let causes = ids(model["causes"])
        for id in table["causes"] ?? [] { #expect(causes.contains(id), "cause \(id) is documented but not shipped") }
        let levels = Set((model["triage_rules"] as? [[String: Any]] ?? []).compactMap { $0["level"] as? String })
        #expect(levels.isSubset(of: Set(table["triage"] ?? [])))
    }
}
