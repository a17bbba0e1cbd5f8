import Logging

/// A log handler that keeps its metadata as a plain dictionary and puts it in words only when a
/// line is written (the server sets a request id on every request's logger).
protocol PlainMetadataLogHandler: LogHandler {}

extension PlainMetadataLogHandler {
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// The handler's metadata, then the provider's, then the line's own (later keys win).
    func effectiveMetadata(_ explicit: Logger.Metadata?) -> Logger.Metadata {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let explicit { all.merge(explicit) { _, new in new } }
        return all
    }
}
