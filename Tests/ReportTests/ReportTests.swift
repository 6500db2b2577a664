import Conversation
import DialogueTesting
import Foundation
import Knowledge
import Testing

@testable import Report

#if canImport(FoundationXML)
    import FoundationXML
#endif

let conversation: Conversation = {
    do { return try Conversation.bundled() } catch { fatalError("\(error)") }
}()
let wording: ReportWording = {
    do { return try ReportWording.loadBundled() } catch { fatalError("\(error)") }
}()
let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
let dialoguesFolder = testsFolder.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Dialogues")
let shippedWording = testsFolder.deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Sources/Report/Resources/report.yaml")
/// A fixed date, so the snapshots do not change from day to day.
let fixedDate = Date(timeIntervalSince1970: 1_796_428_800)  // 2026-12-05 00:00 UTC

/// The state a dialogue ends in (its first `turns` lines only, when given).
func endState(_ name: String, turns: Int? = nil) throws -> SessionState {
    let script = try DialogueScript.parse(String(contentsOf: dialoguesFolder.appendingPathComponent(name), encoding: .utf8), file: name)
    var state = SessionState()
    for turn in script.turns.prefix(turns ?? .max) { _ = conversation.respond(to: turn.text, state: &state) }
    return state
}

func report(_ name: String, turns: Int? = nil) throws -> DoctorReport {
    DoctorReport(state: try endState(name, turns: turns), conversation: conversation, wording: wording, date: fixedDate)
}

/// The dialogues whose end states have text snapshots: the whole story at once (left calf, self),
/// a red flag (DVT), someone writing for a relative, night cramps, a child, both ankles swollen,
/// and one conversation stopped mid-interview.
let snapshotCases: [(dialogue: String, turns: Int?)] = [
    ("02-full-story-at-once.dialogue", nil),
    ("10-redflag-dvt.dialogue", nil),
    ("125-writing-for-a-relative.dialogue", nil),
    ("31-cause-night-cramps.dialogue", nil),
    ("143-growing-pains.dialogue", nil),
    ("104-both-ankles-swollen.dialogue", nil),
    ("01-greeting-then-interview.dialogue", 3)
]

@Suite("The report to take to the doctor")
struct ReportTests {
    @Test(
        "the text report of each dialogue's end state is its snapshot (CHARLEY_UPDATE_SNAPSHOTS=1 writes them)",
        arguments: snapshotCases.map { "\($0.dialogue)|\($0.turns.map(String.init) ?? "")" })
    func textSnapshot(_ key: String) throws {
        let parts = key.split(separator: "|", omittingEmptySubsequences: false)
        let name = String(parts[0])
        let turns = Int(parts[1])
        let text = try report(name, turns: turns).text()
        let file = testsFolder.appendingPathComponent("Snapshots")
            .appendingPathComponent(name.replacingOccurrences(of: ".dialogue", with: turns.map { "-\($0)-turns" } ?? "") + ".txt")
        if ProcessInfo.processInfo.environment["CHARLEY_UPDATE_SNAPSHOTS"] == "1" {
            try text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record("no snapshot \(file.lastPathComponent); run the tests with CHARLEY_UPDATE_SNAPSHOTS=1 to write it")
            return
        }
        if text != expected {
            let got = text.split(separator: "\n", omittingEmptySubsequences: false)
            let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let line = Array(zip(got, want)).firstIndex { $0 != $1 } ?? min(got.count, want.count)
            Issue.record(
                """
                the report of \(name) differs from Snapshots/\(file.lastPathComponent) at line \(line + 1):
                  expected: \(line < want.count ? String(want[line]) : "(end)")
                  actual:   \(line < got.count ? String(got[line]) : "(end)")
                (CHARLEY_UPDATE_SNAPSHOTS=1 writes the new one, to review with git diff)
                """)
        }
    }

    @Test("the HTML parses as XML and shows the findings and the triage the state holds", arguments: snapshotCases.map(\.dialogue))
    func htmlHoldsFindingsAndTriage(_ name: String) throws {
        let state = try endState(name)
        let made = DoctorReport(state: state, conversation: conversation, wording: wording, date: fixedDate)
        let html = made.html()
        let document = try XMLDocument(xmlString: html, options: [])
        func nodes(_ xpath: String) throws -> [XMLNode] { try document.nodes(forXPath: xpath) }
        #expect(try nodes("//*[local-name()='script']").isEmpty, "no script")
        // Every finding said present is shown, worded as the knowledge model labels it.
        let shown = try nodes("//*[local-name()='span'][@class='finding']").compactMap(\.stringValue)
        for finding in state.findings.present where finding.kind != .context {
            guard let label = conversation.knowledge.term(finding)?.label else { continue }
            #expect(shown.contains(Wording.render(label, for: state.subject)), "\(name): \(finding) is shown")
        }
        let triage = try nodes("//*[local-name()='section'][@id='triage']").first
        #expect(try nodes("//*[local-name()='section'][@id='triage']/@data-level").first?.stringValue == (made.triage?.rawValue ?? "none"))
        if let level = state.triage {
            #expect(made.triage! >= level, "the report's triage is never below the conversation's")
            let words = Assessment.words(made.triage!)
            #expect(triage?.stringValue?.lowercased().contains(words) == true, "\(name): the triage says \(words)")
        }
        let svg = try nodes("//*[local-name()='svg']")
        #expect(svg.count == 1)
        #expect(try nodes("//*[local-name()='svg']/@role").first?.stringValue == "img")
        #expect(try nodes("//*[local-name()='svg']/@aria-label").first?.stringValue?.contains(made.diagram.description) == true)
        #expect(try nodes("//*[local-name()='desc']").first?.stringValue == made.diagram.description)
        #expect(try nodes("//*[local-name()='figcaption']").first?.stringValue == made.diagram.description, "the same text in the page")
        #expect(try nodes("//*[@id='not-a-diagnosis']").first?.stringValue?.contains("not a diagnosis") == true)
    }

    @Test("every dialogue's end state makes a report: no dose, no external request, and it says it is not a diagnosis")
    func everyDialogue() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: dialoguesFolder.path).filter { $0.hasSuffix(".dialogue") }.sorted()
        #expect(names.count > 100)
        for name in names {
            let made = try report(name)
            let text = made.text()
            let html = made.html()
            #expect(DoseDetector.firstDose(in: text) == nil, "\(name): no dose")
            #expect(text.contains("not a diagnosis"), "\(name)")
            #expect(text.contains("2026.12") && text.contains("2026-12-05"), "\(name): the version and the date")
            #expect(
                !html.contains("<script") && !html.contains("url(http") && !html.contains("src=\"http") && !html.contains("href=\""),
                "\(name): nothing fetched, nothing to run")
            #expect(!text.lowercased().contains("stop taking"), "\(name): never tells anyone to stop a medicine")
            #expect(!text.contains("{") && !text.contains("<"), "\(name): every placeholder is filled")
        }
    }

    @Test("the report is worded for the person it is about: a relative's cramps are hers, not yours")
    func subject() throws {
        let state = try endState("125-writing-for-a-relative.dialogue")
        #expect(state.subject?.isSelf == false)
        let text = DoctorReport(state: state, conversation: conversation, wording: wording, date: fixedDate).text()
        #expect(text.contains("Your mother: her cramps"))
        #expect(!text.contains("your own cramps"))
        let mine = try report("02-full-story-at-once.dialogue").text()
        #expect(mine.contains("You: your own cramps"))
    }

    @Test("the report reuses the conversation's assessment: the same causes in the same order, the same triage")
    func sameAssessment() throws {
        var state = SessionState()
        var last: Reply?
        for line in ["my left calf cramps at night", "a few seconds", "most nights", "years", "no", "no", "no", "no", "no", "no"] {
            last = conversation.respond(to: line, state: &state)
        }
        let made = DoctorReport(state: state, conversation: conversation, wording: wording, date: fixedDate)
        #expect(made.causes.map(\.id) == last?.causes.map(\.id))
        #expect(made.triage == state.triage)
    }

    @Test("a report of nothing told says so, and gives no triage")
    func empty() {
        let made = DoctorReport(state: SessionState(), conversation: conversation, wording: wording, date: fixedDate)
        #expect(made.nothingTold && made.triage == nil)
        let text = made.text().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains(wording["nothing_told"]))
        #expect(text.contains(wording["no_triage"]))
    }

    @Test("text from the data files is escaped in the HTML and the SVG")
    func escaping() throws {
        let bundled = try String(contentsOf: shippedWording, encoding: .utf8)
        let edited = bundled.replacingOccurrences(of: #"  front: "Front""#, with: #"  front: "Front & <b>side</b>""#)
            .replacingOccurrences(of: #"  left: "Left""#, with: #"  left: "Left \"L\"""#)
        #expect(edited != bundled)
        let custom = try ReportWording.load(text: edited, file: "report.yaml")
        let made = DoctorReport(state: try endState("02-full-story-at-once.dialogue"), conversation: conversation, wording: custom, date: fixedDate)
        let html = made.html()
        #expect(html.contains("Front &amp; &lt;b&gt;side&lt;/b&gt;") && !html.contains("<b>side"))
        #expect(html.contains("Left &quot;L&quot;"))
        _ = try XMLDocument(xmlString: html, options: [])
    }

    @Test("the HTML prints on A4 and Letter: an @page rule and print styles, all inline")
    func printable() throws {
        let html = try report("02-full-story-at-once.dialogue").html()
        #expect(html.contains("@page") && html.contains("@media print"))
        #expect(!html.contains("<link") && !html.contains("@import"))
    }
}

@Suite("The report's wording and questions are data, checked at load")
struct ReportDataTests {
    @Test("a missing, unknown or broken text of report.yaml is named with the file and the entry")
    func wordingValidation() throws {
        let bundled = try String(contentsOf: shippedWording, encoding: .utf8)
        let broken = bundled.replacingOccurrences(of: #"  title: "#, with: #"  titel: "#)
            .replacingOccurrences(of: "Made by Charley on <date>", with: "Made by Charley on {yuor} day")
        do {
            _ = try ReportWording.load(text: broken, file: "report.yaml")
            Issue.record("a broken report.yaml loaded")
        } catch {
            let text = error.description
            #expect(text.contains("report.yaml: text 'title': missing"))
            #expect(text.contains("text 'titel': no text of the report has this id"))
            #expect(text.contains("text 'made': '{yuor}' is not a placeholder"))
            #expect(text.contains("text 'made': it must say <date>"))
        }
    }

    @Test("a doctor question naming an unknown cause, finding or field, or giving a dose, is refused with file and entry")
    func questionValidation() throws {
        let folder = try #require(KnowledgeLoader.bundledDirectory)
        var documents = try KnowledgeLoader.readDocuments(in: folder).filter { $0.name != "doctor-questions.yaml" }
        documents.append(
            KnowledgeDocument(
                name: "doctor-questions.yaml",
                text: """
                    doctor_questions:
                      - id: bad_cause
                        question: "Is it this?"
                        causes: [not_a_cause]
                        sources: [nhs-leg-cramps]
                      - id: bad_finding
                        question: "Is it that?"
                        findings: [symptom:swellng]
                        sources: [nhs-leg-cramps]
                      - id: a_dose
                        question: "Should {you} take 200 mg?"
                        sources: [nhs-leg-cramps]
                      - id: misspelt
                        question: "And this?"
                        sorces: [nhs-leg-cramps]
                    """))
        do {
            _ = try KnowledgeLoader.load(documents: documents)
            Issue.record("broken doctor questions loaded")
        } catch {
            let text = error.description
            #expect(text.contains("doctor-questions.yaml"))
            #expect(text.contains("unknown field 'sorces'"), "\(text)")
        }
        documents.removeLast()
        documents.append(
            KnowledgeDocument(
                name: "doctor-questions.yaml",
                text: """
                    doctor_questions:
                      - id: bad_cause
                        question: "Is it this?"
                        causes: [not_a_cause]
                        sources: [nhs-leg-cramps]
                      - id: bad_finding
                        question: "Is it that?"
                        findings: [symptom:swellng]
                        sources: [nhs-leg-cramps]
                      - id: a_dose
                        question: "Should {you} take 200 mg?"
                        sources: [nhs-leg-cramps, no-such-source]
                    """))
        do {
            _ = try KnowledgeLoader.load(documents: documents)
            Issue.record("broken doctor questions loaded")
        } catch {
            let text = error.description
            #expect(text.contains("doctor-questions.yaml:2: doctor question 'bad_cause': names the unknown cause 'not_a_cause'"), "\(text)")
            #expect(text.contains("doctor question 'bad_finding': names the unknown finding 'symptom:swellng' (did you mean symptom:swelling?)"))
            #expect(text.contains("doctor question 'a_dose': 'question' gives a dose ('200 mg')"))
            #expect(text.contains("doctor question 'a_dose': cites the unknown source 'no-such-source'"))
        }
    }

    @Test("the shipped questions never give a dose or say to stop a medicine, and each fits some report")
    func shippedQuestions() throws {
        let questions = conversation.knowledge.doctorQuestions
        #expect(questions.count >= 10)
        for question in questions {
            #expect(DoseDetector.firstDose(in: question.question) == nil)
            #expect(!question.question.lowercased().contains("stop taking"))
        }
    }
}
