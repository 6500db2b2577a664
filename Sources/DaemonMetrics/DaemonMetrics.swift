import CoreMetrics
import Foundation
import Prometheus

/// The daemon's counters and histograms: swift-metrics' types, made by a Prometheus factory
/// over a registry of this daemon's own (no global bootstrap, so tests can hold several).
/// Every metric object is made once, here or the first time a label value is seen, and kept:
/// a turn only increments. Labels are ids (error codes, stages, triage levels, rule ids),
/// never anything a person wrote, and no session id.
public final class DaemonMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    public let messages: CoreMetrics.Counter
    public let connectionsOpened: CoreMetrics.Counter
    public let connections: Meter
    public let sessionsHeld: Meter
    public let turnDuration: CoreMetrics.Timer
    public let commitDuration: CoreMetrics.Timer
    public let reloadsSucceeded: CoreMetrics.Counter
    public let reloadsFailed: CoreMetrics.Counter

    /// Made on first use of a label value, then kept.
    private let errorsByCode: LabelledCounters
    private let repliesByStage: LabelledCounters
    private let triageByLevel: LabelledCounters
    private let redFlagsByRule: LabelledCounters

    /// `stages`, `codes`, `levels` and `rules` are made at once, so that a scraper sees every
    /// series at 0 from the start (others that appear later, e.g. after a reload, are added).
    public init(codes: [String] = [], stages: [String] = [], levels: [String] = [], rules: [String] = []) {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // A turn takes microseconds, a commit about a millisecond: buckets from 10 µs to 1 s.
        let buckets: [Duration] = [
            .microseconds(10), .microseconds(25), .microseconds(50), .microseconds(100),
            .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(100),
            .milliseconds(250), .seconds(1)
        ]
        factory.defaultDurationHistogramBuckets = buckets
        self.registry = registry
        self.factory = factory
        messages = Counter(label: "charley_messages_total", factory: factory)
        connectionsOpened = Counter(label: "charley_connections_opened_total", factory: factory)
        connections = Meter(label: "charley_connections", factory: factory)
        sessionsHeld = Meter(label: "charley_sessions_held", factory: factory)
        turnDuration = Timer(label: "charley_turn_duration_seconds", factory: factory)
        commitDuration = Timer(label: "charley_commit_duration_seconds", factory: factory)
        reloadsSucceeded = Counter(label: "charley_reloads_total", dimensions: [("result", "ok")], factory: factory)
        reloadsFailed = Counter(label: "charley_reloads_total", dimensions: [("result", "failed")], factory: factory)
        errorsByCode = LabelledCounters(label: "charley_errors_total", dimension: "code", values: codes, factory: factory)
        repliesByStage = LabelledCounters(label: "charley_replies_total", dimension: "stage", values: stages, factory: factory)
        triageByLevel = LabelledCounters(label: "charley_triage_total", dimension: "level", values: levels, factory: factory)
        redFlagsByRule = LabelledCounters(label: "charley_red_flags_total", dimension: "rule", values: rules, factory: factory)
    }

    public func error(_ code: String) { errorsByCode[code].increment() }
    public func reply(stage: String) { repliesByStage[stage].increment() }
    /// A session's triage level set or raised by a turn.
    public func triage(_ level: String) { triageByLevel[level].increment() }
    /// The reply counters of `stages`, and the triage counters of `levels`, by position: what a
    /// turn increments, with no lookup by name.
    public func replyCounters(_ stages: [String]) -> [CoreMetrics.Counter] { repliesByStage.counters(stages) }
    public func triageCounters(_ levels: [String]) -> [CoreMetrics.Counter] { triageByLevel.counters(levels) }
    /// A red-flag rule matched in a session for the first time.
    public func redFlag(_ rule: String) { redFlagsByRule[rule].increment() }

    /// The Prometheus text format (for node_exporter's textfile collector or a scraper).
    public func prometheusText() -> String { registry.emitToString() }

    /// Every sample, read back from the text format: one source of truth for both outputs.
    public func samples() -> [Sample] { Sample.parse(prometheusText()) }

    /// One line of the text format: a name, its labels and a value.
    public struct Sample: Sendable, Equatable, Encodable {
        public var name: String
        public var labels: [String: String]
        public var value: Double

        public init(name: String, labels: [String: String], value: Double) {
            self.name = name
            self.labels = labels
            self.value = value
        }

        /// Reads the sample lines of the text format (comments and blank lines skipped).
        public static func parse(_ text: String) -> [Sample] {
            text.split(separator: "\n").compactMap { line -> Sample? in
                guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "),
                    let value = Double(line[line.index(after: space)...])
                else { return nil }
                let series = line[..<space]
                guard let brace = series.firstIndex(of: "{"), series.last == "}" else {
                    return Sample(name: String(series), labels: [:], value: value)
                }
                var labels: [String: String] = [:]
                // Label values here are ids and numbers: no quotes or commas inside them.
                for pair in series[series.index(after: brace)..<series.index(before: series.endIndex)].split(separator: ",") {
                    guard let equals = pair.firstIndex(of: "=") else { continue }
                    labels[String(pair[..<equals])] = String(pair[pair.index(after: equals)...]).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
                return Sample(name: String(series[..<brace]), labels: labels, value: value)
            }
        }
    }
}

/// Counters of one name by one label. Those of the values given at the start are found without
/// a lock (a turn only reads the table); a value first seen later (a rule added by a reload)
/// is made once under the lock and kept.
private final class LabelledCounters: @unchecked Sendable {
    private let label: String
    private let dimension: String
    private let factory: PrometheusMetricsFactory
    private let known: [String: CoreMetrics.Counter]
    private let lock = NSLock()
    private var added: [String: CoreMetrics.Counter] = [:]

    init(label: String, dimension: String, values: [String], factory: PrometheusMetricsFactory) {
        self.label = label
        self.dimension = dimension
        self.factory = factory
        var known: [String: CoreMetrics.Counter] = [:]
        for value in values { known[value] = Counter(label: label, dimensions: [(dimension, value)], factory: factory) }
        self.known = known
    }

    subscript(value: String) -> CoreMetrics.Counter {
        if let counter = known[value] { return counter }
        return lock.withLock {
            if let counter = added[value] { return counter }
            let counter = Counter(label: label, dimensions: [(dimension, value)], factory: factory)
            added[value] = counter
            return counter
        }
    }

    /// The counters of the values given at the start, in their order (for callers that index
    /// them by position instead of by name).
    func counters(_ values: [String]) -> [CoreMetrics.Counter] { values.map { self[$0] } }
}
