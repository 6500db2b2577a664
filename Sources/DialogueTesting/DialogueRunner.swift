import Conversation
import Foundation
import Knowledge
import Understanding

/// One expectation that did not hold, with where it is and what Charley actually did.
public struct DialogueFailure: Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var expected: String
    public var actual: String

    public var description: String { "\(file):\(line): expected \(expected)\n    actual: \(actual)" }
}

/// Runs dialogue scripts through the conversation engine.
public struct DialogueRunner: Sendable {
    public let conversation: Conversation

    public init(conversation: Conversation) { self.conversation = conversation }

    public func run(_ script: DialogueScript) -> [DialogueFailure] {
        var state = SessionState()
        var failures: [DialogueFailure] = []
        for turn in script.turns {
            let reply = conversation.respond(to: turn.text, state: &state)
            for expectation in turn.expectations {
                if let (expected, actual) = verify(expectation.check, reply: reply, state: state) {
                    failures.append(DialogueFailure(file: script.file, line: expectation.line, expected: expected, actual: actual))
                }
            }
        }
        return failures
    }

    /// nil when the check holds; otherwise what was expected and what was there.
    private func verify(_ check: DialogueScript.Check, reply: Reply, state: SessionState) -> (String, String)? {
        let text = reply.reply
        let lower = text.lowercased()
        let excerpt = text.count > 400 ? String(text.prefix(400)) + "..." : text
        switch check {
        case .contains(let wanted):
            return lower.contains(wanted.lowercased()) ? nil : ("the reply to contain \"\(wanted)\"", excerpt)
        case .lacks(let unwanted):
            return lower.contains(unwanted.lowercased()) ? ("the reply not to contain \"\(unwanted)\"", excerpt) : nil
        case .matches(let pattern):
            let regex = try! Regex(pattern)
            return text.contains(regex) ? nil : ("the reply to match /\(pattern)/", excerpt)
        case .stage(let stage):
            return reply.stage.rawValue == stage ? nil : ("stage \(stage)", "stage \(reply.stage.rawValue)")
        case .triage(let level):
            return reply.triage?.rawValue == level ? nil : ("triage \(level ?? "none")", "triage \(reply.triage?.rawValue ?? "none")")
        case .slot(let name, let value):
            let known = slotValues(reply.slots, name)
            return known.contains(value) ? nil : ("slot \(name) \(value)", "slot \(name) \(known.isEmpty ? "unknown" : known.joined(separator: ", "))")
        case .has(let finding):
            return state.findings.present.contains(finding)
                ? nil
                : ("\(finding) known", "known: \(state.findings.present.sorted().map(\.description).joined(separator: " "))")
        case .denies(let finding):
            return state.findings.absent.contains(finding)
                ? nil
                : ("\(finding) denied", "denied: \(state.findings.absent.sorted().map(\.description).joined(separator: " "))")
        case .topCause(let id):
            return reply.causes.first?.id == id ? nil : ("top cause \(id)", "causes \(reply.causes.map(\.id))")
        case .causesInclude(let id):
            return reply.causes.contains { $0.id == id } ? nil : ("causes to include \(id)", "causes \(reply.causes.map(\.id))")
        case .redFlag(let id):
            return reply.redFlags.contains(id) ? nil : ("red flag \(id)", "red flags \(reply.redFlags)")
        case .noRedFlags:
            return reply.redFlags.isEmpty ? nil : ("no red flag", "red flags \(reply.redFlags)")
        case .intent(let intent):
            return reply.understood.intent.rawValue == intent ? nil : ("intent \(intent)", "intent \(reply.understood.intent.rawValue)")
        case .topic(let topic):
            return reply.understood.topic == topic ? nil : ("topic \(topic ?? "none")", "topic \(reply.understood.topic ?? "none")")
        case .suggests(let label):
            return reply.suggestions.contains(label) ? nil : ("suggestion \"\(label)\"", "suggestions \(reply.suggestions)")
        case .done(let done):
            return reply.done == done ? nil : ("done \(done)", "done \(reply.done)")
        case .subject(let wanted):
            let actual = reply.subject.map { $0.isSelf ? "self" : "other" + ($0.relation.map { ":" + $0 } ?? "") } ?? "self"
            let matches = wanted == actual || (wanted == "other" && actual.hasPrefix("other"))
            return matches ? nil : ("subject \(wanted)", "subject \(actual)")
        }
    }

    private func slotValues(_ slots: Slots, _ name: String) -> [String] {
        switch name {
        case "timing": [slots.timing].compactMap { $0 }
        case "duration": [slots.duration].compactMap { $0 }
        case "frequency": [slots.frequency].compactMap { $0 }
        case "since": [slots.since].compactMap { $0 }
        case "side": [slots.side].compactMap { $0 }
        case "location": slots.location ?? []
        case "age_group": [slots.ageGroup].compactMap { $0 }
        case "medicines": slots.medicines ?? []
        default: []
        }
    }

    /// Every `.dialogue` file under the given files and folders, sorted.
    public static func files(at paths: [String]) throws -> [URL] {
        var found: [URL] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw DialogueScript.ParseError(file: path, line: 0, problem: "no such file or folder")
            }
            if isDirectory.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".dialogue") }.sorted()
                found += names.map { URL(fileURLWithPath: path).appendingPathComponent($0) }
            } else {
                found.append(URL(fileURLWithPath: path))
            }
        }
        return found
    }
}
