import Knowledge

extension DoctorReport {
    /// The width plain text is wrapped to (fits a terminal, an e-mail and a printed page).
    static let textWidth = 76

    /// The report as plain text: headings in capitals, paragraphs wrapped to 76 columns, lists
    /// with a hanging indent.
    public func text() -> String {
        var out = TextBlock()
        out.heading(wording["title"])
        out.paragraph(wording.fill("made", ["date": date, "version": knowledgeVersion]))
        out.blank()
        out.paragraph(Wording.render(wording["not_a_diagnosis"], for: subject))
        if unfinished {
            out.blank()
            out.paragraph(wording["not_finished"])
        }

        out.section(wording["about_heading"])
        out.paragraph(about)

        out.section(wording["told_heading"])
        if nothingTold {
            out.paragraph(wording["nothing_told"])
        } else {
            for line in told {
                out.item(line.heading + ": ", line.items.isEmpty ? wording["not_told"] : line.items.joined(separator: "; "))
            }
        }

        out.section(wording["picture_heading"])
        out.paragraph(diagram.description)

        out.section(wording["triage_heading"])
        if let triageAdvice {
            out.paragraph(triageAdvice)
            if triageKept { out.paragraph(wording["triage_kept"]) }
        } else {
            out.paragraph(wording["no_triage"])
        }
        if !warningSigns.isEmpty {
            out.blank()
            out.paragraph(wording["warning_signs"] + ":")
            for sign in warningSigns { out.item("- ", sign.title + ": " + sign.message) }
        }

        out.section(wording["causes_heading"])
        if causes.isEmpty {
            out.paragraph(wording["no_causes"])
        } else {
            out.paragraph(wording["causes_intro"])
            if triage?.escalates == true { out.paragraph(wording["causes_after_warning"]) }
            for (index, cause) in causes.enumerated() {
                out.blank()
                out.item("\(index + 1). ", cause.name)
                if !cause.summary.isEmpty { out.item("   ", cause.summary) }
                if !cause.because.isEmpty { out.item("   ", wording["because"] + ": " + cause.because.joined(separator: "; ") + ".") }
                if !cause.against.isEmpty { out.item("   ", wording["against"] + ": " + cause.against.joined(separator: "; ") + ".") }
            }
        }

        out.section(wording["todo_heading"])
        if let selfCareCanWait {
            out.paragraph(selfCareCanWait)
        } else {
            if !selfCare.isEmpty {
                out.paragraph(Wording.render(wording["self_care"], for: subject) + ":")
                for advice in selfCare { out.item("- ", advice.name + ": " + advice.text) }
            }
            if !prevention.isEmpty {
                out.paragraph(wording["prevention"] + ":")
                for advice in prevention { out.item("- ", advice.name + ": " + advice.text) }
            }
        }
        out.paragraph(wording["see_doctor"] + ": " + seeDoctorIf)

        if !questions.isEmpty {
            out.section(wording["questions_heading"])
            for question in questions { out.item("- ", question) }
        }
        if !sources.isEmpty {
            out.section(wording["sources_heading"])
            for source in sources { out.item("- ", source) }
        }
        out.blank()
        out.paragraph(wording["footer"])
        return out.text
    }
}

/// Plain text built line by line, wrapped to `DoctorReport.textWidth`.
struct TextBlock {
    var text = ""

    init() { text.reserveCapacity(6000) }

    mutating func blank() { text += "\n" }

    mutating func heading(_ words: String) { text += words.uppercased() + "\n" }

    /// A heading with a blank line before it.
    mutating func section(_ words: String) {
        blank()
        heading(words)
    }

    mutating func paragraph(_ words: String) { item("", words) }

    /// `words` after `lead`, the lines after the first indented by its width. Words are found
    /// in the UTF-8 bytes and measured in Unicode scalars (the bytes that start one): walking
    /// the text by characters (grapheme clusters) cost more than the rest of the report.
    mutating func item(_ lead: String, _ words: String) {
        let indentWidth = Self.width(lead.utf8[...])
        var lineLength = indentWidth
        var empty = true
        text += lead
        let bytes = words.utf8
        var index = bytes.startIndex
        while index < bytes.endIndex {
            guard bytes[index] != UInt8(ascii: " ") else {
                index = bytes.index(after: index)
                continue
            }
            var end = index
            while end < bytes.endIndex && bytes[end] != UInt8(ascii: " ") { end = bytes.index(after: end) }
            let word = bytes[index..<end]
            let length = Self.width(word)
            if !empty && lineLength + 1 + length > DoctorReport.textWidth {
                text += "\n"
                text += String(repeating: " ", count: indentWidth)
                lineLength = indentWidth
                empty = true
            }
            if !empty {
                text += " "
                lineLength += 1
            }
            text += Substring(word)
            lineLength += length
            empty = false
            index = end
        }
        text += "\n"
    }

    /// The number of Unicode scalars in UTF-8 bytes: those that are not continuation bytes.
    static func width(_ bytes: Substring.UTF8View) -> Int {
        var count = 0
        for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }
}
