import Foundation
import Logging
import Synchronization

/// swift-log's text lines on stderr (`<time> <level> <label>: <key=value ...> [<source>] <message>`,
/// as `StreamLogHandler` writes them), with the metadata put in words only when a line is
/// written. `StreamLogHandler` re-renders all of its metadata on every change, and the HTTP
/// server sets a request id on each request's logger: at full webhook ingest that rendering,
/// for lines almost never written, was a few per cent of the server's CPU.
struct TextLogHandler: PlainMetadataLogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    static let output = Mutex<Void>(())

    init(label: String, metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    // swiftlint:disable:next function_parameter_count
    func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        let all = effectiveMetadata(explicit)
        let pretty = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let text = "\(Self.timestamp()) \(level)\(label.isEmpty ? "" : " ")\(label):\(pretty) [\(source)] \(message)\n"
        Self.output.withLock { _ in FileHandle.standardError.write(Data(text.utf8)) }
    }

    /// Local time as `StreamLogHandler` prints it (`2026-12-06T08:41:07+0000`).
    static func timestamp() -> String {
        var buffer = [Int8](repeating: 0, count: 64)
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return buffer.withUnsafeBufferPointer { String(decoding: $0.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self) }
    }
}
