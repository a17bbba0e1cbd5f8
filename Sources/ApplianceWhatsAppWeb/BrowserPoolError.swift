/// Why the pool gave no browser.
enum BrowserPoolError: Error, CustomStringConvertible {
    /// The server is stopping.
    case closed
    /// The tenant was disconnected while the lease waited.
    case tenantClosed

    var description: String {
        switch self {
        case .closed: "the WhatsApp Web browsers are shutting down"
        case .tenantClosed: "WhatsApp Web was disconnected meanwhile"
        }
    }
}
