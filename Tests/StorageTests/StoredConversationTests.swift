import Conversation
import Foundation
import Storage
import Testing

/// A store whose one session cannot be read (saved by a Charley with another state format).
private final class UnreadableStore: SessionStore, @unchecked Sendable {
    var isDurable: Bool { false }
    var writes: [SessionWrite] = []
    func load(_ id: String) throws(StoreError) -> StoredSession.Loaded? { writes.isEmpty ? .unreadable(reason: "not JSON") : nil }
    func commit(_ writes: [SessionWrite]) throws(StoreError) { self.writes += writes }
    func purge(updatedBefore time: Double) throws(StoreError) -> Int { 0 }
    func list(limit: Int) throws(StoreError) -> [SessionSummary] { [] }
    func transcript(_ id: String) throws(StoreError) -> [TranscriptEntry] { [] }
}

@Suite("A conversation kept in a session store: resume, turn, commit")
struct StoredConversationTests {
    @Test(
        "each turn is committed: resumed again, at any step and after going back, the session is where it was",
        arguments: [false, true])
    func resumeTurnCommitUndo(onDisk: Bool) throws {
        let store: any SessionStore = onDisk ? try SQLiteSessionStore(path: temporaryFolder() + "/s.sqlite") : MemorySessionStore()
        let stored = StoredConversation(conversation: conversation, store: store, idleExpiry: 3600)
        var session = try stored.resume("terminal:ann", at: 1000)
        #expect(session.state == SessionState() && session.notice == nil && !session.isStored)
        var states: [SessionState] = []
        for (step, text) in ["my left calf cramps at night", "a few seconds", "back", "most nights"].enumerated() {
            let (reply, saved) = stored.respond(to: text, in: &session, id: "terminal:ann", at: 1001 + Double(step))
            #expect(throws: Never.self) { try saved.get() }
            #expect(!reply.reply.isEmpty)
            #expect(session.isStored)
            if let sqlite = store as? SQLiteSessionStore { sqlite.dropCache() }
            let again = try stored.resume("terminal:ann", at: 1010)
            #expect(again.state == session.state, "after '\(text)'")
            #expect(again.isStored && again.notice == nil)
            states.append(session.state)
        }
        // "back" took the session to where the first turn left it, and so did the store.
        #expect(states[2].findings == states[0].findings)
        #expect(states[2].pending == states[0].pending)
        #expect(states[1].findings != states[0].findings)
        // Idle longer than the expiry: a new conversation.
        #expect(try stored.resume("terminal:ann", at: 1010 + 3601).state == SessionState())
    }

    @Test("an ended conversation is deleted from the store")
    func endedIsDeleted() throws {
        let store = MemorySessionStore()
        let stored = StoredConversation(conversation: conversation, store: store, idleExpiry: 3600)
        var session = try stored.resume("t", at: 1)
        _ = stored.respond(to: "my calf cramps at night", in: &session, id: "t", at: 2)
        #expect(store.count == 1)
        let (reply, _) = stored.respond(to: "bye", in: &session, id: "t", at: 3)
        #expect(reply.done)
        #expect(store.count == 0)
        #expect(!session.isStored)
        #expect(try stored.resume("t", at: 4).state == SessionState())
    }

    @Test("a stored session that cannot go on: a new one, and the notice before the first reply only")
    func noticeOnce() throws {
        let stored = StoredConversation(conversation: conversation, store: UnreadableStore(), idleExpiry: 3600)
        var session = try stored.resume("t", at: 1)
        #expect(session.notice == Conversation.restartNotice && session.problem == "not JSON" && session.state == SessionState())
        let first = stored.respond(to: "my calf cramps at night", in: &session, id: "t", at: 2).reply
        #expect(first.reply.hasPrefix(Conversation.restartNotice + "\n\n"))
        let second = stored.respond(to: "a few seconds", in: &session, id: "t", at: 3).reply
        #expect(!second.reply.contains(Conversation.restartNotice))
    }

    @Test("a full in-memory store makes room from expired sessions before it refuses a new one")
    func fullStorePurgesExpired() throws {
        let store = MemorySessionStore(maximumSessions: 1)
        let stored = StoredConversation(conversation: conversation, store: store, idleExpiry: 60)
        var old = try stored.resume("old", at: 0)
        _ = stored.respond(to: "my calf cramps", in: &old, id: "old", at: 0)
        var other = try stored.resume("new", at: 30)
        #expect(throws: StoreError.full(1)) { try stored.respond(to: "hello", in: &other, id: "new", at: 30).saved.get() }
        var new = try stored.resume("new", at: 100)
        #expect(throws: Never.self) { try stored.respond(to: "hello", in: &new, id: "new", at: 100).saved.get() }
        #expect(try store.load("old") == nil)
    }
}
