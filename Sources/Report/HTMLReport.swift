import Knowledge

/// Escaping for HTML and SVG (both read as XML): every text that could come from a person or
/// a data file goes through here.
enum Markup {
    static func escape(_ text: String) -> String {
        // Most text needs nothing: one pass to look, a second only when something must change.
        guard
            text.utf8.contains(where: {
                $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">")
                    || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'")
            })
        else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}

extension DoctorReport {
    /// The report as one self-contained HTML page: inline CSS (with print rules that fit A4 and
    /// Letter) and the picture as inline SVG; no script and nothing fetched from elsewhere.
    /// Written as well-formed XML (XHTML syntax), so that it can be checked with an XML parser.
    public func html() -> String {
        var out = ""
        out.reserveCapacity(24_000)
        func text(_ words: String) -> String { Markup.escape(words) }
        out += "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        out += "<meta name=\"generator\" content=\"Charley, knowledge model \(text(knowledgeVersion))\"/>\n"
        out += "<title>\(text(wording["title"]))</title>\n<style>\n\(Self.css)</style>\n</head>\n<body>\n"
        out += "<header>\n<h1>\(text(wording["title"]))</h1>\n"
        out += "<p class=\"made\">\(text(wording.fill("made", ["date": date, "version": knowledgeVersion])))</p>\n"
        out += "<p class=\"notice\" id=\"not-a-diagnosis\"><strong>\(text(Wording.render(wording["not_a_diagnosis"], for: subject)))</strong></p>\n"
        if unfinished { out += "<p class=\"unfinished\">\(text(wording["not_finished"]))</p>\n" }
        out += "</header>\n"

        out += "<section id=\"about\">\n<h2>\(text(wording["about_heading"]))</h2>\n<p>\(text(about))</p>\n</section>\n"

        out += "<section id=\"told\">\n<h2>\(text(wording["told_heading"]))</h2>\n"
        if nothingTold {
            out += "<p>\(text(wording["nothing_told"]))</p>\n"
        } else {
            out += "<table class=\"told\">\n"
            for line in told {
                out += "<tr><th scope=\"row\">\(text(line.heading))</th><td>"
                if line.items.isEmpty {
                    out += "<span class=\"none\">\(text(wording["not_told"]))</span>"
                } else {
                    for (index, item) in line.items.enumerated() {
                        if index > 0 { out += "; " }
                        out += "<span class=\"finding\">\(text(item))</span>"
                    }
                }
                out += "</td></tr>\n"
            }
            out += "</table>\n"
        }
        out += "</section>\n"

        out += "<section id=\"picture\">\n<h2>\(text(wording["picture_heading"]))</h2>\n<figure>\n"
        out += diagram.svg()
        out += "<figcaption>\(text(diagram.description))</figcaption>\n</figure>\n</section>\n"

        out += "<section id=\"triage\" data-level=\"\(triage?.rawValue ?? "none")\">\n<h2>\(text(wording["triage_heading"]))</h2>\n"
        if let triageAdvice {
            out += "<p class=\"triage\"><strong>\(text(triageAdvice))</strong></p>\n"
            if triageKept { out += "<p>\(text(wording["triage_kept"]))</p>\n" }
        } else {
            out += "<p class=\"triage\">\(text(wording["no_triage"]))</p>\n"
        }
        if !warningSigns.isEmpty {
            out += "<h3>\(text(wording["warning_signs"]))</h3>\n<ul class=\"warning-signs\">\n"
            for sign in warningSigns { out += "<li><strong>\(text(sign.title)):</strong> \(text(sign.message))</li>\n" }
            out += "</ul>\n"
        }
        out += "</section>\n"

        out += "<section id=\"causes\">\n<h2>\(text(wording["causes_heading"]))</h2>\n"
        if causes.isEmpty {
            out += "<p>\(text(wording["no_causes"]))</p>\n"
        } else {
            out += "<p>\(text(wording["causes_intro"]))</p>\n"
            if triage?.escalates == true { out += "<p>\(text(wording["causes_after_warning"]))</p>\n" }
            out += "<ol class=\"causes\">\n"
            for cause in causes {
                out += "<li data-cause=\"\(text(cause.id))\"><strong>\(text(cause.name))</strong>"
                if !cause.summary.isEmpty { out += "<br/><span class=\"summary\">\(text(cause.summary))</span>" }
                if !cause.because.isEmpty {
                    out += "<br/><span class=\"for\">\(text(wording["because"])):</span> \(text(cause.because.joined(separator: "; ")))."
                }
                if !cause.against.isEmpty {
                    out += "<br/><span class=\"against\">\(text(wording["against"])):</span> \(text(cause.against.joined(separator: "; ")))."
                }
                out += "</li>\n"
            }
            out += "</ol>\n"
        }
        out += "</section>\n"

        out += "<section id=\"todo\">\n<h2>\(text(wording["todo_heading"]))</h2>\n"
        if let selfCareCanWait {
            out += "<p>\(text(selfCareCanWait))</p>\n"
        } else {
            for (heading, list) in [(Wording.render(wording["self_care"], for: subject), selfCare), (wording["prevention"], prevention)] where !list.isEmpty {
                out += "<h3>\(text(heading))</h3>\n<ul>\n"
                for advice in list { out += "<li><strong>\(text(advice.name)):</strong> \(text(advice.text))</li>\n" }
                out += "</ul>\n"
            }
        }
        out += "<h3>\(text(wording["see_doctor"]))</h3>\n<p>\(text(seeDoctorIf))</p>\n</section>\n"

        if !questions.isEmpty {
            out += "<section id=\"questions\">\n<h2>\(text(wording["questions_heading"]))</h2>\n<ul class=\"questions\">\n"
            for question in questions { out += "<li>\(text(question))</li>\n" }
            out += "</ul>\n</section>\n"
        }
        if !sources.isEmpty {
            out += "<section id=\"sources\">\n<h2>\(text(wording["sources_heading"]))</h2>\n<ul class=\"sources\">\n"
            for source in sources { out += "<li>\(text(source))</li>\n" }
            out += "</ul>\n</section>\n"
        }
        out += "<footer><p>\(text(wording["footer"]))</p></footer>\n</body>\n</html>\n"
        return out
    }

    /// The page's style: readable on a screen, and on paper a column that fits both A4
    /// (210 mm) and Letter (216 mm) with 15 mm margins, sections kept whole where they can be.
    static let css = """
        :root { color-scheme: light; }
        body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.45;
               color: #000; background: #fff; max-width: 48em; margin: 1.5em auto; padding: 0 1em; }
        h1 { font-size: 1.5em; margin: 0 0 0.2em; }
        h2 { font-size: 1.15em; border-bottom: 1px solid #000; margin: 1.2em 0 0.4em; padding-bottom: 0.1em; }
        h3 { font-size: 1em; margin: 0.8em 0 0.2em; }
        p, ul, ol { margin: 0.3em 0; }
        .made { color: #333; font-size: 0.9em; }
        .notice { border: 2px solid #000; padding: 0.5em 0.7em; }
        .unfinished { font-style: italic; }
        table.told { border-collapse: collapse; width: 100%; }
        table.told th { text-align: left; vertical-align: top; width: 11em; padding: 0.15em 0.8em 0.15em 0; font-weight: bold; }
        table.told td { padding: 0.15em 0; }
        .none { color: #555; font-style: italic; }
        figure { margin: 0.3em 0; }
        figure svg { display: block; width: 100%; max-width: 130mm; height: auto; }
        figcaption { font-size: 0.95em; margin-top: 0.3em; }
        .triage { border-left: 4px solid #000; padding-left: 0.6em; }
        .summary { color: #222; }
        .for, .against { font-weight: bold; }
        footer { margin-top: 1.5em; border-top: 1px solid #000; font-size: 0.9em; }
        @page { size: auto; margin: 15mm; }
        @media print {
          body { max-width: none; width: auto; margin: 0; padding: 0; font-size: 10pt; }
          h2, h3 { break-after: avoid; page-break-after: avoid; }
          section, figure, li, tr { break-inside: avoid; page-break-inside: avoid; }
          figure svg { max-width: 120mm; }
        }

        """
}
