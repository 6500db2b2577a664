import Knowledge

extension CodeNames {
    /// The ids of the knowledge model that the code of Understanding names, checked when the
    /// lexicon loads (a test reads the sources for any the table misses).
    public static let understanding = CodeNames(
        target: "Understanding",
        [
            findings(["symptom:fever", "symptom:confusion"], neededBy: "Quantities.swift: a high temperature, not knowing the day"),
            findings(["trigger:heat"], neededBy: "Quantities.swift: a hot day's temperature"),
            findings(["frequency:frequent", "frequency:occasional", "timing:night"], neededBy: "Quantities.swift: how often, at night"),
            findings(["age_group:child", "age_group:teen", "age_group:adult", "age_group:older"], neededBy: "Quantities.swift: an age in years"),
            findings(["condition:pregnancy"], neededBy: "Quantities.swift: weeks pregnant"),
            findings(["duration:seconds", "duration:minutes", "duration:long"], neededBy: "Quantities.swift, Reading.swift: how long a cramp lasts"),
            findings(["since:today", "since:days", "since:weeks", "since:months", "since:years"], neededBy: "Quantities.swift: since when"),
            findings(["trigger:clot_risk"], neededBy: "Quantities.swift: a long flight or drive"),
            findings(["trigger:medication"], neededBy: "Interpreter.swift: a medicine told as the trigger"),
            findings(["symptom:cramp_elsewhere"], neededBy: "Interpreter.swift: cramps in another part of the body"),
            findings(["symptom:hand_spasm"], neededBy: "Interpreter.swift: hands in a claw are not cramps elsewhere as well"),
            findings(["symptom:swelling", "symptom:both_legs_swollen", "symptom:one_leg_swollen"], neededBy: "Interpreter.swift: a swelling told of one side"),
            // The code's own lists, named here rather than copied.
            Reading.preference.flatMap { kind, ids in
                findings(kind, ids, neededBy: "Reading.swift: which of several values of one kind is kept")
            },
            findings(["side:left", "side:right", "side:both"], neededBy: "Reading.swift: left and right make both"),
            topics(["other_cramps"], neededBy: "Interpreter.swift: a question about cramps elsewhere"),
            topics(Interpreter.weakTopics, neededBy: "Interpreter.swift: topics an explicit kind of question wins over"),
            topics(Interpreter.warningTopics, neededBy: "Interpreter.swift: a topic with a warning"),
            topics(Interpreter.safetyTopics, neededBy: "Interpreter.swift: the safety topics")
        ])
}
