import ArgumentParser
import Foundation
import Logging

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// The daemon's logging: its level, from --log-level or CHARLEY_LOG_LEVEL (default info); logs
/// go to stderr.
struct LogOptions: ParsableArguments {
    @Option(help: "Log level (or CHARLEY_LOG_LEVEL; default info).")
    var logLevel: Logger.Level?

    /// CHARLEY_LOG_LEVEL, as written (nil when not set).
    private static var environmentLevel: String? { ProcessInfo.processInfo.environment["CHARLEY_LOG_LEVEL"] }

    var level: Logger.Level { logLevel ?? Self.environmentLevel.flatMap(Logger.Level.init(argument:)) ?? .info }

    func validate() throws {
        if logLevel == nil, let level = Self.environmentLevel, Logger.Level(argument: level) == nil {
            throw ValidationError("unknown log level '\(level)'")
        }
    }

    /// Sends every logger to stderr at the level.
    func bootstrap() {
        let level = level
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
