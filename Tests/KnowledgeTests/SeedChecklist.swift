import Knowledge

/// What each seed article names, as test data: for every cause, symptom, treatment and
/// prevention tip a seed mentions, the entry of the model that carries it. The test checks the
/// entry exists and cites that seed.
enum ModelSection: String, Sendable {
    case cause, treatment, prevention
    case term
}

struct ChecklistItem: Sendable, CustomStringConvertible {
    var seed: String
    var what: String
    var section: ModelSection
    var id: String
    var kind: FindingKind?

    var description: String { "\(seed): \(what) -> \(section.rawValue) \(kind.map { "\($0.rawValue):" } ?? "")\(id)" }
}

private func item(_ seed: String, _ what: String, cause id: String) -> ChecklistItem {
    ChecklistItem(seed: seed, what: what, section: .cause, id: id)
}
private func item(_ seed: String, _ what: String, treatment id: String) -> ChecklistItem {
    ChecklistItem(seed: seed, what: what, section: .treatment, id: id)
}
private func item(_ seed: String, _ what: String, prevention id: String) -> ChecklistItem {
    ChecklistItem(seed: seed, what: what, section: .prevention, id: id)
}
private func item(_ seed: String, _ what: String, _ kind: FindingKind, _ id: String) -> ChecklistItem {
    ChecklistItem(seed: seed, what: what, section: .term, id: id, kind: kind)
}

let s000 = "000_50ac8e75d1b90f08.txt"
let s001 = "001_33745c738491cb53.txt"
let s002 = "002_f297f4580cd84322.txt"
let s003 = "003_45d14874d105294d.txt"
let s004 = "004_35651cc5db44bb71.txt"

let seedChecklist: [ChecklistItem] = [
    // 000: a neurologist's view
    item(s000, "exercise without warming up, or harder than usual", cause: "overexertion"),
    item(s000, "varicose veins", cause: "varicose_veins"),
    item(s000, "disc disease or stenosis", cause: "lumbar_disc_or_stenosis"),
    item(s000, "diabetes, chronic renal failure, thyroid disease", cause: "kidney_disease"),
    item(s000, "thyroid disease", cause: "thyroid_disease"),
    item(s000, "peripheral neuropathy", cause: "peripheral_neuropathy"),
    item(s000, "electrolyte imbalance from too little water or nutrients", cause: "electrolyte_imbalance"),
    item(s000, "drug side effects", cause: "medication_side_effect"),
    item(s000, "crossed legs, leggings and tight clothes", cause: "prolonged_posture"),
    item(s000, "tight clothes", .trigger, "tight_clothing"),
    item(s000, "cross-legged sitting", .trigger, "prolonged_sitting"),
    item(s000, "bumpy visible veins", .symptom, "visible_veins"),
    item(s000, "compression stockings", treatment: "compression_stockings"),
    item(s000, "removing the vein by surgery", treatment: "vein_treatment"),
    item(s000, "diabetes", .condition, "diabetes"),
    item(s000, "varicose veins", .condition, "varicose_veins"),
    item(s000, "thyroid disease", .condition, "thyroid_disease"),
    item(s000, "recurrent cramps need a doctor", .context, "no_obvious_trigger"),
    // 001: overexertion, cold, low calcium, disc herniation, diabetic neuropathy
    item(s001, "overexertion", cause: "overexertion"),
    item(s001, "cold stimulation", cause: "cold_exposure"),
    item(s001, "hypocalcemia", cause: "electrolyte_imbalance"),
    item(s001, "lumbar disc herniation", cause: "lumbar_disc_or_stenosis"),
    item(s001, "diabetic peripheral neuropathy", cause: "peripheral_neuropathy"),
    item(s001, "numbness and waist discomfort with disc herniation", .symptom, "back_pain"),
    item(s001, "postmenopausal women", .condition, "postmenopausal"),
    item(s001, "elderly people absorb less calcium", .ageGroup, "older"),
    item(s001, "stretch the cramped leg", treatment: "stretch"),
    item(s001, "keep the feet warm", prevention: "keep_warm"),
    item(s001, "calcium-rich foods: milk, tofu, shrimp, soy, leafy greens", prevention: "minerals_from_food"),
    // 002: the long article
    item(s002, "cramp fasciculation syndrome", cause: "cramp_fasciculation_syndrome"),
    item(s002, "end-stage kidney disease", cause: "kidney_disease"),
    item(s002, "cirrhosis", cause: "liver_disease"),
    item(s002, "idiopathic cramps during sleep or rest", cause: "idiopathic_nocturnal"),
    item(s002, "restricted blood supply, atherosclerosis, PAD", cause: "peripheral_artery_disease"),
    item(s002, "pregnancy", cause: "pregnancy"),
    item(s002, "neuropathy or nerve damage", cause: "peripheral_neuropathy"),
    item(s002, "infections", cause: "infection"),
    item(s002, "dehydration", cause: "dehydration"),
    item(s002, "intense or prolonged exercise", cause: "overexertion"),
    item(s002, "alcohol and tobacco", cause: "alcohol_tobacco"),
    item(s002, "numbness", .symptom, "numbness"),
    item(s002, "tingling", .symptom, "tingling"),
    item(s002, "muscle weakness", .symptom, "weakness"),
    item(s002, "swelling", .symptom, "swelling"),
    item(s002, "redness", .symptom, "redness"),
    item(s002, "difficulty walking or standing", .symptom, "difficulty_walking"),
    item(s002, "skin temperature: hot", .symptom, "warmth"),
    item(s002, "skin temperature: cold", .symptom, "cold_skin"),
    item(s002, "lingering pain and tenderness", .symptom, "soreness_after"),
    item(s002, "stretch the muscle gently", treatment: "stretch"),
    item(s002, "heat or cold", treatment: "heat_or_cold"),
    item(s002, "massage", treatment: "massage"),
    item(s002, "quinine, with its side effects", treatment: "quinine"),
    item(s002, "muscle relaxants", treatment: "muscle_relaxants"),
    item(s002, "anti-seizure drugs", treatment: "anti_seizure_medicines"),
    item(s002, "NSAIDs for pain", treatment: "painkillers_after"),
    item(s002, "deep breathing", treatment: "deep_breathing"),
    item(s002, "rest with legs elevated in pregnancy", treatment: "legs_raised"),
    item(s002, "drink water, sports drinks", treatment: "rehydrate"),
    item(s002, "stay hydrated", prevention: "hydration"),
    item(s002, "exercise regularly", prevention: "regular_exercise"),
    item(s002, "warm up and cool down", prevention: "warm_up_and_stretch"),
    item(s002, "magnesium and potassium foods", prevention: "minerals_from_food"),
    item(s002, "avoid excessive alcohol and tobacco", prevention: "limit_alcohol_tobacco"),
    item(s002, "smoking", .trigger, "smoking"),
    item(s002, "pregnancy", .condition, "pregnancy"),
    item(s002, "kidney disease", .condition, "kidney_disease"),
    item(s002, "liver disease", .condition, "liver_disease"),
    item(s002, "peripheral artery disease", .condition, "peripheral_artery_disease"),
    // 003: muscle cramps
    item(s003, "trauma or injury such as a fracture", cause: "muscle_injury"),
    item(s003, "vigorous sports", cause: "overexertion"),
    item(s003, "sitting in the same posture for hours", cause: "prolonged_posture"),
    item(s003, "rest (night) cramps of unknown cause", cause: "idiopathic_nocturnal"),
    item(s003, "dehydration", cause: "dehydration"),
    item(s003, "diuretic drugs", .medicine, "diuretic"),
    item(s003, "liver or kidney failure", cause: "liver_disease"),
    item(s003, "low magnesium and calcium", cause: "electrolyte_imbalance"),
    item(s003, "aged people", .ageGroup, "older"),
    item(s003, "injury", .trigger, "injury"),
    item(s003, "massage and stretching", treatment: "massage"),
    item(s003, "get up and walk around", treatment: "walk_it_off"),
    item(s003, "ice or hot pad", treatment: "heat_or_cold"),
    item(s003, "ibuprofen and acetaminophen", treatment: "painkillers_after"),
    item(s003, "drink plenty of fluids", treatment: "rehydrate"),
    item(s003, "baclofen and cyclobenzaprine", treatment: "muscle_relaxants"),
    item(s003, "Botox injections", treatment: "botox"),
    // 004: ten causes
    item(s004, "night cramps, older people, teenagers", cause: "idiopathic_nocturnal"),
    item(s004, "those who exercise at night", cause: "overexertion"),
    item(s004, "teenagers", .ageGroup, "teen"),
    item(s004, "peripheral neuropathy (leprosy, deficiency, diabetes, chemotherapy)", cause: "peripheral_neuropathy"),
    item(s004, "chemotherapy", .medicine, "chemotherapy"),
    item(s004, "massage", treatment: "massage"),
    item(s004, "gentle stretching", treatment: "stretch"),
    item(s004, "warm shower or bath", treatment: "heat_or_cold"),
    item(s004, "walking or standing on the leg", treatment: "walk_it_off"),
    item(s004, "paracetamol and NSAIDs for residual soreness", treatment: "painkillers_after")
]

/// Foods the seeds name as mineral sources; each must appear in the prevention tip's foods.
let seedFoods: [(seed: String, food: String)] = [
    (s001, "milk"), (s001, "tofu"), (s001, "shrimp"), (s001, "leafy green"),
    (s002, "leafy greens"), (s002, "nuts"), (s002, "whole grains"), (s002, "beans"),
    (s002, "bananas"), (s002, "oranges"), (s002, "avocados"), (s002, "tomatoes")
]
