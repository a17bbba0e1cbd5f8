import Foundation
import Logging
import Synchronization

/// One JSON object per line on stderr (`LOG_FORMAT=json`), for journald and log shippers:
/// `{"ts","level","label","msg", ...metadata}`. Metadata keys never collide with the fixed ones
/// (they are prefixed `meta.` if they would).
struct JSONLogHandler: PlainMetadataLogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    static let output = Mutex<Void>(())

    init(label: String) {
        self.label = label
    }

    // swiftlint:disable:next function_parameter_count
    func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        let all = effectiveMetadata(explicit)
        var object: [String: Any] = [
            "ts": Self.timestamp(), "level": level.rawValue, "label": label, "msg": message.description,
        ]
        for (key, value) in all {
            object[object[key] == nil ? key : "meta." + key] = Self.plain(value)
        }
        guard var data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        data.append(0x0A)
        Self.output.withLock { _ in FileHandle.standardError.write(data) }
    }

    static func plain(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let s): s
        case .stringConvertible(let c): c.description
        case .array(let a): a.map(plain)
        case .dictionary(let d): d.mapValues(plain)
        }
    }

    static func timestamp() -> String {
        var tv = timeval()
        gettimeofday(&tv, nil)
        let ms = Int64(tv.tv_sec) * 1000 + Int64(tv.tv_usec) / 1000
        let date = Date(timeIntervalSince1970: Double(ms) / 1000)
        return date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
