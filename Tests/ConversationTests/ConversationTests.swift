import DialogueTesting
import Foundation
import Knowledge
import Testing

@testable import Conversation

@Suite("The conversation engine")
struct ConversationTests {
    let conversation = sharedConversation

    func run(_ lines: [String]) -> (SessionState, [Reply]) {
        var state = SessionState()
        let replies = lines.map { conversation.respond(to: $0, state: &state) }
        return (state, replies)
    }

    @Test("the hand-written reply JSON is byte for byte ContractJSON's, for every reply of every dialogue")
    func replyJSONByHand() throws {
        var checked = 0
        for name in dialogueFiles {
            let script = try DialogueScript.parse(String(contentsOf: dialoguesFolder.appendingPathComponent(name), encoding: .utf8), file: name)
            var state = SessionState()
            for turn in script.turns {
                var reply = conversation.respond(to: turn.text, state: &state)
                if checked % 2 == 0 { reply.session = "tg:\"\(checked)\"/x" }
                let expected = String(decoding: try ContractJSON.data(reply), as: UTF8.self)
                #expect(String(decoding: reply.json(), as: UTF8.self) == expected, "\(name):\(turn.line)")
                // Read back (as `charley connect` does), it says the same: the contract fields
                // worked out from the findings match what was written.
                let decoded = try JSONDecoder().decode(Reply.self, from: Data(reply.json()))
                #expect(
                    decoded.understood == reply.understood && decoded.slots == reply.slots && decoded.reply == reply.reply,
                    "\(name):\(turn.line)")
                #expect(String(decoding: decoded.json(), as: UTF8.self) == expected, "\(name):\(turn.line) written again")
                checked += 1
            }
        }
        #expect(checked > 200)
    }

    @Test("the session state round-trips through JSON at every step")
    func stateCodable() throws {
        var state = SessionState()
        for line in [
            "hi", "my calf cramps at night", "left", "a few seconds", "most nights", "years", "no", "no", "72", "no", "no",
            "is quinine safe?", "my calf is swollen and red"
        ] {
            _ = conversation.respond(to: line, state: &state)
            let data = try JSONEncoder().encode(state)
            #expect(try JSONDecoder().decode(SessionState.self, from: data) == state)
            #expect(try JSONDecoder().decode(SessionState.self, from: Data(state.json())) == state, "the hand-written JSON reads back")
            #expect(state.json().count < 4096, "a session stays small as the store writes it")
        }
    }

    @Test("back walks every answer back, also after the state went through storage")
    func undoWalksBack() throws {
        let lines = [
            "my left calf cramps at night", "a few minutes", "most nights", "years", "sitting a long time",
            "no numbness but some swelling", "no", "yes", "72", "no"
        ]
        var state = SessionState()
        var history: [(Findings, [String], String?)] = [(state.findings, state.asked, state.pending)]
        for line in lines {
            _ = conversation.respond(to: line, state: &state)
            history.append((state.findings, state.asked, state.pending))
        }
        #expect(state.undo.count >= 5)
        #expect(state.undo.allSatisfy { $0.findings == nil }, "every step is kept as a difference")
        // Through the stored form and back.
        state = try JSONDecoder().decode(SessionState.self, from: Data(state.json()))
        var restored: [Findings] = []
        while !state.undo.isEmpty {
            _ = conversation.respond(to: "back", state: &state)
            restored.append(state.findings)
            if restored.count == 3 { state = try JSONDecoder().decode(SessionState.self, from: Data(state.json())) }
        }
        // Every restored state is one of the earlier states, newest first, ending at the start.
        let earlier = history.map(\.0)
        var position = earlier.count - 1
        for findings in restored {
            guard let found = earlier[..<position].lastIndex(of: findings) else {
                Issue.record("a restored state was never an earlier state: \(findings)")
                break
            }
            position = found
        }
        #expect(restored.last == Findings(), "back all the way is where the conversation started")
    }

    @Test("whether two states have the same undo history: shared, read back from JSON, or changed")
    func sameUndo() throws {
        var state = SessionState()
        for line in ["my left calf cramps at night", "a few minutes", "most nights"] { _ = conversation.respond(to: line, state: &state) }
        let before = state
        #expect(state.undo.count >= 2)
        _ = conversation.respond(to: "is quinine safe?", state: &state)
        #expect(state.hasSameUndo(as: before), "a question leaves the history (and its storage) as it was")
        let readBack = try JSONDecoder().decode(SessionState.self, from: Data(before.json()))
        #expect(state.hasSameUndo(as: readBack) && readBack.hasSameUndo(as: state), "the same steps in storage of their own")
        var answered = before
        _ = conversation.respond(to: "nothing I can think of", state: &answered)
        #expect(!answered.hasSameUndo(as: before), "an answer adds a step")
        var backed = answered
        _ = conversation.respond(to: "back", state: &backed)
        #expect(backed.undo.count == before.undo.count)
        #expect(backed.hasSameUndo(as: before), "back takes the step off again")
        // Same count, a different newest step: not the same history.
        var other = SessionState()
        for line in ["my right calf cramps at night", "a few minutes", "most nights"] { _ = conversation.respond(to: line, state: &other) }
        #expect(other.undo.count == before.undo.count)
        #expect(!other.hasSameUndo(as: before))
        #expect(SessionState().hasSameUndo(as: SessionState()))
    }

    @Test("a state saved with whole undo snapshots (before differences) still walks back")
    func undoOldForm() throws {
        let json = """
            {"stage":"onset","findings":{"present":["location:calf","timing:night","duration:minutes"],"absent":[]},
             "asked":["duration"],"pending":"frequency","reasked":false,"redFlags":[],"turns":2,
             "undo":[{"stage":"greeting","findings":{"present":[],"absent":[]},"asked":[]},
                     {"stage":"onset","findings":{"present":["location:calf","timing:night"],"absent":[]},"asked":[],"pending":"duration"}]}
            """
        var state = try JSONDecoder().decode(SessionState.self, from: Data(json.utf8))
        _ = conversation.respond(to: "back", state: &state)
        #expect(state.findings.present == [Finding(.location, "calf"), Finding(.timing, "night")])
        #expect(state.pending == "duration")
        _ = conversation.respond(to: "back", state: &state)
        #expect(state.findings == Findings())
    }

    @Test("the hand-written JSON escapes what JSON must")
    func jsonEscaping() throws {
        var state = SessionState()
        state.pending = "quote \" backslash \\ newline \n tab \t bell \u{7} é 🦵"
        state.asked = ["a\"b"]
        state.triage = .urgent
        state.turns = 12
        #expect(try JSONDecoder().decode(SessionState.self, from: Data(state.json())) == state)
    }

    @Test("the state keeps findings, not the person's words")
    func noWordsStored() throws {
        let (state, _) = run(["my neighbour Bob says my left calf cramps at night"])
        // The JSON the stores write (SessionStore, SQLite, PostgreSQL), with and without the undo history.
        let json = String(decoding: state.json(), as: UTF8.self) + String(decoding: state.json(undo: false), as: UTF8.self)
        #expect(json.contains("location:calf"), "the state's findings are in it: \(json)")
        #expect(!json.contains("Bob"))
        #expect(!json.contains("neighbour"))
    }

    @Test("no reply in any dialogue gives a dose or tells anyone to stop a medicine")
    func safeWording() throws {
        for name in dialogueFiles {
            let script = try DialogueScript.parse(String(contentsOf: dialoguesFolder.appendingPathComponent(name), encoding: .utf8), file: name)
            var state = SessionState()
            for turn in script.turns {
                let reply = conversation.respond(to: turn.text, state: &state).reply
                #expect(DoseDetector.firstDose(in: reply) == nil, "\(name): \(reply)")
                #expect(!reply.lowercased().contains("stop taking your"), "\(name)")
            }
        }
    }

    @Test("every assessment says it is not a diagnosis and names a triage level")
    func assessmentWording() {
        let (state, replies) = run(["I got a cramp in my calf during a run, first time, a few seconds", "no"])
        #expect(state.stage == .followup)
        let text = replies.last!.reply
        #expect(text.contains("This is not a diagnosis"))
        #expect(text.contains("Triage:"))
        #expect(text.contains("Sources:"))
        #expect(replies.last!.triage == .selfCare)
        #expect(replies.last!.causes.first?.id == "overexertion")
    }

    @Test("the reply JSON has the contract's keys")
    func replyJSON() throws {
        let (_, replies) = run(["my left calf cramps at night"])
        let object = try JSONSerialization.jsonObject(with: ContractJSON.data(replies[0])) as! [String: Any]
        // The contract's keys, and what Charley adds: everything known so far and the question waiting.
        #expect(
            Set(object.keys) == [
                "reply", "stage", "understood", "slots", "triage", "red_flags", "causes", "suggestions", "done",
                "known", "question", "subject"
            ])
        #expect((object["subject"] as? [String: Any])?["who"] as? String == "self", "\"my left calf\": the writer's own")
        #expect(object["question"] as? String == "duration")
        let known = try #require(object["known"] as? [String: Any])
        #expect((known["slots"] as? [String: Any])?["side"] as? String == "left")
        #expect(object["triage"] is NSNull)
        #expect(object["stage"] as? String == "onset")
    }
}

@Suite("replies.yaml: what the conversation says, as data")
struct RepliesFileTests {
    @Test("the shipped file loads; a missing, unknown or empty reply, or an unknown placeholder, is an error naming it")
    func validation() throws {
        let url = Self.shippedURL
        let text = try String(contentsOf: url, encoding: .utf8)
        _ = try Replies.load(text: text, file: "replies.yaml")
        func problems(_ edited: String) -> [String] {
            do {
                _ = try Replies.load(text: edited, file: "replies.yaml")
                return []
            } catch { return error.issues.map { "\($0.entry ?? ""): \($0.problem)" } }
        }
        #expect(problems(text.replacingOccurrences(of: "  move_on:", with: "  move_onn:")).contains("reply 'move_on': missing: the conversation says it"))
        #expect(problems(text.replacingOccurrences(of: "  move_on:", with: "  move_onn:")).contains("reply 'move_onn': no reply has this id (a misspelt one?)"))
        #expect(
            problems(text.replacingOccurrences(of: "If {your} cramps", with: "If {yuor} cramps")).contains(
                "reply 'farewell': '{yuor}' is not a placeholder Charley knows"))
        #expect(
            problems(text.replacingOccurrences(of: "get medical help: <message>", with: "get medical help.")).contains(
                "reply 'get_help_first': it must say <message> where Charley puts the message"))
    }

    static let shippedURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/Conversation/Resources/replies.yaml")
}
