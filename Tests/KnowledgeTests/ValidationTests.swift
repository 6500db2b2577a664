import Foundation
import Testing

@testable import Knowledge

/// Broken files must fail with a message naming the file, the entry and the problem.
@Suite("Loading and validating knowledge files")
struct ValidationTests {
    let shipped: [KnowledgeDocument] = {
        try! KnowledgeLoader.readDocuments(in: KnowledgeLoader.bundledDirectory!)
    }()

    /// Loads the shipped files plus `extra`, returning the issues (none if it loads).
    func issues(adding extra: KnowledgeDocument? = nil, editing edit: ((inout [KnowledgeDocument]) -> Void)? = nil) -> [KnowledgeIssue] {
        var documents = shipped
        if let extra { documents.append(extra) }
        edit?(&documents)
        do {
            _ = try KnowledgeLoader.load(documents: documents)
            return []
        } catch {
            return error.issues
        }
    }

    func edit(_ file: String, replacing old: String, with new: String) -> (inout [KnowledgeDocument]) -> Void {
        { documents in
            let index = documents.firstIndex { $0.name == file }!
            precondition(documents[index].text.contains(old), "test setup: \(old) not in \(file)")
            documents[index].text = documents[index].text.replacingOccurrences(of: old, with: new)
        }
    }

    @Test("the shipped files load without problems")
    func shippedLoads() {
        #expect(issues().isEmpty)
    }

    @Test("a duplicate id names both places")
    func duplicateID() throws {
        let extra = KnowledgeDocument(
            name: "zz-extra.yaml",
            text: """
                topics:
                  - id: quinine
                    kind: treatment
                    title: Again
                    answer: Something.
                    sources: [nhs-leg-cramps]
                """)
        let found = try #require(issues(adding: extra).first)
        #expect(found.file == "zz-extra.yaml")
        #expect(found.line == 2)
        #expect(found.entry == "topic 'quinine'")
        #expect(found.problem.contains("used twice"))
        #expect(found.problem.contains("topics.yaml:"))
    }

    @Test("a rule naming a missing finding is reported with a suggestion")
    func unknownFinding() throws {
        let extra = KnowledgeDocument(
            name: "extra.yaml",
            text: """
                triage_rules:
                  - id: test_rule
                    level: urgent
                    title: Test
                    message: Go.
                    why: Because.
                    match:
                      any: ["symptom:sweling"]
                    sources: [nhs-dvt]
                """)
        let found = try #require(issues(adding: extra).first)
        #expect(found.description == "extra.yaml:2: triage rule 'test_rule': names the unknown finding 'symptom:sweling' (did you mean symptom:swelling?)")
    }

    @Test("an entry without a citation, or citing an unknown source, is rejected")
    func citations() {
        let extra = KnowledgeDocument(
            name: "extra.yaml",
            text: """
                prevention:
                  - id: uncited
                    name: Uncited
                    advice: Something.
                    sources: []
                  - id: badly_cited
                    name: Badly cited
                    advice: Something.
                    sources: [my-blog]
                """)
        let found = issues(adding: extra).map(\.description)
        #expect(found.contains("extra.yaml:2: prevention tip 'uncited': no sources: every entry cites a seed file or a reference"))
        #expect(found.contains("extra.yaml:6: prevention tip 'badly_cited': cites the unknown source 'my-blog'"))
    }

    @Test("an empty answer is rejected")
    func emptyAnswer() {
        let extra = KnowledgeDocument(
            name: "extra.yaml",
            text: """
                topics:
                  - id: empty
                    kind: causes
                    title: Empty
                    answer: "  "
                    sources: [nhs-leg-cramps]
                """)
        #expect(issues(adding: extra).map(\.description) == ["extra.yaml:2: topic 'empty': 'answer' is empty"])
    }

    @Test("a dose anywhere in the prose is rejected")
    func dose() {
        let found = issues(
            editing: edit(
                "care.yaml", replacing: "Rub the tight muscle firmly",
                with: "Take 400mg of magnesium and rub the tight muscle firmly"))
        #expect(found.count == 1)
        #expect(found.first?.entry == "treatment 'massage'")
        #expect(found.first?.problem.contains("gives a dose ('400mg')") == true)
    }

    @Test("malformed YAML gives the line")
    func malformedYAML() throws {
        let extra = KnowledgeDocument(name: "broken.yaml", text: "topics:\n  - id: x\n   title: [\n")
        let found = try #require(issues(adding: extra).first)
        #expect(found.file == "broken.yaml")
        #expect(found.line == 3)
        #expect(found.problem.hasPrefix("not valid YAML"))
    }

    @Test("a wrong type names the entry and the field")
    func wrongType() throws {
        let found = try #require(issues(editing: edit("causes.yaml", replacing: "prior: -0.6", with: "prior: often")).first)
        #expect(found.file == "causes.yaml")
        #expect(found.entry == "cause 'overexertion'")
        #expect(found.problem.contains("expected a number"))
        #expect(found.line != nil)
    }

    @Test("a missing required field is named")
    func missingField() throws {
        let extra = KnowledgeDocument(
            name: "extra.yaml",
            text: """
                topics:
                  - id: no_answer
                    kind: causes
                    title: No answer
                    sources: [nhs-leg-cramps]
                """)
        let found = try #require(issues(adding: extra).first)
        #expect(found.entry == "topic 'no_answer'")
        #expect(found.problem == "the field 'answer' is missing")
        #expect(found.line == 2)
    }

    @Test("a misspelt field is caught instead of silently ignored")
    func misspeltField() throws {
        let found = try #require(
            issues(
                editing: edit(
                    "care.yaml", replacing: "    caution: >\n      Do not take quinine",
                    with: "    cuation: >\n      Do not take quinine")
            ).first)
        #expect(found.entry == "treatment 'quinine'")
        #expect(found.problem.hasPrefix("unknown field 'cuation'"))
    }

    @Test("removing a contract id is an error")
    func contractIDRemoved() {
        let found = issues(editing: edit("vocabulary.yaml", replacing: "    - {id: calf, label: \"the calf\", noted: \"calf\"}\n", with: ""))
        #expect(found.map(\.problem).contains("the contract id location:calf is missing from the vocabulary"))
    }

    @Test("an unknown finding kind in the vocabulary is named")
    func unknownKind() throws {
        let extra = KnowledgeDocument(name: "extra.yaml", text: "vocabulary:\n  smells:\n    - {id: x, label: x}\n")
        let found = try #require(issues(adding: extra).first)
        #expect(found.line == 2)
        #expect(found.problem.hasPrefix("unknown kind 'smells'"))
    }

    @Test("a model without a version, or with two, is rejected")
    func version() {
        let twice = issues(adding: KnowledgeDocument(name: "v.yaml", text: "version: \"2\"\n"))
        #expect(twice.map(\.problem) == ["'version' is given in more than one file"])
        // Whatever the version is: the line is taken out, not a particular value.
        let none = issues(editing: { documents in
            let index = documents.firstIndex { $0.name == "model.yaml" }!
            let text = documents[index].text
            precondition(text.range(of: #"version: "[^"]*""#, options: .regularExpression) != nil, "test setup: no version in model.yaml")
            documents[index].text = text.replacingOccurrences(of: #"version: "[^"]*""#, with: "", options: .regularExpression)
        })
        #expect(none.map(\.problem) == ["no file gives the model's 'version'"])
    }

    @Test("a rule's at_least must fit its any list")
    func atLeast() {
        let found = issues(
            editing: edit(
                "triage.yaml", replacing: "any: [\"symptom:eases_with_rest\"]",
                with: "any: [\"symptom:eases_with_rest\"]\n      at_least: 2"))
        #expect(found.map(\.entry) == ["triage rule 'claudication'"])
    }

    @Test("a condition needs the question the interview asks")
    func conditionQuestion() {
        let extra = KnowledgeDocument(name: "extra.yaml", text: "vocabulary:\n  condition:\n    - {id: gout, label: gout}\n")
        let found = issues(adding: extra).map(\.description)
        #expect(found.contains("extra.yaml:3: condition 'gout': a condition needs a 'question' for the interview"))
    }

    @Test("an empty folder and an unreadable file give clear errors")
    func filesystem() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("charley-empty-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: KnowledgeError.self) { try KnowledgeLoader.load(directory: folder) }
        let binary = folder.appendingPathComponent("junk.yaml")
        try Data([0xff, 0xfe, 0x00, 0x80]).write(to: binary)
        do {
            _ = try KnowledgeLoader.load(directory: folder)
            Issue.record("junk loaded")
        } catch {
            #expect(error.issues.first?.description == "junk.yaml: the file is not UTF-8 text")
        }
    }

    @Test("doses are recognised in the usual spellings")
    func doseDetector() {
        #expect(DoseDetector.firstDose(in: "take 200 mg daily") == "200 mg")
        #expect(DoseDetector.firstDose(in: "take 2 tablets") == "2 tablets")
        #expect(DoseDetector.firstDose(in: "0.5mg at night") == "0.5mg")
        #expect(DoseDetector.firstDose(in: "lasts more than 10 minutes") == nil)
        #expect(DoseDetector.firstDose(in: "999 in the UK") == nil)
    }
}
