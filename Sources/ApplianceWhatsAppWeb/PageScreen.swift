/// What WhatsApp Web shows, as far as sending and linking care.
enum PageScreen: String, Sendable, CaseIterable {
    /// Nothing recognisable yet (the app is starting, "Starting chat", "Loading your chats").
    case loading
    /// The QR code: not logged in.
    case qr
    /// Logged in, chat list.
    case chats
    /// Logged in, a chat open with its composer.
    case chat
    /// The invalid-number popup after `/send?phone=`.
    case invalidNumber

    /// The elements probed to tell the screens apart.
    static let probedKeys: [WebSelectors.Key] = [.invalidNumber, .composer, .qrCode, .qrReload, .loggedIn]

    /// The screen shown when the elements in `visible` are visible.
    init(visible: Set<WebSelectors.Key>) {
        if visible.contains(.invalidNumber) { self = .invalidNumber }
        else if visible.contains(.composer) { self = .chat }
        else if visible.contains(.qrCode) || visible.contains(.qrReload) { self = .qr }
        else if visible.contains(.loggedIn) { self = .chats }
        else { self = .loading }
    }

    /// The elements whose selectors found nothing when a wait for `screens` timed out.
    static func expectedKeys(_ screens: Set<PageScreen>) -> [WebSelectors.Key] {
        var keys: [WebSelectors.Key] = []
        if screens.contains(.chat) { keys.append(.composer) }
        if screens.contains(.invalidNumber) { keys.append(.invalidNumber) }
        if screens.contains(.qr) { keys.append(.qrCode) }
        if screens.contains(.chats) { keys.append(.loggedIn) }
        return keys
    }
}
