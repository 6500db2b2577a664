import Conversation
import Foundation

/// A conversation whose sessions are kept in a `SessionStore`: the one path by which a session
/// is resumed from the store, a turn is run on it and the turn's state is committed, the reply
/// to be given only once the commit is done. `charley chat --resume` runs it for its one session;
/// the daemon's `SessionRegistry` for every session (handing a durable store's commits to its
/// group committer). The engine stays pure: this is where the store is read and written.
public struct StoredConversation: Sendable {
    public let conversation: Conversation
    public let store: any SessionStore
    /// A session idle longer than this many seconds starts afresh.
    public let idleExpiry: Double
    /// Whether a turn's write carries what the person said and the reply (a transcript entry).
    public let keepTranscripts: Bool

    public init(conversation: Conversation, store: any SessionStore, idleExpiry: Double, keepTranscripts: Bool = false) {
        self.conversation = conversation
        self.store = store
        self.idleExpiry = idleExpiry
        self.keepTranscripts = keepTranscripts
    }

    /// The state the session's next turn starts from: the stored one; a new one when there is
    /// none or it has expired; or a new one and a notice for the person when the stored one
    /// cannot go on under this conversation (`problem` says why, for operators' logs).
    public func resume(_ id: String, at time: Double) throws(StoreError) -> Conversation.Resumed {
        conversation.resume(try store.load(id), at: time, idleExpiry: idleExpiry)
    }

    /// A turn run but not yet committed.
    public struct Turn: Sendable {
        /// The reply, the resumed session's notice (if any) before it.
        public var reply: Reply
        /// The state after the turn.
        public var state: SessionState
        /// What commits the turn: the new state, or a delete once the conversation has ended.
        public var write: SessionWrite
    }

    /// One turn of session `id` on its resumed state, at `time` (seconds since 1970). Pure:
    /// nothing is written until the turn's write is committed.
    public func turn(_ id: String, said text: String, on resumed: Conversation.Resumed, at time: Double) -> Turn {
        var next = resumed.state
        var reply = conversation.respond(to: text, state: &next)
        if let notice = resumed.notice { reply.reply = notice + "\n\n" + reply.reply }
        let transcript = keepTranscripts ? TranscriptEntry(turn: next.turns, said: text, reply: reply.reply, at: time) : nil
        let write = SessionWrite(
            id: id, change: next.stage == .ended ? .delete : .save(next), time: time,
            knowledge: conversation.knowledge.version, transcript: transcript)
        return Turn(reply: reply, state: next, write: write)
    }

    /// Commits the writes together. A store that is full (an in-memory one at its maximum) makes
    /// room from its expired sessions once before it refuses.
    public func commit(_ writes: [SessionWrite]) throws(StoreError) {
        do {
            try store.commit(writes)
        } catch .full {
            _ = try? store.purge(updatedBefore: (writes.map(\.time).max() ?? 0) - idleExpiry)
            try store.commit(writes)
        }
    }

    /// A whole turn for a front end that holds its one session (`charley chat --resume`): run on
    /// `session`, committed, then the reply. `session` goes on to the new state even when the
    /// commit fails (the conversation goes on, unsaved; `saved` tells why), and its notice is
    /// given once.
    public func respond(
        to text: String, in session: inout Conversation.Resumed, id: String,
        at time: Double
    ) -> (reply: Reply, saved: Result<Void, StoreError>) {
        let turn = turn(id, said: text, on: session, at: time)
        let saved = Result<Void, StoreError> { () throws(StoreError) in try commit([turn.write]) }
        let kept = if case .success = saved { turn.state.stage != .ended } else { false }
        session = Conversation.Resumed(state: turn.state, isStored: kept)
        return (turn.reply, saved)
    }
}
