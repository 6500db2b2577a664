import Conversation
import Foundation
import Knowledge

/// The sessions in memory, by id. One actor: a turn takes microseconds, so serialising them is
/// cheap, and a session that moves to a new connection finds its state here.
public actor SessionRegistry {
    struct Entry {
        var state: SessionState
        var lastUsed: ContinuousClock.Instant
    }

    public enum Failure: Error { case tooManySessions(Int) }

    let conversation: Conversation
    let maximumSessions: Int
    let idleExpiry: Duration
    private var sessions: [String: Entry] = [:]
    private let clock = ContinuousClock()

    public init(conversation: Conversation, maximumSessions: Int, idleExpiry: Duration) {
        self.conversation = conversation
        self.maximumSessions = maximumSessions
        self.idleExpiry = idleExpiry
    }

    public var count: Int { sessions.count }

    public func respond(session: String, text: String) throws(Failure) -> Reply {
        let now = clock.now
        var entry: Entry
        if let existing = sessions[session], now - existing.lastUsed < idleExpiry {
            entry = existing
        } else {
            if sessions.count >= maximumSessions { purgeIdle(now) }
            guard sessions.count < maximumSessions || sessions[session] != nil else {
                throw .tooManySessions(maximumSessions)
            }
            entry = Entry(state: SessionState(), lastUsed: now)
        }
        var reply = conversation.respond(to: text, state: &entry.state)
        reply.session = session
        entry.lastUsed = now
        if entry.state.stage == .ended {
            sessions[session] = nil
        } else {
            sessions[session] = entry
        }
        return reply
    }

    public func reset(_ session: String) { sessions[session] = nil }

    public func state(_ session: String) -> SessionState? { sessions[session]?.state }

    /// Forgets sessions idle longer than the expiry.
    public func purgeIdle(_ now: ContinuousClock.Instant? = nil) {
        let now = now ?? clock.now
        sessions = sessions.filter { now - $0.value.lastUsed < idleExpiry }
    }
}
