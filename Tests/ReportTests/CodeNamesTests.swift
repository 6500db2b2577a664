import Conversation
import Foundation
import Knowledge
import TestSupport
import Testing

@testable import Report

/// The ids the report's code names (`CodeNames.report`) are checked when its wording loads with
/// the model, and the tables list every id the sources name: findings, the report's texts
/// (`ReportWording.ids`) and the conversation's replies it says (`Replies.ids`).
@Suite("Ids named by the code of the report")
struct CodeNamesTests {
    static func wording() throws -> String {
        try String(contentsOf: CharleyProcess.packageRoot.appendingPathComponent("Sources/Report/Resources/report.yaml"), encoding: .utf8)
    }

    @Test("the shipped model has every id of the table")
    func shipped() throws {
        let model = try KnowledgeLoader.loadBundled()
        #expect(CodeNames.report.issues(in: model).isEmpty)
        _ = try ReportWording.load(text: try Self.wording(), file: "report.yaml", knowledge: model)
    }

    @Test("a finding the picture needs, missing from the model, fails the wording's load naming the file, the id and the code")
    func missingFinding() throws {
        var model = try KnowledgeLoader.loadBundled()
        model.vocabulary[.symptom]?.removeAll { $0.id == "whole_leg_swollen" }
        let text = try Self.wording()
        do {
            _ = try ReportWording.load(text: text, file: "report.yaml", knowledge: model)
            Issue.record("the wording loaded without a finding the report's code names")
        } catch {
            let issue = try #require(error.issues.first { $0.entry == "term 'symptom:whole_leg_swollen'" }, "\(error)")
            #expect(issue.file == "vocabulary.yaml")
            #expect(issue.problem == "missing: the code of Report names it (LegDiagram.swift: a swollen or reddened leg)")
        }
    }

    @Test("every finding, text and reply the sources name is in its table")
    func sourcesNameOnlyListedIDs() throws {
        let found = try NamedIDScan.scan(
            target: "Report",
            calls: [
                "text": ["wording[", "wording.fill("], "reply": ["replies["], "symptom": ["symptom("]
            ])
        #expect(found.filter { $0.section == "text" }.count > 30, "the scan finds the texts: \(found)")
        #expect(found.contains { $0.section == "symptom" }, "the scan finds the symptoms: \(found)")
        for item in found {
            switch item.section {
            case "text":
                #expect(ReportWording.ids.contains(item.id), "\(item) is not in ReportWording.ids")
            case "reply":
                #expect(Replies.ids.contains(item.id), "\(item) is not in Replies.ids")
            case "symptom":
                #expect(CodeNames.report.lists(.finding(.symptom), item.id), "\(item) is not in CodeNames.report")
            default:
                let kind = try #require(FindingKind(rawValue: String(item.section.dropFirst("finding:".count))), "\(item)")
                #expect(CodeNames.report.lists(.finding(kind), item.id), "\(item) is not in CodeNames.report")
            }
        }
    }
}
