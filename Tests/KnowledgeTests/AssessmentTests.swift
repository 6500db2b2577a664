import TestSupport
import Testing

@testable import Knowledge

@Suite("Ranking causes and matching triage rules")
struct AssessmentTests {
    let model = shippedModel

    func findings(_ present: [String], absent: [String] = []) -> Findings {
        Findings(present: Set(present.map { Finding(parsing: $0)! }), absent: Set(absent.map { Finding(parsing: $0)! }))
    }

    @Test("a night calf cramp in an older person ranks ordinary night cramps first, with reasons")
    func nightCramps() throws {
        let ranked = model.rankCauses(for: findings(["timing:night", "location:calf", "age_group:older"]))
        let top = try #require(ranked.first)
        #expect(top.id == "idiopathic_nocturnal")
        #expect(top.because.first == "they come at night")
        #expect(top.score > 0.5 && top.score < 1)
    }

    @Test("evidence against a cause lowers it and is reported")
    func against() throws {
        let plain = try #require(model.rankCauses(for: findings(["timing:night"])).first { $0.id == "idiopathic_nocturnal" })
        let swollen = try #require(model.rankCauses(for: findings(["timing:night", "symptom:swelling"])).first { $0.id == "idiopathic_nocturnal" })
        #expect(swollen.score < plain.score)
        #expect(swollen.against == ["swelling is not part of a simple night cramp"])
    }

    @Test("a denied symptom counts against, an unknown one does not")
    func deniedSymptom() throws {
        let unknown = try #require(model.rankCauses(for: findings(["condition:diabetes"])).first { $0.id == "peripheral_neuropathy" })
        let denied = try #require(
            model.rankCauses(for: findings(["condition:diabetes"], absent: ["symptom:numbness"])).first { $0.id == "peripheral_neuropathy" })
        #expect(denied.score < unknown.score)
        #expect(denied.against.map { Wording.render($0, for: nil) } == ["you have no numbness"])
        #expect(denied.against.map { Wording.render($0, for: .other(relation: "mother", sex: "female")) } == ["she has no numbness"])
    }

    @Test("nothing known ranks nothing")
    func empty() {
        #expect(model.rankCauses(for: Findings()).isEmpty)
    }

    /// For every cause, the findings that most typically point to it make it the top cause.
    @Test(
        "every cause can be the top cause",
        arguments: [
            ("overexertion", ["trigger:exercise", "timing:exercise"]),
            ("dehydration", ["trigger:dehydration", "trigger:heat"]),
            ("electrolyte_imbalance", ["medicine:diuretic", "symptom:twitching", "age_group:older", "condition:postmenopausal"]),
            ("cold_exposure", ["trigger:cold", "location:foot"]),
            ("prolonged_posture", ["trigger:prolonged_sitting", "trigger:tight_clothing"]),
            ("idiopathic_nocturnal", ["timing:night", "location:calf"]),
            ("pregnancy", ["condition:pregnancy", "timing:night"]),
            ("medication_side_effect", ["trigger:medication", "medicine:statin"]),
            ("alcohol_tobacco", ["trigger:alcohol", "trigger:smoking"]),
            ("muscle_injury", ["trigger:injury"]),
            ("infection", ["symptom:fever"]),
            ("varicose_veins", ["symptom:visible_veins", "trigger:prolonged_standing"]),
            ("peripheral_artery_disease", ["symptom:eases_with_rest", "timing:exercise", "trigger:smoking"]),
            ("peripheral_neuropathy", ["condition:diabetes", "symptom:numbness", "symptom:tingling"]),
            ("lumbar_disc_or_stenosis", ["symptom:back_pain", "symptom:numbness", "location:thigh"]),
            ("kidney_disease", ["condition:kidney_disease"]),
            ("liver_disease", ["condition:liver_disease"]),
            ("thyroid_disease", ["condition:thyroid_disease"]),
            ("cramp_fasciculation_syndrome", ["symptom:twitching", "frequency:frequent"])
        ])
    func reachable(cause: String, present: [String]) {
        #expect(model.rankCauses(for: findings(present)).first?.id == cause)
    }

    @Test("a swollen red warm calf is a possible DVT; in both legs it is not")
    func dvt() {
        #expect(model.matchingRules(for: findings(["symptom:swelling", "symptom:redness", "symptom:warmth"])).first?.id == "possible_dvt")
        #expect(model.matchingRules(for: findings(["symptom:swelling", "side:left"])).first?.id == "possible_dvt")
        let both = model.matchingRules(for: findings(["symptom:swelling", "side:both"]))
        #expect(!both.contains { $0.id == "possible_dvt" })
        #expect(both.first?.id == "numbness_or_swelling")
    }

    @Test("chest pain outranks everything", arguments: ["symptom:chest_pain", "symptom:breathlessness", "symptom:coughing_blood"])
    func emergency(symptom: String) {
        let rules = model.matchingRules(for: findings([symptom, "symptom:swelling", "side:left"]))
        #expect(rules.first?.level == .emergency)
        #expect(rules.first?.isRedFlag == true)
    }

    @Test("weakness on a statin is urgent; weakness alone is see_doctor")
    func statin() {
        #expect(model.matchingRules(for: findings(["medicine:statin", "symptom:weakness"])).first?.id == "statin_muscle_damage")
        #expect(model.matchingRules(for: findings(["symptom:weakness"])).first?.level == .seeDoctor)
    }

    @Test("a typical harmless cramp matches no rule")
    func harmless() {
        #expect(model.matchingRules(for: findings(["timing:night", "location:calf", "duration:seconds", "frequency:occasional"])).isEmpty)
    }

    @Test("findings parse and print as kind:value")
    func findingSyntax() {
        #expect(Finding(parsing: "symptom:numbness") == Finding(.symptom, "numbness"))
        #expect(Finding(parsing: "smell:roses") == nil)
        #expect(Finding(parsing: "symptom:") == nil)
        #expect(FindingTest(parsing: "not symptom:numbness")?.expectsAbsent == true)
        #expect(FindingTest(parsing: "not symptom:numbness")?.description == "not symptom:numbness")
    }

    @Test("reasons added to a ranking made without them are the reasons a full ranking gives (seeded random findings)")
    func reasonsAddedLater() {
        let all = model.vocabulary.flatMap { kind, terms in terms.map { Finding(kind, $0.id) } }.sorted()
        var random = SeededRandom(seed: 7)
        for _ in 0..<500 {
            var findings = Findings()
            for finding in all where Int.random(in: 0..<8, using: &random) == 0 {
                if Bool.random(using: &random) { findings.present.insert(finding) } else { findings.absent.insert(finding) }
            }
            var later = model.rankCauses(for: findings, reasonsFor: 0)
            model.addReasons(to: &later, for: findings, limit: 3)
            #expect(later == model.rankCauses(for: findings, reasonsFor: 3))
        }
    }

    @Test("the indexes rank causes and match rules exactly as the model does (seeded random findings)")
    func indexesAgreeWithTheModel() {
        let all = model.vocabulary.flatMap { kind, terms in terms.map { Finding(kind, $0.id) } }.sorted()
        let causes = CauseIndex(model)
        let rules = RuleIndex(model.triageRules)
        var random = SeededRandom(seed: 11)
        var matchedSome = 0
        for round in 0..<2_000 {
            // Sparse and dense draws: dense ones make many rules and causes hold at once.
            let oneIn = round % 2 == 0 ? 8 : 3
            var findings = Findings()
            for finding in all where Int.random(in: 0..<oneIn, using: &random) == 0 {
                if Bool.random(using: &random) { findings.present.insert(finding) } else { findings.absent.insert(finding) }
            }
            #expect(causes.rankCauses(for: findings) == model.rankCauses(for: findings))
            let limit = Int.random(in: 0...4, using: &random)
            var later = causes.rankCauses(for: findings, reasonsFor: 0)
            causes.addReasons(to: &later, for: findings, limit: limit)
            #expect(later == model.rankCauses(for: findings, reasonsFor: limit))
            let expected = model.matchingRules(for: findings)
            #expect(rules.matchingRules(for: findings) == expected)
            #expect(rules.matching(findings).map { rules.rules[$0].id } == expected.map(\.id))
            if expected.count > 1 { matchedSome += 1 }
        }
        #expect(matchedSome > 100, "the draws reach findings where several rules hold")
    }

    @Test("rules naming findings past the inline words, or one finding twice in 'any', match as TriageRule.matching does (seeded)")
    func ruleIndexSlowPath() {
        // The model's findings and 300 of test-only values, numbered past 256 whatever the process
        // has numbered before. Rules of the first kind take the fast path when the model's
        // findings were numbered first (always in the daemon; in this test process it depends on
        // which test ran first), rules naming the second take the general one; an index made
        // with `words: false` takes the general path for every rule.
        let low = model.vocabulary.flatMap { kind, terms in terms.map { Finding(kind, $0.id) } }.sorted()
        let pool = low + (0..<300).map { Finding(.symptom, "rule_index_test_\($0)") }
        var random = SeededRandom(seed: 0x9a1e)
        var from = pool
        func tests(_ count: Int) -> [FindingTest] {
            (0..<count).map { _ in FindingTest(from.randomElement(using: &random)!, absent: Int.random(in: 0..<4, using: &random) == 0) }
        }
        let rules = (0..<40).map { index in
            from = index % 2 == 0 ? low : pool
            return
                TriageRule(
                    id: "r\(index)", level: TriageLevel.allCases.randomElement(using: &random)!, title: "t", message: "m", why: "w",
                    match: RuleMatch(
                        all: tests(Int.random(in: 0...2, using: &random)), any: tests(Int.random(in: 0...4, using: &random)),
                        atLeast: Int.random(in: 1...2, using: &random), none: tests(Int.random(in: 0...1, using: &random)).map(\.finding)),
                    sources: [])
        }
        #expect(pool.last!.id >= 256)
        let index = RuleIndex(rules)
        let general = RuleIndex(rules, words: false)
        var held = 0
        for _ in 0..<2_000 {
            var findings = Findings()
            for finding in pool where Int.random(in: 0..<3, using: &random) == 0 {
                if Bool.random(using: &random) { findings.present.insert(finding) } else { findings.absent.insert(finding) }
            }
            let expected = TriageRule.matching(rules, for: findings)
            #expect(index.matchingRules(for: findings) == expected)
            #expect(general.matchingRules(for: findings) == expected)
            held += expected.count
        }
        #expect(held > 500, "the draws make rules hold")
    }
}

@Suite("Edit distance")
struct EditDistanceTests {
    @Test("counts insertions, deletions, substitutions and transpositions, within a limit")
    func distances() {
        #expect(EditDistance.distance("swollen", "swelling", limit: 3) == 3)
        #expect(EditDistance.distance("calf", "clf", limit: 1) == 1)
        #expect(EditDistance.distance("numbness", "numbenss", limit: 1) == 1)
        #expect(EditDistance.distance("cramp", "cramp", limit: 0) == 0)
        #expect(EditDistance.distance("tingling", "swelling", limit: 2) == nil)
        #expect(EditDistance.distance("", "ab", limit: 2) == 2)
        #expect(EditDistance.distance("abcdef", "a", limit: 2) == nil)
    }
}

@Suite("Sentences for the person a conversation is about")
struct WordingTests {
    @Test("placeholders take each person's forms, capitals kept; unknown ones are reported")
    func forms() {
        let text = "{Do_you} get them at night? {Your} calf, not {yours}; {you_are} sure?"
        #expect(Wording.render(text, for: nil) == "Do you get them at night? Your calf, not yours; you are sure?")
        #expect(Wording.render(text, for: .me) == Wording.render(text, for: nil))
        #expect(Wording.render(text, for: .other(relation: "mother", sex: "female")) == "Does she get them at night? Her calf, not hers; she is sure?")
        #expect(Wording.render(text, for: .other(relation: "son", sex: "male")) == "Does he get them at night? His calf, not his; he is sure?")
        #expect(Wording.render(text, for: .other(relation: "partner")) == "Do they get them at night? Their calf, not theirs; they are sure?")
        #expect(Wording.render("no braces here", for: .other()) == "no braces here")
        #expect(Wording.unknownPlaceholders(in: "{your} and {yuor} and {Do_you}") == ["yuor"])
    }

    @Test("a seed article is cited by its headline and site, never by its file name")
    func citations() throws {
        let model = try KnowledgeLoader.loadBundled()
        for source in model.sources {
            #expect(!source.citation.contains(".txt"), "\(source.id): \(source.citation)")
            #expect(!source.citation.isEmpty)
        }
    }
}
