import Knowledge

extension CodeNames {
    /// The ids of the knowledge model that the code of Conversation names, checked when the
    /// interview loads (a test reads the sources for any the table misses). The replies it says
    /// are `Replies.ids`, checked against replies.yaml.
    public static let conversation = CodeNames(
        target: "Conversation",
        [
            findings(["context:no_obvious_trigger"], neededBy: "Interview.swift: every trigger denied"),
            findings(["age_group:child", "age_group:teen", "age_group:adult", "age_group:older"], neededBy: "Turn.swift: an age answered in years"),
            topics(["other_cramps"], neededBy: "Turn.swift: the answer about cramps elsewhere"),
            topics(["relief"], neededBy: "Turn.swift: a question about treatment"),
            topics(["causes"], neededBy: "Turn.swift: the most likely cause after the assessment"),
            topics(["when_to_see_doctor"], neededBy: "Turn.swift: the advice for them after the assessment"),
            topics(Turn.medicineTopics, neededBy: "Turn.swift: topics about medicines, answered with the rule on medicines and doses"),
            treatments(AssessmentText.generalCareIDs, neededBy: "Conversation.swift: the general care of every assessment")
        ])
}
