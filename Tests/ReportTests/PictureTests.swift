import Conversation
import Foundation
import Knowledge
import Testing

@testable import Report

/// The picture rendered by a real SVG renderer (librsvg's rsvg-convert, Debian librsvg2-bin):
/// the PNG must not be empty, and the places of the cramps must come out darker than the same
/// place on the leg without them. Skipped when rsvg-convert is missing, unless
/// CHARLEY_TEST_RENDERER=1 (CI sets it), when that is a failure.
@Suite("The picture of the legs, rendered")
struct PictureTests {
    static let renderer: String? = ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let required = ProcessInfo.processInfo.environment["CHARLEY_TEST_RENDERER"] == "1"

    /// The grey levels (0 black, 255 white) around `points` of `svg` rendered at its own size,
    /// and the PNG's width and height; nil when there is no renderer (and none is required).
    func render(_ svg: String, at points: [(x: Double, y: Double)]) throws -> (size: (Int, Int), greys: [Double])? {
        guard let renderer = Self.renderer else {
            if Self.required {
                Issue.record("rsvg-convert is missing and CHARLEY_TEST_RENDERER=1: install librsvg2-bin (scripts/install-deps)")
            } else {
                print("skipped: rsvg-convert is missing (install librsvg2-bin, or set CHARLEY_TEST_RENDERER=1 to make this a failure)")
            }
            return nil
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("charley-picture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let svgFile = folder.appendingPathComponent("legs.svg")
        let pngFile = folder.appendingPathComponent("legs.png")
        try svg.write(to: svgFile, atomically: true, encoding: .utf8)
        let convert = Process()
        convert.executableURL = URL(fileURLWithPath: renderer)
        convert.arguments = ["-f", "png", "-o", pngFile.path, svgFile.path]
        try convert.run()
        convert.waitUntilExit()
        #expect(convert.terminationStatus == 0, "rsvg-convert renders the picture")
        let png = try Data(contentsOf: pngFile)
        #expect(png.count > 1000, "the PNG is not empty")
        let read = Process()
        let out = Pipe()
        read.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        read.arguments =
            ["python3", testsFolder.appendingPathComponent("Scripts/png_pixels.py").path, pngFile.path]
            + points.map { "\(Int($0.x)),\(Int($0.y))" }
        read.standardOutput = out
        try read.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        read.waitUntilExit()
        let lines = text.split(separator: "\n")
        let size = lines.first.map { $0.split(separator: " ").compactMap { Int($0) } } ?? []
        try #require(size.count == 2 && lines.count == points.count + 1, "png_pixels.py read the PNG: \(text)")
        return ((size[0], size[1]), lines.dropFirst().compactMap { Double($0) })
    }

    func diagram(_ lines: [String]) -> LegDiagram {
        var state = SessionState()
        for line in lines { _ = conversation.respond(to: line, state: &state) }
        return LegDiagram(findings: state.findings, knowledge: conversation.knowledge, wording: wording)
    }

    @Test("a left calf: the back view's left calf is dark, the right calf and the front view's shins are not")
    func leftCalf() throws {
        let legs = diagram(["my left calf cramps at night"])
        let points = [
            LegDiagram.centre(of: .calf, view: .back, leg: .left), LegDiagram.centre(of: .calf, view: .back, leg: .right),
            LegDiagram.centre(of: .shin, view: .front, leg: .left), LegDiagram.centre(of: .shin, view: .front, leg: .right)
        ]
        guard let (size, greys) = try render(legs.svgDocument(), at: points) else { return }
        #expect(size == (Int(LegDiagram.width), Int(LegDiagram.height)))
        #expect(greys[0] < 110, "the left calf is shaded: \(greys)")
        #expect(greys[1] > 230 && greys[2] > 230 && greys[3] > 230, "nothing else is: \(greys)")
        #expect(greys[0] < greys[1] - 100)
    }

    @Test("on the front view the person's left leg is on the viewer's right, labelled so")
    func frontViewSides() throws {
        #expect(LegDiagram.centreX(view: .front, leg: .left) > LegDiagram.centreX(view: .front, leg: .right))
        #expect(LegDiagram.centreX(view: .back, leg: .left) < LegDiagram.centreX(view: .back, leg: .right))
        let legs = diagram(["cramps in my right shin"])
        let points = [LegDiagram.centre(of: .shin, view: .front, leg: .right), LegDiagram.centre(of: .shin, view: .front, leg: .left)]
        guard let (_, greys) = try render(legs.svg(), at: points) else { return }
        #expect(greys[0] < 110 && greys[1] > 230, "\(greys)")
        let svg = legs.svg()
        #expect(svg.contains(">Left</text>") && svg.contains(">Right</text>"))
    }

    @Test("no side given: both calves lightly shaded, and the text says the side was not given")
    func sideUnknown() throws {
        let legs = diagram(["my calf cramps at night"])
        #expect(!legs.sideGiven)
        #expect(legs.description.contains("the side was not given"))
        let points = [
            LegDiagram.centre(of: .calf, view: .back, leg: .left), LegDiagram.centre(of: .calf, view: .back, leg: .right),
            LegDiagram.centre(of: .knee, view: .back, leg: .left)
        ]
        guard let (_, greys) = try render(legs.svg(), at: points) else { return }
        #expect(greys[0] < 225 && greys[1] < 225, "both shaded: \(greys)")
        #expect(greys[0] > 130 && greys[1] > 130, "lightly: \(greys)")
        #expect(greys[2] > 240, "the knee is not: \(greys)")
    }

    @Test("swelling and redness are marked on the side given, with a legend, and said in the text alternative")
    func swellingAndRedness() throws {
        let legs = diagram(["my right calf is swollen and red"])
        #expect(legs.swollen == [.right] && legs.reddened == [.right])
        let svg = legs.svg()
        #expect(svg.components(separatedBy: "data-mark=\"swelling\"").count - 1 == 2, "one mark on each view")
        #expect(svg.contains(wording["legend_swelling"]) && svg.contains(wording["legend_redness"]))
        #expect(legs.description.contains("Swelling") && legs.description.contains("Redness"))
        guard let (size, _) = try render(svg, at: [LegDiagram.centre(of: .calf, view: .back, leg: .right)]) else { return }
        #expect(size.0 > 0)
    }
}
