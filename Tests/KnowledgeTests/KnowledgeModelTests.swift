import Foundation
import Testing

@testable import Knowledge

/// The shipped model, loaded once for all tests.
let shippedModel: KnowledgeModel = {
    do { return try KnowledgeLoader.loadBundled() } catch { fatalError("the shipped knowledge model does not load: \(error)") }
}()

@Suite("The shipped knowledge model")
struct KnowledgeModelTests {
    let model = shippedModel

    @Test("every seed fact on the checklist is in the model and cites its seed", arguments: seedChecklist)
    func seedChecklistItem(_ item: ChecklistItem) {
        let sources: [String]?
        switch item.section {
        case .cause: sources = model.cause(item.id)?.sources
        case .treatment: sources = model.treatment(item.id)?.sources
        case .prevention: sources = model.preventionTip(item.id)?.sources
        case .term: sources = model.term(Finding(item.kind!, item.id))?.sources
        }
        #expect(sources != nil, "missing: \(item)")
        #expect(sources?.contains(item.seed) == true, "does not cite \(item.seed): \(item)")
    }

    @Test("every food the seeds name as a mineral source is listed")
    func seedFoodsListed() throws {
        let foods = try #require(model.preventionTip("minerals_from_food")?.foods).joined(separator: " ").lowercased()
        for (seed, food) in seedFoods {
            #expect(foods.contains(food), "\(food) from \(seed)")
        }
    }

    @Test("every seed is cited somewhere, and every source is used")
    func everySourceUsed() {
        var cited = Set<String>()
        model.causes.forEach { cited.formUnion($0.sources) }
        model.treatments.forEach { cited.formUnion($0.sources) }
        model.prevention.forEach { cited.formUnion($0.sources) }
        model.triageRules.forEach { cited.formUnion($0.sources) }
        model.topics.forEach { cited.formUnion($0.sources) }
        for source in model.sources {
            #expect(cited.contains(source.id), "\(source.id) is listed but never cited")
        }
        #expect(model.sources.filter { $0.kind == .seed }.count == 5)
    }

    @Test("every contract id is present")
    func contractIDs() {
        for (kind, ids) in ContractIDs.vocabulary {
            for id in ids { #expect(model.knows(Finding(kind, id)), "\(kind.rawValue):\(id)") }
        }
        for id in ContractIDs.causes { #expect(model.cause(id) != nil, "cause \(id)") }
        let levels = Set(TriageLevel.allCases.map(\.rawValue))
        #expect(levels == ["self_care", "see_doctor", "urgent", "emergency"])
    }

    @Test("every row of the safety table has a triage rule at the right level")
    func safetyTableCovered() {
        let expected: [String: TriageLevel] = [
            "cramp_wont_release": .urgent, "tetanus_risk": .urgent, "toxin_exposure": .urgent,
            "numbness_or_swelling": .seeDoctor, "frequent_or_sleep_disturbing": .seeDoctor,
            "weakness_or_wasting": .seeDoctor, "no_obvious_cause": .seeDoctor, "possible_dvt": .urgent,
            "chest_pain_or_breathlessness": .emergency, "stroke_signs": .emergency,
            "fluid_loss_with_dizziness": .urgent, "cramps_beyond_legs": .urgent, "claudication": .seeDoctor,
            "statin_muscle_damage": .urgent, "medicine_link": .seeDoctor, "restless_legs_lookalike": .seeDoctor
        ]
        for (id, level) in expected {
            #expect(model.rule(id)?.level == level, "\(id)")
        }
    }

    @Test("quinine carries its warning, and no advice tells anyone to stop a medicine")
    func medicineSafety() throws {
        let quinine = try #require(model.treatment("quinine"))
        #expect(quinine.kind == .doctorMayConsider)
        #expect(quinine.sources.contains("fda-quinine-2010"))
        #expect(try #require(quinine.caution).contains("Do not take quinine"))
        #expect(try #require(model.topic("quinine")).answer.contains("no longer recommended"))
        for text in allProse(model) {
            let lower = text.lowercased()
            #expect(!lower.contains("stop taking your"), "\(text)")
            #expect(!lower.contains("stop your medicine"), "\(text)")
        }
    }

    @Test("no text in the model gives a dose")
    func noDoses() {
        for text in allProse(model) {
            #expect(DoseDetector.firstDose(in: text) == nil, "\(text)")
        }
    }

    @Test("the general topics answer each kind of question")
    func generalTopics() {
        for kind in QuestionKind.allCases {
            #expect(model.topic(kind.generalTopic) != nil, "\(kind)")
        }
    }

    @Test("the model round-trips through JSON, the shape bridges read")
    func jsonRoundTrip() throws {
        let data = try ContractJSON.data(model)
        let decoded = try JSONDecoder().decode(KnowledgeModel.self, from: data)
        #expect(decoded == model)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"triage_rules\""))
        #expect(text.contains("\"symptom:swelling\""))
    }
}

func allProse(_ model: KnowledgeModel) -> [String] {
    var texts: [String] = []
    for cause in model.causes { texts += [cause.summary, cause.affects] + cause.whatToDo }
    for treatment in model.treatments { texts += [treatment.how, treatment.caution].compactMap { $0 } }
    for tip in model.prevention { texts.append(tip.advice) }
    for rule in model.triageRules { texts += [rule.message, rule.why] }
    for topic in model.topics { texts.append(topic.answer) }
    return texts
}
