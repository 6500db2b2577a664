import Knowledge

/// Reads amounts of time in the text: "5 minutes", "2 hrs", "three times a week", "for 3
/// months", "I'm 72", "4am". Returns the findings they give and how many tokens they use.
struct QuantityReader {
    /// What it reads of the lexicon, not the whole of it: a copy of the lexicon (or of its word
    /// table) per message retains every table it holds.
    let words: WordTable.Amounts
    let relations: [Int32: Lexicon.Relation]
    let relationIDs: WordIDSet
    let tokens: [Token]
    /// Some token is a number (`value`): without one, only "every other day" and "every
    /// fortnight" are read (every other reading has a number), and most messages have none.
    private let hasNumber: Bool

    init(lexicon: Lexicon, tokens: [Token]) {
        words = lexicon.words.amounts
        relations = lexicon.relations
        relationIDs = lexicon.relationIDs
        self.tokens = tokens
        hasNumber = tokens.contains { $0.number != nil || lexicon.words.number($0.id) != nil }
    }

    struct Reading {
        var findings: [Finding]
        var length: Int
        /// "20 years ago": a time long past, not how long the cramps have come.
        var yearsAgo = false
    }

    private static let timeWords: Set<String> = ["times", "time", "x"]
    private static let perWords: Set<String> = ["a", "per", "each", "every", "an"]
    private static let sinceLead: Set<String> = [
        "for", "since", "past", "last", "about", "over", "almost", "nearly", "around", "the",
        "than", "maybe", "probably", "roughly", "approximately", "just", "only"
    ]
    private static let onsetLead: Set<String> = ["after", "within", "every", "in"]
    /// Verbs of a cramp ending: "it went after a minute", "eased within 5 minutes".
    private static let endingVerbs: Set<String> = [
        "went", "goes", "gone", "go", "eased", "eases", "easing", "stopped", "stops", "passed", "passes", "settled", "settles",
        "released", "releases", "disappeared", "disappears", "subsided", "subsides", "calmed", "calms", "over", "better"
    ]
    /// Words of rough measure between a lead and its amount ("after about 10 minutes").
    private static let hedges: Set<String> = [
        "about", "around", "roughly", "like", "maybe", "approx", "approximately", "nearly", "almost", "just", "only", "some"
    ]
    /// Whether `word` is a form of an activity word ("swims", "hikes", "shifts").
    static func isActivity(_ word: String) -> Bool {
        activityWords.contains(word) || activityStems.contains(WordForms.stem(word))
    }
    private static let activityStems: Set<String> = Set(activityWords.map(WordForms.stem))
    private static let activityWords: Set<String> = [
        "driving", "drive", "drove", "walking", "walked", "walk", "sitting", "sat", "sit", "standing", "stood",
        "stand", "working", "worked", "work", "running", "ran", "run", "hiking", "hiked", "playing", "played",
        "sleeping", "slept", "sleep", "gaming", "flying", "flew", "flight", "training", "cycling", "cycled",
        "swimming", "swam", "dancing", "danced", "shift", "shifts", "exercise", "exercising", "exercised",
        "yoga", "pilates", "gym", "workout", "nap", "naps", "napping", "sleeps", "awake", "drive", "commute",
        "digging", "dug", "gardening", "weeding", "car", "journey", "journeys", "trip", "trips", "travelling", "traveling",
        "hiking", "climbing", "cleaning", "shopping", "painting", "decorating", "scrolling", "toilet", "loo", "sofa",
        "match", "matches", "game", "games", "class", "classes", "session", "lesson", "ride", "rides", "riding", "rode",
        "bath", "shower", "meeting", "race", "lap", "laps", "sprint", "sprints", "jog", "jogging", "jogged", "spin",
        "mowing", "mow", "mowed", "hedges", "lawn", "film", "movie", "concert", "lecture",
        "hillwalking", "hillwalk", "trek", "trekking", "rambling", "ramble", "hike", "fellwalking",
        "writing", "wrote", "typing", "typed", "studying", "revising", "reading", "knitting", "sewing", "exam", "exams",
        "essay", "essays", "homework", "practice", "rehearsal", "wedding", "party", "bike", "biking", "cycle", "climb", "climbs"
    ]
    /// Words before an amount of time that make it the length of a cramp ("lasts 15 minutes",
    /// "cramping for an hour", "it's been 20 minutes").
    private static let durationLead: Set<String> = Set([
        "last", "lasts", "lasted", "lasting", "for", "over", "about", "almost", "nearly", "been", "around",
        "cramp", "cramps", "cramping", "cramped", "spasm", "it",
        // "going on half an hour now", "it's gone on for an hour"
        "going", "gone",
        // "it is now 20 minutes", "is stay like 15 minutes", "still like that 20 minutes on"
        "now", "stay", "stays", "stayed", "staying", "still", "longer", "than"
    ]).union(endingVerbs)
    private static let decadeLead: Set<String> = ["my", "early", "late", "mid", "their", "her", "his"]
    /// What may follow an age ("she is 80 and ...", "he is 9, and").
    /// A pronoun starts the next clause too ("my mother 78 she get cramp", "he is 62 he has").
    private static let afterAge: Set<String> = ["and", "an", "but", "now", "so", "with", "who", "this", "next", "also", "she", "he", "they", "i"]
    /// Words after a number that count something else: "my wife 3 times a week", "my son 2 or 3".
    private static let counts: Set<String> = ["times", "time", "x", "or", "to", "per", "more", "nights", "goes"]
    /// Marks between a person and the age: "my mum (82)", "my dad, 76,".
    private static let beforeAge: Set<String> = ["(", ","]

    /// Nothing after an age but a mark, the end, or a word that starts the next clause.
    private func endsAge(at i: Int) -> Bool {
        guard i < tokens.count else { return true }
        if tokens[i].isMark { return true }
        return Self.afterAge.contains(tokens[i].text)
    }

    /// A word of the lexicon's `subjects` ("son", "baby", "hubby").
    func isRelation(_ i: Int) -> Bool { i >= 0 && i < tokens.count && relationIDs.contains(tokens[i].id) }

    func word(_ i: Int) -> String? { i >= 0 && i < tokens.count && !tokens[i].isMark ? tokens[i].text : nil }

    func value(_ i: Int) -> Double? {
        guard i >= 0, i < tokens.count else { return nil }
        return tokens[i].number ?? words.number(tokens[i].id)
    }

    /// A number that can be an age: written in figures, or a number word other than "a" ("she
    /// is three", not "she is a nurse").
    func ageValue(_ i: Int) -> Double? {
        guard i >= 0, i < tokens.count else { return nil }
        return tokens[i].number ?? (["a", "an"].contains(tokens[i].text) ? nil : words.number(tokens[i].id))
    }

    private static let heights: Set<String> = ["foot", "feet", "ft", "stone", "st", "cm", "inches", "inch"]

    func unit(_ i: Int) -> TimeUnit? { i >= 0 && i < tokens.count ? words.unit(tokens[i].id) : nil }

    func read(at i: Int) -> Reading? {
        guard hasNumber else { return every(at: i) }
        if let reading = every(at: i) ?? age(at: i) ?? temperature(at: i) { return reading }
        guard let n = value(i) else { return nil }
        // "the paramedics measured 40.8": a number with tenths from 38 to 43, with no unit after
        // it, is a body temperature in Celsius.
        if let exact = tokens[i].number, exact != exact.rounded(), (38...43).contains(exact), unit(i + 1) == nil,
            !(word(i + 1).map(Self.otherMeasures.contains) ?? false)
        {
            return Reading(findings: [Finding(.symptom, "fever")], length: 1)
        }
        // "when she was 12", "when I was 20": the clause is the long past.
        if tokens[i].number != nil, word(i - 1) == "was" || word(i - 1) == "were", let who = word(i - 2),
            ["i", "she", "he", "they", "we"].contains(who), word(i - 3) == "when", unit(i + 1) == nil || unit(i + 1) == .year
        {
            return Reading(findings: [], length: unit(i + 1) == .year ? (word(i + 2) == "old" ? 3 : 2) : 1, yearsAgo: true)
        }
        if let reading = clock(n, at: i) ?? rate(n, at: i) ?? decade(n, at: i) ?? weather(n, at: i) ?? year(n, at: i) { return reading }
        return span(n, at: i)
    }

    /// What else a number with tenths may measure.
    private static let otherMeasures: Set<String> = [
        "km", "k", "kms", "miles", "mile", "mi", "kg", "kgs", "kilos", "lbs", "pounds", "weeks", "percent", "mg", "mmol", "litres", "liters", "l"
    ]

    /// Words after a day's temperature: "it was 38 today".
    private static let dayWords: Set<String> = ["today", "yesterday", "here", "there", "outside", "out", "in", "at", "and", "this", "all", "degrees"]

    private static let degreeWords: Set<String> = [
        "degrees", "degree", "c", "celsius", "centigrade", "f", "fahrenheit", "grados", "degres", "stopni", "graden", "grad"
    ]

    /// "in 2015", "back in 1998": a year named is the long past (people say "in March", not the
    /// year, for what is recent), so the clause's warning signs are history.
    private func year(_ n: Double, at i: Int) -> Reading? {
        guard n >= 1900, n <= 2100, n == n.rounded(), let lead = word(i - 1) else { return nil }
        // "she thinks it's 1985", "he thought it was 1990": not knowing the year is confusion.
        if lead == "is" || lead == "was", word(i - 2) == "it", let verb = word(i - 3),
            verb == "thought" || verb == "convinced" || Self.thinkStems.contains(WordForms.stem(verb))
        {
            return Reading(findings: [Finding(.symptom, "confusion")], length: 1)
        }
        guard lead == "in" || lead == "since" || lead == "around" else { return nil }
        return lead == "since" ? Reading(findings: [], length: 1) : Reading(findings: [], length: 1, yearsAgo: true)
    }

    /// "thinks", read as any form of "think" or "believe" (a word may come read as another of its forms).
    private static let thinkStems: Set<String> = [WordForms.stem("think"), WordForms.stem("believe"), WordForms.stem("reckon")]

    /// "in 35 degrees", "32c out": a hot day (a temperature word before it is a fever, read first).
    private func weather(_ n: Double, at i: Int) -> Reading? {
        // "it got to 41 today", "it hit 40": the day's temperature (not "her temperature got to 39").
        let reached = word(i - 1) == "hit" || word(i - 1) == "reached" || (word(i - 1) == "to" && word(i - 2) == "got")
        if reached, !(max(0, i - 4)..<i).contains(where: { ["temperature", "temp", "fever", "thermometer"].contains(word($0) ?? "") }) {
            return Reading(findings: (28...55).contains(n) || (86...125).contains(n) ? [Finding(.trigger, "heat")] : [], length: 1)
        }
        // "its 38 out", "it was 40 outside": a temperature of the day, without its unit.
        // "39 out", "all arvo, 39 out": a number of heat with "out" after it (not "3 out of 10").
        if let next = word(i + 1), next == "out" || next == "outside", word(i + 2) != "of",
            ["its", "is", "was", "it", "s"].contains(word(i - 1) ?? "") || (28...55).contains(n) || (86...125).contains(n)
        {
            return Reading(findings: (28...55).contains(n) || (86...125).contains(n) ? [Finding(.trigger, "heat")] : [], length: 2)
        }
        // "it was 38 today", "its 40 here": the day's heat, said of "it" (not "he was 38").
        if word(i - 2) == "it", let verb = word(i - 1), verb == "was" || verb == "is", (28...55).contains(n) || (86...125).contains(n),
            unit(i + 1) == nil, word(i + 1).map(Self.dayWords.contains) ?? true
        {
            return Reading(findings: [Finding(.trigger, "heat")], length: 1)
        }
        // Not "a c-section": an article is no number of degrees.
        guard let unit = word(i + 1), Self.degreeWords.contains(unit), tokens[i].text != "a", tokens[i].text != "an" else { return nil }
        let fahrenheit = unit == "f" || unit == "fahrenheit" || (unit.hasPrefix("degree") && n > 60)
        let hot = fahrenheit ? (86...125).contains(n) : (28...55).contains(n)
        return Reading(findings: hot ? [Finding(.trigger, "heat")] : [], length: 2)
    }

    /// "3 times a week", "twice a night", "once a month", "2x per week".
    private func rate(_ n: Double, at i: Int) -> Reading? {
        var j = i + 1
        let text = tokens[i].text
        // "4 nights outta 7", "5 days out of 7": so many of each week's nights or days.
        if let counted = unit(i + 1), counted == .night || counted == .day {
            let of = word(i + 2) == "outta" ? i + 3 : (word(i + 2) == "out" && word(i + 3) == "of" ? i + 4 : nil)
            if let of, let whole = value(of), whole >= n, whole > 0, whole <= 31 {
                let length = of - i + 1 + (unit(of + 1) == counted ? 1 : 0)
                return Reading(findings: [Finding(.frequency, n * 7 / whole >= 3 ? "frequent" : "occasional")], length: length)
            }
        }
        // "once or twice a month", "1 or 2 times a week": the range's top counts.
        var n = n
        if let link = word(j), link == "or" || link == "to", let top = value(j + 1) ?? (word(j + 1) == "twice" ? 2 : nil),
            word(j + 2).map { Self.timeWords.contains($0) || Self.perWords.contains($0) } == true
        {
            n = max(n, top)
            j += 2
        }
        // "a couple of times a week"
        if word(j) == "of", let w = word(j + 1), Self.timeWords.contains(w) || unit(j + 1) == .night || unit(j + 1) == .day { j += 1 }
        // "3 times a week", "twice a night", or a count straight before "a/per/every" + unit
        // ("a couple a week", "2 a night").
        if let w = word(j), Self.timeWords.contains(w) {
            j += 1
            if let w = word(j), Self.perWords.contains(w) {
                j += 1
            }
            // "2 or 3 time in month", "3 times in a week"
            else if word(j) == "in" {
                j += 1
                if let w = word(j), w == "a" || w == "the" { j += 1 }
            }
            // "3 times this month", "twice last week": so many in that week, month or year.
            else if let w = word(j), w == "this" || w == "last", let per = unit(j + 1), [.week, .month, .year].contains(per) {
                j += 1
            }
        } else if let counted = unit(j), counted == .night || counted == .day, let w = word(j + 1), Self.perWords.contains(w),
            let per = unit(j + 2), [.week, .month, .year].contains(per)
        {
            // "3 nights a week", "4 or 5 days a month": so many of the days or nights in each.
            j += 2
        } else if text == "once" || text == "twice" {
            if let w = word(j), Self.perWords.contains(w) || (w == "this" || w == "last") && [.week, .month, .year].contains(unit(j + 1)) {
                j += 1
            }
            // "once in 10 days", "twice in a month": so many units a time.
            else if word(j) == "in", let v = value(j + 1), unit(j + 2) != nil {
                let perWeek = Self.perWeek(n, every: unit(j + 2)!) / v
                if isRateOfAnActivity(before: i) { return Reading(findings: [], length: j - i + 3) }
                return Reading(findings: [Finding(.frequency, perWeek >= 3 ? "frequent" : "occasional")], length: j - i + 3)
            }
        } else if text != "a" && text != "an", let w = word(j), w != "an", Self.perWords.contains(w), unit(j + 1) != nil {
            j += 1
        } else {
            return nil
        }
        // "once every few weeks", "twice every couple of months": so many units a time.
        var units = 1.0
        if word(j - 1) == "every", j < tokens.count, tokens[j].text != "a", let v = value(j) {
            units = v
            j += 1
            if word(j) == "of" { j += 1 }
        }
        // "once a fortnight"
        if word(j) == "fortnight" || word(j) == "fortnights" {
            if isRateOfAnActivity(before: i) { return Reading(findings: [], length: j - i + 1) }
            return Reading(findings: [Finding(.frequency, n / (2 * units) >= 3 ? "frequent" : "occasional")], length: j - i + 1)
        }
        guard let unit = unit(j) else { return nil }
        let perWeek = Self.perWeek(n, every: unit) / units
        // "I swim 3 times a week", "been swimming a year, 3 times a week": how often the person
        // does it, not how often the cramps come.
        if isRateOfAnActivity(before: i) { return Reading(findings: [], length: j - i + 1) }
        // "3 nights a week": at night, too.
        let atNight = (i + 1...j).contains { self.unit($0) == .night }
        return Reading(
            findings: [Finding(.frequency, perWeek >= 3 ? "frequent" : "occasional")] + (atNight ? [Finding(.timing, "night")] : []),
            length: j - i + 1)
    }

    /// So many times a unit, as times a week (an hour or a day counts as a day).
    private static func perWeek(_ n: Double, every unit: TimeUnit) -> Double {
        switch unit {
        case .second, .minute, .hour, .day, .night: n * 7
        case .week: n
        case .month: n / 4.3
        case .year: n / 52
        }
    }

    /// An activity someone does ("I swim", "been swimming", "play football") stands before the
    /// rate at `i`, with no word of cramps between.
    private func isRateOfAnActivity(before i: Int) -> Bool {
        var j = i - 1
        var seen = 0
        while j >= 0 && seen < 8 {
            defer { j -= 1 }
            guard let w = word(j) else { continue }
            seen += 1
            if Self.crampWords.contains(w) || w == "them" || w == "it" { return false }
            // "an inhaler twice a day", "I smoke 20 a day": a habit's rate.
            if Self.habits.contains(w) { return true }
            guard Self.isActivity(w) else { continue }
            if let before = word(j - 1), Self.doers.contains(before) { return true }
            // "go to the gym", "went to yoga"
            if word(j - 1) == "to" || (word(j - 1) == "the" && word(j - 2) == "to") {
                let verb = word(j - 1) == "to" ? word(j - 2) : word(j - 3)
                if let verb, ["go", "goes", "went", "going"].contains(verb) { return true }
            }
        }
        return false
    }

    /// Things done at a rate that is not the cramps': a medicine taken, a smoke, a drink.
    private static let habits: Set<String> = [
        "smoke", "smokes", "smoking", "cigarettes", "cigs", "roll", "rollies", "vape", "inhaler", "inhalers", "puffs", "puff",
        "tablet", "tablets", "pill", "pills", "take", "takes", "taking", "dose", "doses", "coffee", "coffees", "tea", "teas",
        "cups", "cans", "pints", "drinks", "units"
    ]
    private static let crampWords: Set<String> = ["cramp", "cramps", "cramping", "cramped", "spasm", "spasms", "happens", "happen", "get", "gets"]
    private static let doers: Set<String> = [
        "i", "we", "he", "she", "they", "been", "go", "goes", "went", "do", "does", "play", "plays"
    ]

    private static let ordinals: [String: Double] = [
        "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5, "5th": 5
    ]

    /// "every 2 days", "every other night".
    private func every(at i: Int) -> Reading? {
        guard word(i) == "every" else { return nil }
        var j = i + 1
        var n = 1.0
        if word(j) == "other" {
            n = 2
            j += 1
        } else if let w = word(j), let ordinal = Self.ordinals[w] {
            // "every 2nd night", "every third day".
            n = ordinal
            j += 1
        } else if let v = value(j), tokens[j].text != "a" {
            n = v
            j += 1
            // "every 2nd night" read as "2" and "nd".
            if let suffix = word(j), ["nd", "rd", "th", "st"].contains(suffix) { j += 1 }
        } else if word(j) == "fortnight" {
            return Reading(findings: [Finding(.frequency, "occasional")], length: 2)
        } else {
            return nil
        }
        // "every couple of days"
        if word(j) == "of", unit(j + 1) != nil { j += 1 }
        guard let unit = unit(j) else { return nil }
        let days: Double
        switch unit {
        case .second, .minute, .hour: days = 0
        case .day, .night: days = n
        case .week: days = n * 7
        case .month: days = n * 30
        case .year: days = n * 365
        }
        return Reading(findings: [Finding(.frequency, days <= 2.5 ? "frequent" : "occasional")], length: j - i + 1)
    }

    /// "the thermometer says 40.5": a word may come read as another of its forms ("says" as "saying").
    private static let readingVerbs: Set<String> = Set(["say", "read", "show"].map(WordForms.stem))
    private static let temperatureWords: Set<String> = ["temp", "temperature", "fever", "thermometer"]
    private static let temperatureLinks: Set<String> = [
        "is", "of", "was", "at", "over", "above", "around", "about", "nearly", "almost", "says", "said", "reads", "read", "shows",
        "showed", "showing", "reading", "on"
    ]

    /// "temp 40.5", "a temperature of 39", "fever is 104F": a fever from 38 C or 100.4 F up (up to
    /// 45 C or 115 F, beyond which the number is something else).
    private func temperature(at i: Int) -> Reading? {
        // Most tokens are no temperature word: the first letter says so without hashing the word.
        guard i < tokens.count, let first = tokens[i].text.utf8.first, first == UInt8(ascii: "t") || first == UInt8(ascii: "f"),
            let w = word(i), Self.temperatureWords.contains(w)
        else { return nil }
        var j = i + 1
        while j < i + 3, let link = word(j), Self.temperatureLinks.contains(link) || Self.readingVerbs.contains(WordForms.stem(link)) { j += 1 }
        guard j < tokens.count, let n = tokens[j].number else { return nil }
        var length = j + 1 - i
        // "104F", "40c", "39 degrees"
        if let unit = word(j + 1), ["f", "c", "degrees", "degree"].contains(unit) { length += 1 }
        guard (38...45).contains(n) || (100.4...115).contains(n) else { return Reading(findings: [], length: length) }
        return Reading(findings: [Finding(.symptom, "fever")], length: length)
    }

    /// "I'm 72", "aged 15", "72 years old", "20-year-old", "80 yo".
    private func age(at i: Int) -> Reading? {
        // Every age below has its number within its first four tokens, and most tokens have none
        // so near: they are passed without comparing a word.
        guard i < tokens.count, value(i) != nil || value(i + 1) != nil || value(i + 2) != nil || value(i + 3) != nil else { return nil }
        var years: Double?
        var length = 0
        if word(i) == "i", word(i + 1) == "am", let n = tokens.indices.contains(i + 2) && tokens[i + 2].text != "one" ? ageValue(i + 2) : nil,
            unit(i + 3) == nil || (unit(i + 3) == .year && (word(i + 4) == "old" || yearsOfAge(at: i + 4))),
            !(word(i + 3).map { Self.heights.contains($0) || Self.otherMeasures.contains($0) } ?? false)
        {
            // "I'm 72", "I'm forty two" (the tens: the group is the same).
            years = n
            length = unit(i + 3) == .year ? (yearsOfAge(at: i + 4) ? 6 : 5) : 3
        } else if word(i).map(Self.people.contains) ?? false || isRelation(i), word(i + 1) == "of", let n = ageValue(i + 2),
            unit(i + 3) == nil || unit(i + 3) == .year
        {
            // "a lady of 91", "a man of 70 years".
            years = n
            length = unit(i + 3) == .year ? 4 : 3
        } else if word(i) == "is", let n = ageValue(i + 1),
            endsAge(at: i + 2) || (word(i + 2).map(Self.verbsAfterAge.contains) ?? false)
                || (unit(i + 2) == .year && (word(i + 3) == "old" || yearsOfAge(at: i + 3))),
            (max(0, i - 6)..<i).contains(where: { isRelation($0) || (word($0).map(Self.people.contains) ?? false) })
        {
            // "the gentleman I look after is 87", "my dad who is 82": a person named just before.
            years = n
            length = unit(i + 2) == .year ? 4 : 2
        } else if word(i) == "he" || word(i) == "she" || isRelation(i), word(i + 1) == "is", let n = ageValue(i + 2),
            unit(i + 3) == .month || unit(i + 3) == .week, word(i + 4) != "pregnant",
            // "she's 38 weeks (nearly due)": how far along a pregnancy is, not a baby's age.
            !(unit(i + 3) == .week && isGestation(n, at: i + 2, after: i + 4))
        {
            // "my baby is 8 months (old)": under a year (not "she is 8 months pregnant").
            return Reading(findings: [Finding(.ageGroup, "child")], length: word(i + 4) == "old" ? 5 : 4)
        } else if word(i) == "he" || word(i) == "she" || isRelation(i), word(i + 1) == "is",
            let hedge = word(i + 2), ["only", "just", "nearly", "almost"].contains(hedge), let n = ageValue(i + 3),
            word(i + 4).map(Self.afterAge.contains) ?? true || (unit(i + 4) == .year && word(i + 5) == "old")
        {
            // "she's only 6", "he is nearly 80".
            years = n
            length = unit(i + 4) == .year ? 6 : 4
        } else if word(i) == "he" || word(i) == "she" || isRelation(i),
            word(i + 1) == "is", let n = ageValue(i + 2),
            word(i + 3).map(Self.afterAge.contains) ?? true
                || (unit(i + 3) == .year && (word(i + 4) == "old" || word(i + 4).map(Self.afterAge.contains) ?? true))
        {
            // Someone writing for another: "my son is 28", "she is 80 and ...", "she is 70 years,
            // also ...", not "he is 5 foot".
            years = n
            length = unit(i + 3) == .year ? (word(i + 4) == "old" ? 5 : 4) : 3
        } else if let person = word(i), person == "he" || person == "she" || isRelation(i),
            let n = ageValue(i + 1) ?? (tokens.indices.contains(i + 2) && Self.beforeAge.contains(tokens[i + 1].text) ? ageValue(i + 2) : nil),
            n < 18 || person == "he" || person == "she" || tokens[i + 1].text == "("
                || endsAge(at: Self.beforeAge.contains(tokens[i + 1].text) ? i + 3 : i + 2)
                // "my dad (76) has been getting cramps": the brackets are not kept, a verb follows.
                || (word(Self.beforeAge.contains(tokens[i + 1].text) ? i + 3 : i + 2).map(Self.verbsAfterAge.contains) ?? false)
        {
            // "son 6 leg pain", "my son (10) is hot", "my dad, 76, gets them", "mum's 84" (the
            // possessive read as "mum 84"), "she's three" (read as "she three"): an age just
            // after the person, not "she 2 days ago" or "he 5 foot"; an adult's only where
            // nothing follows the number but a mark or "and" ("my husband 5 times a week" is not).
            let after = Self.beforeAge.contains(tokens[i + 1].text) ? i + 3 : i + 2
            guard
                unit(after) == nil && !(word(after).map { Self.otherMeasures.contains($0) || Self.counts.contains($0) } ?? false)
                    && !(word(after).map(Self.heights.contains) ?? false)
                    || (unit(after) == .year && word(after + 1) == "old")
                    // "my daughter 8 years, today after school ...": the years end the clause.
                    || (unit(after) == .year && isRelation(i) && (after + 1 >= tokens.count || tokens[after + 1].isMark))
            else { return nil }
            years = n
            length = after - i
        } else if word(i) == "i" || word(i) == "he" || word(i) == "she" || isRelation(i) || word(i).map(Self.people.contains) == true,
            word(i + 1) == "have" || word(i + 1) == "has", let n = ageValue(i + 2), word(i) != "i" || n >= 10,
            case let after = unit(i + 3) == .year ? i + 4 : i + 3, unit(i + 3) == nil || unit(i + 3) == .year,
            after >= tokens.count || tokens[after].isMark || word(after).map(Self.afterHavingYears.contains) == true
        {
            // "I have 34 years and I am pregnant", "my son have 13 years", "my grandmother have
            // 85 and she ...": an age as Romance languages say it. Not "I have 2 years of this".
            years = n
            length = after - i
        } else if word(i) == "aged" || word(i) == "age", let n = tokens.indices.contains(i + 1) ? tokens[i + 1].number : nil {
            years = n
            length = 2
        } else if let n = tokens[i].number, n >= 16, n <= 105, n == n.rounded(), i > 0, tokens[i - 1].kind == .mark(","),
            i + 1 >= tokens.count || tokens[i + 1].kind == .mark(",") || tokens[i + 1].kind == .mark(".") || word(i + 1) == "and",
            !(max(0, i - 3)..<i).contains(where: { tokens[$0].number != nil || unit($0) != nil })
        {
            // An age told in a list: "work in an office, 52, get woken most nights", "diabetic, 57,".
            years = n
            length = 1
        } else if let n = tokens[i].number, n >= 18 || n >= 13 && (i + 2 >= tokens.count || tokens[i + 2].kind == .mark(",")), n <= 105,
            n == n.rounded(), let sex = word(i + 1), ["m", "f"].contains(sex),
            unit(i + 2) == nil, !(word(i + 2).map { Self.isActivity($0) || Self.otherMeasures.contains($0) } ?? false)
        {
            // "38M cyclist", "26M, gym 5x a week": an age and a sex, as forums write them.
            years = n
            length = 2
        } else if let n = tokens[i].number, n >= 16, n <= 105, n == n.rounded(), i == 0, i + 2 < tokens.count, tokens[i + 1].kind == .mark(","),
            let next = word(i + 2), ["male", "female", "man", "woman", "m", "f", "mum", "dad", "retired"].contains(next)
        {
            // "45, male, fit, cramps started today".
            years = n
            length = 1
        } else if let n = ageValue(i), n >= 2, n <= 105, value(i - 1) == nil, word(i + 1) == "next",
            ["month", "year", "birthday", "week"].contains(word(i + 2) ?? "")
        {
            // "78 next month".
            years = n
            length = 3
        } else if let person = word(i), ["him", "her", "them", "me"].contains(person), word(i + 1) == "being", let n = ageValue(i + 2),
            unit(i + 3) == nil || unit(i + 3) == .year
        {
            // "with him being 70".
            years = n
            length = unit(i + 3) == .year ? 4 : 3
        } else if word(i) == "turned", let n = ageValue(i + 1), n >= 2, unit(i + 2) == nil || unit(i + 2) == .year,
            !(word(i + 2).map { Self.otherMeasures.contains($0) || Self.degreeWords.contains($0) } ?? false)
        {
            // "just turned 40", "she turned 80 in May".
            years = n
            length = unit(i + 2) == .year ? 3 : 2
        } else if word(i) == "will" || word(i) == "ll", word(i + 1) == "be", let n = ageValue(i + 2), n >= 2,
            unit(i + 3) == nil, endsAge(at: i + 3) || ["in", "on", "soon", "at"].contains(word(i + 3) ?? "")
        {
            // "she'll be 90 in May", "he will be 7 next week".
            years = n
            length = 3
        } else if isRelation(i), let hedge = word(i + 1), ["only", "just", "nearly", "almost", "about"].contains(hedge), let n = ageValue(i + 2),
            unit(i + 3) == nil || unit(i + 3) == .year,
            endsAge(at: unit(i + 3) == .year ? i + 4 : i + 3)
                || (word(unit(i + 3) == .year ? i + 4 : i + 3).map(Self.verbsAfterAge.contains) ?? false)
        {
            // "my boyfriend's only 20 and he ..." (the possessive read as the relation and the age).
            years = n
            length = unit(i + 3) == .year ? 4 : 3
        } else if let n = ageValue(i), tokens[i].number != nil || unit(i + 1) == .year && word(i + 2) == "old" {
            // "8 months old", "a 6 week old": a baby.
            if unit(i + 1) == .month || unit(i + 1) == .week, word(i + 2) == "old", n < 24 {
                return Reading(findings: [Finding(.ageGroup, "child")], length: 3)
            }
            if unit(i + 1) == .year, word(i + 2) == "old" {
                years = n
                length = 3
            } else if unit(i + 1) == .year, yearsOfAge(at: i + 2), i == 0 || word(i - 1) != "for" {
                // "80 years of age".
                years = n
                length = 4
            } else if word(i + 1) == "yo" || (word(i + 1) == "yrs" || word(i + 1) == "yr") && word(i + 2) == "old" {
                years = n
                length = word(i + 1) == "yo" ? 2 : 3
            } else if word(i + 1) == "y", word(i + 2) == "o" {
                // "34 y/o", read as "34 y o".
                years = n
                length = 3
            }
        }
        guard let years, years >= 1, years <= 115, years == years.rounded() else { return nil }
        return Reading(findings: [Finding(.ageGroup, Self.ageGroup(years))], length: length)
    }

    /// What someone does, said just after their age: "my mum who's 82 gets cramps".
    static let verbsAfterAge: Set<String> = [
        "gets", "has", "keeps", "had", "was", "suffers", "wakes", "cries", "complains", "often", "always", "sometimes", "still"
    ]

    /// What may follow "I have 34 years" when it is an age: the sentence goes on to something else.
    static let afterHavingYears: Set<String> = ["and", "old", "now", "but", "i", "he", "she", "so", "also"]

    /// "of age" after a number of years.
    private func yearsOfAge(at i: Int) -> Bool { word(i) == "of" && word(i + 1) == "age" }

    /// People named by a common noun, whose age may follow ("a lady of 91").
    static let people: Set<String> = [
        "lady", "man", "woman", "gentleman", "gent", "fella", "fellow", "chap", "bloke", "guy", "person", "lass", "lad", "boy", "girl"
    ]

    static func ageGroup(_ years: Double) -> String {
        switch years {
        case ..<13: "child"
        case ..<20: "teen"
        case ..<60: "adult"
        default: "older"
        }
    }

    /// "in my 60s", "early 70s".
    private func decade(_ n: Double, at i: Int) -> Reading? {
        guard word(i + 1) == "s", n >= 20, n <= 100, n.truncatingRemainder(dividingBy: 10) == 0,
            let lead = word(i - 1), Self.decadeLead.contains(lead)
        else { return nil }
        return Reading(findings: [Finding(.ageGroup, Self.ageGroup(n))], length: 2)
    }

    /// "4am", "3 a.m.", "11pm": the small hours are night.
    private func clock(_ n: Double, at i: Int) -> Reading? {
        guard let next = word(i + 1), next == "am" || next == "pm" || next == "a" && word(i + 2) == "m" else { return nil }
        let length = next == "a" ? 3 : 2
        let night = (next != "pm" && (n <= 5 || n == 12)) || (next == "pm" && n >= 10 && n < 12)
        return Reading(findings: night ? [Finding(.timing, "night")] : [], length: length)
    }

    /// The first amount of a range that ends at `i`: "5 or 10", "5 to 10", "5-10".
    private func rangeStart(before i: Int) -> Double? {
        if let link = word(i - 1), link == "or" || link == "to" || link == "-", i >= 2 { return tokens[i - 2].number }
        if i >= 1, let previous = tokens[i - 1].number, previous < tokens[i].number ?? 0 { return previous }
        return nil
    }

    /// A long duration is a red flag, so it needs words that say it is how long a cramp lasts.
    /// A time the message starts with ("20 minutes", "about an hour", "twenty minutes the last
    /// time"): an answer to how long a cramp lasts, unless it says when something came ("20
    /// minutes after I lie down").
    private func startsTheMessage(_ i: Int, after: Int) -> Bool {
        // The amount may begin with "half" ("half an hour") and a hedge ("about half an hour", "a
        // good 15 minutes").
        var start = word(i - 1) == "half" ? i - 1 : i
        if start >= 1, word(start - 1).map(Self.hedges.contains) == true { start -= 1 }
        if start >= 1, word(start - 1).map(Self.amountAdjectives.contains) == true { start -= 1 }
        if start >= 1, word(start - 1) == "a" { start -= 1 }
        // Or begin its own clause after a cramp was told: "it went on so long the wife had to help
        // me, a good 15 minutes".
        if start >= 2, tokens[start - 1].kind == .mark(","),
            (0..<(start - 1)).contains(where: { word($0).map { w in Self.crampStems.contains(where: { w.hasPrefix($0) }) } ?? false })
        {
            start = 0
        }
        guard start == 0 else { return false }
        // Not a one-letter unit: "38M cyclist" is a man of 38.
        guard let unitWord = word(after - 1), unitWord.count > 1 else { return false }
        return endsBefore(after) || !(word(after).map(Self.whenNotHowLong.contains) ?? false)
    }

    private static let amountAdjectives: Set<String> = ["good", "solid", "whole", "full", "easily", "least", "best"]
    /// Words before an amount that make it more than that amount: "over 10 minutes", "longer than 10".
    private static let moreThan: Set<String> = ["more", "over", "longer", "least", "past", "good", "solid", "than", "easily", "beyond"]
    private static let crampStems = ["cramp", "spasm", "seiz", "lock", "charley", "charlie"]

    private static let whenNotHowLong: Set<String> = ["after", "before", "into", "in", "of", "later", "afterwards", "since"]

    /// "about an hour after the class", "half an hour before bed": when a cramp came, unless a
    /// word says the time is how long it went on ("lasted an hour after", "cramping for 20
    /// minutes after the match").
    private func isDelay(at i: Int, after: Int) -> Bool {
        guard let next = word(after), next == "after" || next == "before" else { return false }
        if endsBefore(after) { return false }
        return !(max(0, i - 5)..<i).contains { word($0).map(Self.lastingLead.contains) ?? false }
    }

    /// "half an hour before it let go", "20 minutes before it eased off": how long a cramp
    /// lasted, to its end (`after` is the word after the unit).
    private func endsBefore(_ after: Int) -> Bool {
        word(after) == "before" && (after + 1...after + 3).contains { word($0).map(Self.endedVerbs.contains) ?? false }
    }

    private static let endedVerbs: Set<String> = [
        "let", "eased", "stopped", "released", "relaxed", "passed", "settled", "subsided", "calmed", "went", "finally", "loosened"
    ]

    /// The leads that say an amount of time is how long something went on, whatever follows it.
    private static let lastingLead: Set<String> = Set([
        "last", "lasts", "lasted", "lasting", "for", "been", "going", "gone"
    ]).union(endingVerbs)

    private func hasDurationLead(before i: Int) -> Bool {
        (max(0, i - 5)..<i).contains { word($0).map(Self.durationLead.contains) ?? false }
    }

    /// A long time that belongs to something else the person did, not to a cramp: "sat on the
    /// toilet scrolling for like 30 mins" (an activity a few words before), "the last 20 mins of
    /// the match", "20 minutes into the run" (a part of an event).
    private func isPartOfAnActivity(at i: Int, after: Int) -> Bool {
        // "the last 20 mins of the match", "in the first 10 minutes": a part of an event. Not
        // "for the last 20 minutes", which is how long something has gone on.
        if let lead = word(i - 1), lead == "last" || lead == "first" || lead == "final", word(i - 2) == "the",
            word(i - 3) != "for" && word(i - 3) != "over" && word(i - 3) != "since"
        {
            return true
        }
        // Not after a word of lasting: "it lasted 5 hours in bed", "cramped for 20 minutes in the
        // night" are how long the cramp went on.
        let lead = word(i - 1).map(Self.hedges.contains) == true ? word(i - 2) : word(i - 1)
        if word(after) == "into" || word(after) == "in" && !(lead.map(Self.lastingLead.contains) ?? false) { return true }
        // "one bottle for 4 hours", "a litre over 3 hours": how much was drunk in that time.
        if (max(0, i - 4)..<i).contains(where: { word($0).map(Self.amountWords.contains) ?? false }) { return true }
        if word(after) == "of", (after + 1...after + 3).contains(where: { word($0).map(Self.isActivity) ?? false }) { return true }
        // The nearer word decides: in "cramped during my run and lasted 15 minutes" it is "lasted";
        // in "I'd been sitting with my legs crossed for like 2 hours" it is "sitting", however many
        // words stand between (up to the clause's start, a mark).
        for j in stride(from: i - 1, through: max(0, i - 12), by: -1) {
            guard let w = word(j) else { return false }
            if Self.crampLead.contains(w) { return false }
            if Self.isActivity(w) { return true }
        }
        return false
    }

    /// Words after an amount of time that make it a delay: "an hour later", "minutes afterwards".
    static let pointInTime: Set<String> = ["later", "afterwards", "afterward", "earlier"]

    private static let journeys: Set<String> = [
        "flight", "flights", "plane", "coach", "bus", "train", "journey", "drive", "trip", "car", "lorry", "truck", "van"
    ]
    /// "drove 14 hours straight", "flew 11 hours".
    private static let travelled: Set<String> = ["drove", "driven", "flew", "flown", "travelled", "traveled"]

    private static let amountWords: Set<String> = [
        "bottle", "bottles", "litre", "litres", "liter", "liters", "pint", "pints", "glass", "glasses", "cup", "cups", "ml", "sip", "sips"
    ]

    /// Words that make the time after them a cramp's length, whatever came before.
    private static let crampLead: Set<String> = [
        "last", "lasts", "lasted", "lasting", "cramp", "cramps", "cramping", "cramped", "spasm", "spasms", "it", "been"
    ]

    /// "I am 24 weeks", "she's nearly 30 wks (along)", "pregnant 30 weeks": so many weeks of a
    /// pregnancy, said of a person with "am"/"is" before the number (a hedge between), or after
    /// "pregnant"; not "for 3 weeks" or "24 weeks ago".
    /// Not "she is 6 weeks old", "I am 6 weeks post-op", "he is 3 weeks into training", and not
    /// of a baby or a man ("my son is 10 weeks"); of someone else only from 12 weeks ("she is 30
    /// weeks"), where a baby's age is unlikely, unless "along" or "gone" says it.
    private func isGestation(_ n: Double, at i: Int, after: Int) -> Bool {
        guard n >= 4, n <= 42, n == n.rounded(), !(word(after).map(Self.notGestation.contains) ?? false) else { return false }
        var lead = i - 1
        if word(lead).map(Self.hedges.contains) == true { lead -= 1 }
        if word(lead) == "pregnant" { return true }
        // "pregnant, 28 weeks", "expecting - 30 weeks".
        if (max(0, i - 3)..<i).contains(where: { word($0).map { ["pregnant", "expecting", "pg", "preg"].contains($0) } ?? false }) { return true }
        // "19 weeks with twins", "30 weeks with my first", "24 weeks with a baby girl", "34 weeks with number two"
        if word(after) == "with", let next = word(after + 1), ["twins", "triplets", "baby", "my", "a", "bump", "number", "our", "the"].contains(next),
            n >= 8
        {
            return true
        }
        guard word(lead) == "am" || word(lead) == "is" else { return false }
        let person = lead - 1
        if word(person) == "i" { return true }
        let along = word(after).map { ["along", "gone", "pregnant"].contains($0) } == true
        if word(person) == "she" { return n >= 12 || along }
        guard isRelation(person), let relation = relations[tokens[person].id],
            relation.relation != "child", relation.sex != "male"
        else { return false }
        return n >= 12 || along
    }

    /// A condition or habit named just before an amount of time: the time is its own.
    private func isLengthOfSomethingElse(at i: Int) -> Bool {
        let lead = ["for", "about", "over", "since"].contains(word(i - 1) ?? "") ? i - 2 : i - 1
        return word(lead).map(Self.ownDurations.contains) ?? false
    }

    private static let ownDurations: Set<String> = [
        "diabetic", "diabetes", "smoke", "smoked", "smoking", "smoker", "underactive", "overactive", "hypothyroid", "menopausal",
        "caring", "carer", "married", "retired", "vegan", "vegetarian", "sober", "insulin", "metformin", "dialysis"
    ]

    /// "pregnant, 7 months", "she is expecting, seven months", "seven months gone".
    private func isPregnancy(before i: Int, after: Int) -> Bool {
        if word(after) == "gone" || word(after) == "pregnant" { return true }
        return (max(0, i - 3)..<i).contains { word($0).map { ["pregnant", "expecting", "pg", "preg"].contains($0) } ?? false }
    }

    private static let notGestation: Set<String> = [
        "ago", "old", "post", "postop", "postpartum", "postnatal", "into", "out", "after", "since", "of", "from", "in",
        "clean", "sober", "off"
    ]

    /// "5 minutes", "2 hrs", "for 3 weeks", "2 months ago", "an hour".
    private func span(_ n: Double, at i: Int) -> Reading? {
        // "a couple of years": the amount, "of", the unit. `after` is the word after the unit.
        let of = word(i + 1) == "of" && unit(i + 2) != nil ? 1 : 0
        guard let unit = unit(i + 1 + of) else { return nil }
        let after = i + 2 + of
        let text = tokens[i].text
        let lead = word(i - 1)
        let isArticle = text == "a" || text == "an"
        // "a day" alone is too vague ("cramps a day after running"); "for a week" is not, nor is
        // an answer that starts with it ("a year or so", "more than a month").
        let startsAnswer = i == 0 && [.week, .month, .year].contains(unit)
        if isArticle, [.day, .night, .week, .month, .year].contains(unit), !startsAnswer,
            !(lead.map(Self.sinceLead.contains) ?? false), word(after) != "ago"
        {
            return nil
        }
        if word(after) == "pregnant" { return Reading(findings: [], length: after - i) }
        if unit == .week, isGestation(n, at: i, after: after) {
            // "I'm 24 weeks", "she is nearly 30 wks", "pregnant 30 weeks": how far along a
            // pregnancy is, not how long the cramps have been.
            let along = word(after).map { ["along", "gone", "now"].contains($0) } == true ? 1 : 0
            return Reading(findings: [Finding(.condition, "pregnancy")], length: after - i + along)
        }
        // "after 10 minutes", "after about 10 minutes" of walking: when it comes, not how long;
        // but "it went after a minute", "gone in about a minute": when it ended, so how long.
        let leadAt = lead.map { Self.hedges.contains($0) } == true ? i - 2 : i - 1
        if let lead = word(leadAt), Self.onsetLead.contains(lead) {
            // "still there after 20 minutes", "still hard as a rock after half an hour": still
            // going after that long.
            if lead == "after", unit == .hour || unit == .minute && n >= 10,
                (max(0, leadAt - 6)..<leadAt).contains(where: { word($0) == "still" })
            {
                return Reading(findings: [Finding(.duration, "long")], length: after - i)
            }
            guard let ending = word(leadAt - 1),
                Self.endingVerbs.contains(ending) || (ending == "away" && word(leadAt - 2).map(Self.endingVerbs.contains) == true)
            else { return Reading(findings: [], length: after - i) }
        }
        let ago = word(after) == "ago"
        let length = after - i + (ago ? 1 : 0)
        // "the right one cramped about an hour later", "20 mins afterwards": when something came,
        // not how long anything lasted.
        if [.second, .minute, .hour].contains(unit), let next = word(after), Self.pointInTime.contains(next) {
            // "still bunched up like a fist 20 minutes later": still going after that long.
            if next == "later", unit != .second, n >= 10 || unit == .hour,
                (max(0, i - 8)..<i).contains(where: { word($0) == "still" })
            {
                return Reading(findings: [Finding(.duration, "long")], length: length + 1)
            }
            return Reading(findings: [], length: length + 1)
        }
        switch unit {
        case .second:
            if ago { return Reading(findings: [Finding(.since, "today")], length: length) }
            return Reading(findings: [Finding(.duration, n >= 60 ? "minutes" : "seconds")], length: length)
        case .minute:
            if ago { return Reading(findings: [Finding(.since, "today")], length: length) }
            if n >= 10
                && (!hasDurationLead(before: i) && !startsTheMessage(i, after: after) || word(after).map(Self.isActivity) == true
                    || isPartOfAnActivity(at: i, after: after) || isDelay(at: i, after: after))
            {
                return Reading(findings: [], length: length)
            }
            // "5 or 10 mins", "5-10 minutes": a range up to ten minutes is minutes, not a cramp that
            // will not release (which lasts more than ten).
            let isRangeUpToTen = n <= 10 && rangeStart(before: i).map { $0 < 10 } == true
            // A cramp that will not release lasts more than ten minutes (NHS): "10 min or so" is
            // not, "over 10 minutes" is.
            let long = n > 10 || n == 10 && (max(0, i - 2)..<i).contains { word($0).map(Self.moreThan.contains) ?? false }
            return Reading(findings: [Finding(.duration, long && !isRangeUpToTen ? "long" : "minutes")], length: length)
        case .hour:
            if ago || lead == "past" || lead == "last" { return Reading(findings: [Finding(.since, "today")], length: length) }
            // "a 14 hr flight", "an 8 hour coach trip": a long journey, which makes a clot more
            // likely (NHS DVT), and no length of a cramp.
            // So are "22 hours on the plane", "9 hours in the car": the journey a word or two on.
            let journeyAfter =
                word(after).map(Self.journeys.contains) == true
                || (word(after) == "on" || word(after) == "in") && (after + 1...after + 2).contains { word($0).map(Self.journeys.contains) == true }
            if n >= 4, journeyAfter || word(i - 1).map(Self.travelled.contains) == true {
                return Reading(findings: [Finding(.trigger, "clot_risk")], length: length)
            }
            // "drove for 3 hours" is how long the activity lasted, not the cramp.
            if (max(0, i - 3)..<i).contains(where: { word($0).map(Self.isActivity) ?? false })
                || word(after).map(Self.isActivity) == true || !hasDurationLead(before: i) && !startsTheMessage(i, after: after)
                || isPartOfAnActivity(at: i, after: after) || isDelay(at: i, after: after)
            {
                return Reading(findings: [], length: length)
            }
            return Reading(findings: [Finding(.duration, "long")], length: length)
        case _ where isLengthOfSomethingElse(at: i):
            // "diabetic 20 yrs", "smoked 40 years", "caring for my mum for 6 yrs": how long the
            // person has had something else, not the cramps.
            return Reading(findings: [], length: length)
        case .month where n <= 9 && isPregnancy(before: i, after: after):
            // "pregnant, 7 months", "seven months gone": how far along a pregnancy is.
            return Reading(findings: [Finding(.condition, "pregnancy")], length: after - i + (word(after) == "gone" ? 1 : 0))
        // The answers are "a few days", "a few weeks", "months" and "years": one week is a few
        // days, one month a few weeks ("for about a week now", "since a month or so"); more than
        // one is the unit itself ("more than a month", "over a week").
        case .day, .night:
            return Reading(findings: [Finding(.since, n >= 14 ? "weeks" : "days")], length: length)
        case .week:
            let few = n < 2 && lead != "than" && lead != "over"
            return Reading(findings: [Finding(.since, n >= 8 ? "months" : few ? "days" : "weeks")], length: length)
        case .month:
            let few = n < 2 && lead != "than" && lead != "over"
            return Reading(findings: [Finding(.since, n >= 12 ? "years" : few ? "weeks" : "months")], length: length)
        case .year:
            return Reading(findings: [Finding(.since, "years")], length: length, yearsAgo: ago)
        }
    }
}
