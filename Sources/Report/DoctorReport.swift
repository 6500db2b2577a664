import Conversation
import Foundation
import Knowledge

/// The formats a report is made in: the whole report as an HTML page or plain text, or its
/// picture alone as an SVG document.
public enum ReportFormat: String, Sendable, CaseIterable {
    case html, text, svg

    /// The format a file name asks for: `.txt` is text, `.svg` the picture, anything else HTML.
    public static func forFile(_ path: String) -> ReportFormat {
        let name = path.lowercased()
        return name.hasSuffix(".txt") ? .text : name.hasSuffix(".svg") ? .svg : .html
    }

    /// The file name ending for the format.
    public var fileExtension: String {
        switch self {
        case .html: "html"
        case .text: "txt"
        case .svg: "svg"
        }
    }
}

/// The summary a person can keep, print or show to a doctor or pharmacist: what was told (for
/// whom), the triage and why, the possible causes with reasons for and against, what to do,
/// questions worth asking the doctor, the sources, the date and the knowledge model's version;
/// with a picture of the legs. Made from a conversation's state and the knowledge model, with
/// the assessment the conversation gives (`Conversation.assessment(of:)`), never a ranking of
/// its own. Pure: the date is given, nothing is read or written.
public struct DoctorReport: Sendable {
    /// One line of "what was told": a heading and the items (empty: not told).
    public struct Told: Sendable, Equatable {
        public var heading: String
        public var items: [String]
    }

    /// A possible cause as the report lists it.
    public struct PossibleCause: Sendable, Equatable {
        public var id: String
        public var name: String
        public var summary: String
        public var because: [String]
        public var against: [String]
    }

    /// A warning sign told, with what to do about it.
    public struct WarningSign: Sendable, Equatable {
        public var title: String
        public var message: String
    }

    /// A line of advice: a name and what to do.
    public struct Advice: Sendable, Equatable {
        public var name: String
        public var text: String
    }

    let wording: ReportWording
    /// "2026-12-05 14:03 UTC".
    public let date: String
    public let knowledgeVersion: String
    /// The conversation was still in its interview.
    public let unfinished: Bool
    /// "You: your own cramps, ..." or "Your mother: her cramps, ...".
    public let about: String
    public let subject: Subject?
    /// When, where, which side, what sets them off, what comes with them, conditions,
    /// medicines, age, and what was said not to be there; in that order.
    public let told: [Told]
    /// Nothing at all was told.
    public let nothingTold: Bool
    /// nil until there is a basis for one.
    public let triage: TriageLevel?
    /// The level and what to do, with the rules' titles as the reason.
    public let triageAdvice: String?
    public let triageKept: Bool
    public let warningSigns: [WarningSign]
    public let causes: [PossibleCause]
    public let selfCare: [Advice]
    public let prevention: [Advice]
    public let seeDoctorIf: String
    /// At urgent or emergency: self-care can wait until a doctor has seen the person.
    public let selfCareCanWait: String?
    public let questions: [String]
    public let sources: [String]
    public let diagram: LegDiagram

    /// The report of `state`, made at `date` (UTC), for `conversation`'s knowledge model.
    public init(state: SessionState, conversation: Conversation, wording: ReportWording, date: Date) {
        let knowledge = conversation.knowledge
        let subject = state.subject
        func say(_ text: String) -> String { Wording.render(text, for: subject) }
        self.wording = wording
        self.subject = subject
        self.date = Self.format(date)
        self.knowledgeVersion = knowledge.version
        self.unfinished = !state.stage.isPastInterview && state.turns > 0

        if let subject, !subject.isSelf {
            let who = subject.relation.map { wording.fill("your_relation", ["relation": $0]) } ?? wording["someone_else"]
            about = say(wording.fill("about_other", ["who": who]))
        } else {
            about = say(wording["about_self"])
        }

        let findings = state.findings
        // The findings told, each kind in the vocabulary's order: the few findings looked up,
        // not every term of the vocabulary made a finding (a locked table lookup each).
        var presentByKind = [[(position: Int, label: String)]](repeating: [], count: FindingKind.allCases.count)
        for finding in findings.present {
            let terms = knowledge.terms(finding.kind)
            let value = finding.value
            guard let position = terms.firstIndex(where: { $0.id == value }) else { continue }
            presentByKind[finding.kind.index].append((position, say(terms[position].label)))
        }
        func present(_ kind: FindingKind) -> [String] {
            presentByKind[kind.index].sorted { $0.position < $1.position }.map(\.label)
        }
        var told: [Told] = []
        told.reserveCapacity(9)
        told.append(Told(heading: wording["when"], items: present(.timing) + present(.duration) + present(.frequency) + present(.since)))
        told.append(Told(heading: wording["where"], items: present(.location)))
        let sides = present(.side)
        told.append(
            Told(heading: wording["side"], items: sides.isEmpty && !presentByKind[FindingKind.location.index].isEmpty ? [wording["side_not_given"]] : sides))
        told.append(Told(heading: wording["triggers"], items: present(.trigger) + present(.context)))
        told.append(Told(heading: wording["symptoms"], items: present(.symptom)))
        told.append(Told(heading: wording["conditions"], items: present(.condition)))
        told.append(Told(heading: wording["medicines"], items: present(.medicine)))
        told.append(Told(heading: wording["age"], items: present(.ageGroup)))
        var absent: [(kind: Int, position: Int, note: String)] = []
        for finding in findings.absent {
            let terms = knowledge.terms(finding.kind)
            let value = finding.value
            guard let position = terms.firstIndex(where: { $0.id == value }) else { continue }
            let term = terms[position]
            absent.append((finding.kind.index, position, say(term.absentNote(finding.kind) ?? "no " + term.label)))
        }
        let denied = absent.sorted { ($0.kind, $0.position) < ($1.kind, $1.position) }.map(\.note)
        told.append(Told(heading: wording["denied"], items: denied))
        self.told = told
        self.nothingTold = findings.present.isEmpty && findings.absent.isEmpty

        let assessment = conversation.assessment(of: state)
        let hasBasis = state.triage != nil || Conversation.hasBasis(findings) || !state.redFlags.isEmpty
        triage = hasBasis ? assessment.level : nil
        triageAdvice = hasBasis ? say(assessment.triageAdvice.prefix(1).uppercased() + assessment.triageAdvice.dropFirst()) : nil
        triageKept = hasBasis && assessment.levelKept
        var signs: [WarningSign] = []
        for id in state.redFlags where !signs.contains(where: { $0.title == knowledge.rule(id)?.title }) {
            guard let rule = knowledge.rule(id) else { continue }
            signs.append(WarningSign(title: say(rule.title), message: say(rule.message)))
        }
        warningSigns = signs

        causes = assessment.causes.map { cause in
            PossibleCause(
                id: cause.id, name: assessment.name(of: cause), summary: say(knowledge.cause(cause.id)?.summary ?? ""),
                because: cause.because.map(say), against: cause.against.map(say))
        }
        selfCare = assessment.selfCare.map { Advice(name: say($0.name), text: say($0.text)) }
        prevention = assessment.prevention.map { Advice(name: say($0.name), text: say($0.text)) }
        seeDoctorIf = say(assessment.seeDoctorIf ?? conversation.replies["see_doctor_if"])
        selfCareCanWait = hasBasis && assessment.level.escalates ? say(conversation.replies["self_care_can_wait"]) : nil

        let named = assessment.causes.map(\.id)
        let asked = knowledge.doctorQuestions.filter { $0.applies(findings: findings, causes: named, level: hasBasis ? assessment.level : nil) }
        questions = asked.map { say($0.question) }
        var sources = assessment.sources
        for question in asked {
            for id in question.sources {
                guard let citation = knowledge.source(id)?.citation, !sources.contains(citation) else { continue }
                sources.append(citation)
            }
        }
        self.sources = sources
        diagram = LegDiagram(findings: findings, knowledge: knowledge, wording: wording)
    }

    /// "2026-12-05 14:03 UTC", without a formatter (made once a report, but a formatter costs
    /// more than the rest of the report).
    static func format(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min)) UTC"
    }

    /// The report in the format asked for.
    public func document(_ format: ReportFormat) -> String {
        switch format {
        case .html: html()
        case .text: text()
        case .svg: diagram.svgDocument()
        }
    }
}
