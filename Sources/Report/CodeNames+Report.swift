import Knowledge

extension CodeNames {
    /// The ids of the knowledge model that the code of the report names, checked when the
    /// report's wording loads with the model (a test reads the sources for any the table
    /// misses). The texts it says are `ReportWording.ids`, checked against report.yaml.
    public static let report = CodeNames(
        target: "Report",
        [
            findings(
                ["location:calf", "location:shin", "location:thigh", "location:foot", "location:toes", "location:whole_leg"],
                neededBy: "LegDiagram.swift: the regions each place shades"),
            findings(["side:left", "side:right", "side:both"], neededBy: "LegDiagram.swift: which legs are drawn"),
            findings(
                [
                    "symptom:swelling", "symptom:one_leg_swollen", "symptom:whole_leg_swollen", "symptom:both_legs_swollen",
                    "symptom:redness", "symptom:warmth"
                ], neededBy: "LegDiagram.swift: a swollen or reddened leg")
        ])
}
