import Foundation
import Testing
import Yams

@testable import Knowledge

/// `NodeDecoder` stands in for Yams' `YAMLDecoder` when loading data files: the values and,
/// for broken files, the problems reported (built from the error's kind, type and path) must be
/// the same.
@Suite("NodeDecoder decodes as YAMLDecoder does")
struct NodeDecoderTests {
    struct Sample: Decodable, Equatable {
        enum Colour: String, Decodable { case red, green }
        struct Inner: Decodable, Equatable {
            var name: String
            var weight: Double?
        }
        var id: String
        var count: Int
        var ratio: Double
        var on: Bool
        var colour: Colour
        var tags: [String]
        var inner: [Inner]
        var byKind: [FindingKind: [String]]?
        var finding: Finding?
        var missing: String?
    }

    static let good = """
        id: x1
        count: 3
        ratio: 0.25
        on: true
        colour: green
        tags: [a, "b c", 'd']
        inner:
          - name: one
            weight: -1.5
          - name: two
        byKind:
          symptom: [numbness]
          trigger: []
        finding: symptom:numbness
        """

    enum Outcome: Equatable {
        case value(Sample)
        case problem(String)
    }

    /// The problem `KnowledgeLoader` would report, or the decoded value.
    static func outcome(_ text: String, node: Bool) throws -> Outcome {
        let root = try #require(try Yams.compose(yaml: text, .basic))
        do {
            let value = node ? try NodeDecoder().decode(Sample.self, from: root) : try YAMLDecoder().decode(Sample.self, from: root)
            return .value(value)
        } catch let error as DecodingError {
            let issue = KnowledgeLoader.issue(for: error, file: "f.yaml", root: root)
            return .problem("\(issue.line.map(String.init) ?? "-") \(issue.problem)")
        }
    }

    @Test("the same value from a good document")
    func sameValue() throws {
        let outcome = try Self.outcome(Self.good, node: true)
        #expect(outcome == (try Self.outcome(Self.good, node: false)))
        guard case .value(let value) = outcome else {
            Issue.record("the good document should decode: \(outcome)")
            return
        }
        #expect(value.inner.last?.weight == nil && value.byKind?[FindingKind.symptom] == ["numbness"] && value.tags == ["a", "b c", "d"])
    }

    @Test(
        "the same problem, line included, from broken documents",
        arguments: [
            ("count: 3", "count: three"),  // a number expected
            ("on: true", "on: maybe"),  // true or false expected
            ("colour: green", "colour: blue"),  // not one of the cases
            ("id: x1\n", ""),  // a field missing
            ("tags: [a, \"b c\", 'd']", "tags: a"),  // a list expected
            ("  - name: two", "  - weight: 2"),  // a nested field missing
            ("finding: symptom:numbness", "finding: numbness"),  // not kind:value
            ("byKind:\n  symptom: [numbness]", "byKind:\n  smell: [roses]"),  // an unknown kind as a key
            ("inner:", "inner: 7\nold_inner:")  // a list expected, found a number
        ])
    func sameProblem(_ edit: (String, String)) throws {
        precondition(Self.good.contains(edit.0), "test setup: \(edit.0)")
        let broken = Self.good.replacingOccurrences(of: edit.0, with: edit.1)
        let fromNode = try Self.outcome(broken, node: true)
        let fromYams = try Self.outcome(broken, node: false)
        #expect(fromNode == fromYams, "\(edit.1)")
        guard case .problem = fromNode else {
            Issue.record("'\(edit.1)' should not decode")
            return
        }
    }

    @Test("one difference, on purpose: a list or mapping where a scalar belongs names the scalar expected")
    func scalarExpected() throws {
        let broken = Self.good.replacingOccurrences(of: "ratio: 0.25", with: "ratio: [1]")
        #expect(try Self.outcome(broken, node: true) == .problem("3 expected a number at 'ratio'"))
        // YAMLDecoder expects a `Node.Scalar`, which the loader's wording calls a mapping.
        #expect(try Self.outcome(broken, node: false) == .problem("3 expected a mapping at 'ratio'"))
    }
}

@Suite("NodeDecoder refuses fields no type reads")
struct NodeDecoderFieldTests {
    struct Entry: Decodable {
        var id: String
        var note: String?
    }
    struct File: Decodable {
        var entries: [Entry]
        var byName: [String: Int]?
    }

    static func decode(_ yaml: String) throws -> File {
        let root = try #require(try Yams.compose(yaml: yaml))
        return try NodeDecoder().decodeCheckingFields(File.self, from: root)
    }

    @Test("known fields, optional ones and a dictionary's keys pass")
    func known() throws {
        let file = try Self.decode("entries:\n  - {id: a, note: x}\n  - {id: b}\nbyName: {any: 1, keys: 2}\n")
        #expect(file.entries.map(\.id) == ["a", "b"])
        #expect(file.byName?.count == 2)
    }

    @Test("an unknown field is named with its line, its place and the fields asked for there")
    func unknown() throws {
        do {
            _ = try Self.decode("entries:\n  - id: a\n    nott: x\n")
            Issue.record("accepted")
        } catch let error as UnknownFieldsError {
            let field = try #require(error.fields.first)
            #expect(error.fields.count == 1)
            #expect(field.key == "nott")
            #expect(field.line == 3)
            #expect(field.known == ["id", "note"])
            #expect(field.path.map(\.stringValue) == ["entries", "Index 0"])
        }
        // The plain decode, as YAMLDecoder, still ignores it.
        let root = try #require(try Yams.compose(yaml: "entries:\n  - id: a\n    nott: x\n"))
        #expect(try NodeDecoder().decode(File.self, from: root).entries.count == 1)
    }
}
