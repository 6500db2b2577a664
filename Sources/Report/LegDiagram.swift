import Knowledge

/// The picture of where it hurts: both legs seen from the front and from the back, the places
/// of the cramps shaded (a hatch over grey, so it reads in black and white) on the side given
/// (both lightly when no side was given), swelling marked with a dashed outline and redness or
/// warmth with a circled cross, a legend, and a text alternative (`<title>`, `<desc>`,
/// `aria-label`) that says the same. Drawn from the findings alone; an SVG string, no I/O.
public struct LegDiagram: Sendable {
    public enum View: String, Sendable, CaseIterable { case front, back }
    /// The person's leg (on a front view their left leg is on the viewer's right).
    public enum Leg: String, Sendable, CaseIterable { case left, right }
    public enum Region: String, Sendable, CaseIterable { case thigh, knee, shin, calf, ankle, foot, toes }

    /// How a region is shaded.
    public enum Shade: Sendable, Equatable { case none, light, full }

    /// The canvas, in SVG units (also its size in pixels when rendered as it is).
    public static let width = 520.0
    public static let height = 360.0

    /// Regions shaded on each view and leg.
    public let shaded: [View: [Leg: [Region: Shade]]]
    public let swollen: Set<Leg>
    /// Swelling of the whole leg (else from the knee down).
    public let swollenWholeLeg: Bool
    public let reddened: Set<Leg>
    public let sideGiven: Bool
    let hasPlace: Bool
    /// The title and the description, as the SVG and the HTML give them.
    public let title: String
    public let description: String
    let labels: (front: String, back: String, left: String, right: String)
    let legend: (cramps: String, light: String, swelling: String, redness: String)

    /// The regions each view shows.
    public static func regions(_ view: View) -> [Region] {
        view == .front ? [.thigh, .knee, .shin, .ankle, .foot, .toes] : [.thigh, .knee, .calf, .ankle, .foot]
    }

    /// The regions that show a place of the findings' `location`, by view.
    static func regions(for location: String) -> [View: [Region]] {
        switch location {
        case "calf": [.back: [.calf]]
        case "shin": [.front: [.shin]]
        case "thigh": [.front: [.thigh], .back: [.thigh]]
        case "foot": [.front: [.foot], .back: [.foot]]
        case "toes": [.front: [.toes]]
        case "whole_leg": [.front: regions(.front), .back: regions(.back)]
        default: [:]
        }
    }

    public init(findings: Findings, knowledge: KnowledgeModel, wording: ReportWording) {
        let side = findings.values(of: .side).first
        let legs: [Leg] =
            switch side {
            case "left": [.left]
            case "right": [.right]
            default: [.left, .right]
            }
        let sideGiven = side != nil
        let locations = knowledge.terms(.location).map(\.id).filter { findings.present.contains(Finding(.location, $0)) }
        var shaded: [View: [Leg: [Region: Shade]]] = [:]
        for location in locations {
            for (view, regions) in Self.regions(for: location) {
                for leg in legs {
                    for region in regions { shaded[view, default: [:]][leg, default: [:]][region] = sideGiven ? .full : .light }
                }
            }
        }
        let symptom = { (id: String) in findings.present.contains(Finding(.symptom, id)) }
        let bothSwollen = symptom("both_legs_swollen")
        let swelling = symptom("swelling") || symptom("one_leg_swollen") || symptom("whole_leg_swollen") || bothSwollen
        let redness = symptom("redness") || symptom("warmth")
        self.shaded = shaded
        self.swollen = swelling ? Set(bothSwollen ? [.left, .right] : legs) : []
        self.swollenWholeLeg = symptom("whole_leg_swollen")
        self.reddened = redness ? Set(legs) : []
        self.sideGiven = sideGiven
        self.hasPlace = !locations.isEmpty

        func label(_ finding: Finding) -> String { knowledge.term(finding)?.label ?? finding.value }
        let sideWords = side.map { label(Finding(.side, $0)) } ?? label(Finding(.side, "both"))
        var sentences: [String] = []
        let places = Self.list(locations.map { label(Finding(.location, $0)) })
        if locations.isEmpty {
            sentences.append(wording["picture_no_place"])
        } else if sideGiven {
            sentences.append(wording.fill("picture_places", ["places": places, "side": sideWords]))
        } else {
            sentences.append(wording.fill("picture_places_no_side", ["places": places]))
        }
        if swelling { sentences.append(wording.fill("picture_swelling", ["side": bothSwollen ? label(Finding(.side, "both")) : sideWords])) }
        if redness { sentences.append(wording.fill("picture_redness", ["side": sideWords])) }
        self.title = wording["picture_title"]
        self.description = sentences.joined(separator: " ")
        self.labels = (wording["front"], wording["back"], wording["left"], wording["right"])
        self.legend = (wording["legend_cramps"], wording["legend_light"], wording["legend_swelling"], wording["legend_redness"])
    }

    /// "the calf", "the calf and the shin", "the calf, the shin and the foot".
    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    // MARK: - Geometry

    /// Where a leg's centre line is on the canvas: on the front view the person's right leg is
    /// on the viewer's left; on the back view their left leg is.
    public static func centreX(view: View, leg: Leg) -> Double {
        switch (view, leg) {
        case (.front, .right): 80
        case (.front, .left): 160
        case (.back, .left): 360
        case (.back, .right): 440
        }
    }

    /// A point well inside a region, for tests that look at the rendered picture.
    public static func centre(of region: Region, view: View, leg: Leg) -> (x: Double, y: Double) {
        let y: Double =
            switch region {
            case .thigh: 84
            case .knee: 139
            case .shin, .calf: 180
            case .ankle: 228
            case .foot: view == .front ? 248 : 248
            case .toes: 266
            }
        return (centreX(view: view, leg: leg), y)
    }

    /// The region's outline around x = 0 (the leg's centre line).
    static func path(_ region: Region, view: View) -> String {
        switch region {
        case .thigh: "M -26 40 L 26 40 L 17 128 L -17 128 Z"
        case .knee: "M -17 128 L 17 128 L 15 150 L -15 150 Z"
        case .shin, .calf: "M -15 150 L 15 150 C 19 162 19 178 17 190 L 9 222 L -9 222 L -17 190 C -19 178 -19 162 -15 150 Z"
        case .ankle: "M -9 222 L 9 222 L 10 234 L -10 234 Z"
        case .foot:
            view == .front
                ? "M -10 234 L 10 234 L 15 260 L -15 260 Z"
                : "M -10 234 L 10 234 L 11 252 Q 11 264 0 264 Q -11 264 -11 252 Z"
        case .toes: "M -15 260 L 15 260 Q 15 274 0 274 Q -15 274 -15 260 Z"
        }
    }

    // MARK: - Drawing

    /// The picture as an SVG document (for a file: with the XML declaration).
    public func svgDocument() -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg()
    }

    /// The picture as an `<svg>` element, to stand alone or inside an HTML page.
    public func svg() -> String {
        var out = ""
        out.reserveCapacity(9000)
        out +=
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"520\" height=\"360\" viewBox=\"0 0 520 360\" role=\"img\" aria-labelledby=\"charley-legs-title charley-legs-desc\" aria-label=\""
        out += Markup.escape(title + ". " + description)
        out += "\" font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\">\n"
        out += "<title id=\"charley-legs-title\">\(Markup.escape(title))</title>\n"
        out += "<desc id=\"charley-legs-desc\">\(Markup.escape(description))</desc>\n"
        out += """
            <defs>
            <pattern id="charley-cramp" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#8a8a8a"/><rect width="3" height="6" fill="#000000"/></pattern>
            <pattern id="charley-cramp-light" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#e2e2e2"/><rect width="1.2" height="6" fill="#707070"/></pattern>
            </defs>
            <rect x="0" y="0" width="520" height="360" fill="#ffffff"/>
            <line x1="260" y1="10" x2="260" y2="300" stroke="#999999" stroke-width="1" stroke-dasharray="3 3"/>

            """
        for view in View.allCases {
            let heading = view == .front ? labels.front : labels.back
            out +=
                "<text x=\"\(view == .front ? 120 : 400)\" y=\"20\" font-size=\"15\" font-weight=\"bold\" text-anchor=\"middle\">\(Markup.escape(heading))</text>\n"
            let xs = Leg.allCases.map { Self.centreX(view: view, leg: $0) }
            let left = xs.min()! - 28
            let right = xs.max()! + 28
            out +=
                "<path d=\"M \(Self.number(left)) 40 L \(Self.number(left + 6)) 28 L \(Self.number(right - 6)) 28 L \(Self.number(right)) 40 Z\" fill=\"#ffffff\" stroke=\"#000000\" stroke-width=\"1.5\"/>\n"
            for leg in Leg.allCases {
                let x = Self.centreX(view: view, leg: leg)
                out += "<g transform=\"translate(\(Self.number(x)) 0)\" data-view=\"\(view.rawValue)\" data-leg=\"\(leg.rawValue)\">\n"
                for region in Self.regions(view) {
                    let shade = shaded[view]?[leg]?[region] ?? .none
                    let fill =
                        switch shade {
                        case .none: "#ffffff"
                        case .light: "url(#charley-cramp-light)"
                        case .full: "url(#charley-cramp)"
                        }
                    out +=
                        "<path d=\"\(Self.path(region, view: view))\" fill=\"\(fill)\" stroke=\"#000000\" stroke-width=\"1.5\" data-region=\"\(region.rawValue)\""
                    if shade != .none { out += " data-shade=\"\(shade == .full ? "full" : "light")\"" }
                    out += "/>\n"
                }
                if swollen.contains(leg) {
                    out +=
                        swollenWholeLeg
                        ? "<rect x=\"-34\" y=\"33\" width=\"68\" height=\"248\" rx=\"14\" fill=\"none\" stroke=\"#000000\" stroke-width=\"2.5\" stroke-dasharray=\"7 4\" data-mark=\"swelling\"/>\n"
                        : "<rect x=\"-26\" y=\"143\" width=\"52\" height=\"128\" rx=\"12\" fill=\"none\" stroke=\"#000000\" stroke-width=\"2.5\" stroke-dasharray=\"7 4\" data-mark=\"swelling\"/>\n"
                }
                if reddened.contains(leg) { out += Self.redness(x: 0, y: 205, mark: true) }
                out += "</g>\n"
                out +=
                    "<text x=\"\(Self.number(x))\" y=\"298\" font-size=\"13\" text-anchor=\"middle\">\(Markup.escape(leg == .left ? labels.left : labels.right))</text>\n"
            }
        }
        // The legend: only what the picture uses, and always what the shading means.
        var entries: [(symbol: String, words: String)] = []
        if !hasPlace || sideGiven {
            entries.append(("<rect x=\"0\" y=\"-11\" width=\"22\" height=\"14\" fill=\"url(#charley-cramp)\" stroke=\"#000000\"/>", legend.cramps))
        }
        if hasPlace && !sideGiven {
            entries.append(("<rect x=\"0\" y=\"-11\" width=\"22\" height=\"14\" fill=\"url(#charley-cramp-light)\" stroke=\"#000000\"/>", legend.light))
        }
        if !swollen.isEmpty {
            entries.append(
                (
                    "<rect x=\"1\" y=\"-11\" width=\"20\" height=\"14\" rx=\"4\" fill=\"none\" stroke=\"#000000\" stroke-width=\"2.5\" stroke-dasharray=\"7 4\"/>",
                    legend.swelling
                ))
        }
        if !reddened.isEmpty { entries.append((Self.redness(x: 11, y: -4, mark: false), legend.redness)) }
        for (index, entry) in entries.enumerated() {
            let x = 20 + Double(index % 2) * 250
            let y = 326 + Double(index / 2) * 24
            out +=
                "<g transform=\"translate(\(Self.number(x)) \(Self.number(y)))\">\(entry.symbol)<text x=\"30\" y=\"0\" font-size=\"13\">\(Markup.escape(entry.words))</text></g>\n"
        }
        out += "</svg>\n"
        return out
    }

    /// The circled cross that marks redness or warmth.
    static func redness(x: Double, y: Double, mark: Bool) -> String {
        let data = mark ? " data-mark=\"redness\"" : ""
        return "<g transform=\"translate(\(number(x)) \(number(y)))\"\(data)><circle r=\"8\" fill=\"#ffffff\" stroke=\"#000000\" stroke-width=\"2\"/>"
            + "<path d=\"M -5 0 L 5 0 M 0 -5 L 0 5\" stroke=\"#000000\" stroke-width=\"2\"/></g>\n"
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
