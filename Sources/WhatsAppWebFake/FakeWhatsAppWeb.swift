import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A local stand-in for web.whatsapp.com, written from what the real one shows (reference
/// section E): the same DOM hooks as the built-in selectors, a QR code that rotates and stops
/// after a few codes, a login the test triggers by "scanning" the code's image, persistence
/// through the browser profile (the device id lives in `localStorage`), `/send?phone=&text=`
/// with "Starting chat", a composer where Enter sends, a clock then a sent tick (delayed or
/// never, per number), the invalid-number popup, logout back to the QR code, and incoming
/// messages shown as unread chats.
public final class FakeWhatsAppWeb: Sendable {
    /// One message sent through the fake.
    public struct Sent: Sendable, Equatable {
        public let device: String
        /// Digits.
        public let phone: String
        public let text: String
        public let id: String
        /// ms since 1970.
        public let at: Int64
    }

    let state: Mutex<FakeSiteState>
    private let group = Mutex<ServiceGroup?>(nil)
    private let runTask = Mutex<Task<Void, any Error>?>(nil)
    private let portBox = Mutex(0)

    /// `WHATSAPP_WEB_URL` for this fake: `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var port: Int { portBox.withLock { $0 } }

    private init(configuration: FakeSiteConfiguration) {
        state = Mutex(FakeSiteState(configuration: configuration))
    }

    /// Starts the fake on an ephemeral loopback port (or `port`).
    public static func start(_ configuration: FakeSiteConfiguration = FakeSiteConfiguration(), port: Int = 0) async throws -> FakeWhatsAppWeb {
        let fake = FakeWhatsAppWeb(configuration: configuration)
        let router = Router()
        fake.addRoutes(to: router)
        let (ports, portsContinuation) = AsyncStream.makeStream(of: Int.self)
        let logger = Logger(label: "fake-whatsapp-web", factory: { _ in SwiftLogNoOpLogHandler() })
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "fake-whatsapp-web"),
            onServerRunning: { channel in
                portsContinuation.yield(channel.localAddress?.port ?? 0)
                portsContinuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        fake.group.withLock { $0 = group }
        fake.runTask.withLock {
            $0 = Task {
                defer { portsContinuation.finish() }
                try await group.run()
            }
        }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next(), bound > 0 else { throw FakeSiteError("the fake WhatsApp Web did not start") }
        fake.portBox.withLock { $0 = bound }
        return fake
    }

    /// Stops the server.
    public func stop() async {
        if let group = group.withLock({ $0 }) { await group.triggerGracefulShutdown() }
        if let task = runTask.withLock({ $0 }) { _ = try? await task.value }
    }

    /// The behaviour now.
    public var configuration: FakeSiteConfiguration { state.withLock { $0.configuration } }

    /// Changes the behaviour while running.
    public func configure(_ change: (inout FakeSiteConfiguration) -> Void) {
        state.withLock { change(&$0.configuration) }
    }

    // MARK: The phone

    /// The phone scans the code with `reference`: its device logs in when that code is the one
    /// on screen (or the one just before, scanned as it rotated). Returns the device, or nil.
    @discardableResult
    public func scan(reference: String) -> String? {
        let now = Self.now()
        return state.withLock { s in
            guard let hash = reference.lastIndex(of: "#"), let index = Int(reference[reference.index(after: hash)...]) else { return nil }
            let id = String(reference[..<hash])
            guard var device = s.devices[id], !device.loggedIn else { return nil }
            let current = s.code(device, now: now)
            guard !current.exhausted, let shown = Int(current.reference.split(separator: "#").last ?? ""),
                  index == shown || index == shown - 1 else { return nil }
            device.loggedIn = true
            s.devices[id] = device
            s.scans += 1
            return id
        }
    }

    /// The phone scans a QR code image (a PNG the dashboard got): decodes and scans it.
    /// - Returns: the device that logged in.
    public func scan(png: Data) throws -> String {
        let reference = try QRCodeImage.decode(png: png)
        guard let device = scan(reference: reference) else { throw FakeSiteError("code \(reference) is not on screen any more") }
        return device
    }

    /// The phone unlinks the device: its page goes back to the QR code.
    public func logout(device: String) {
        state.withLock { s in
            guard var d = s.devices[device] else { return }
            d.loggedIn = false
            d.codeBase += 1000
            d.seriesStart = Self.now()
            s.devices[device] = d
        }
    }

    /// A customer writes to the account of `device`: an unread message in the chat with `phone`.
    /// Returns the message's `data-id`.
    ///
    /// Like the real WhatsApp Web, a message that arrives in the chat a page has open is marked
    /// read at once: it gets no unread badge in the chat list (the inconvenient habit the
    /// appliance must cope with).
    @discardableResult
    public func receive(device: String, from phone: String, text: String) -> String {
        let digits = phone.filter(\.isNumber)
        let now = Self.now()
        return state.withLock { s in
            let id = "false_\(digits)@c.us_IN\(s.nextMessage)"
            s.nextMessage += 1
            let open = s.isOpen(digits, on: s.devices[device], now: now)
            s.devices[device, default: FakeSiteState.Device(id: device, loggedIn: true, seriesStart: now)]
                .chats[digits, default: FakeSiteState.Chat()].messages.append(.init(id: id, fromMe: false, text: text, at: now, tickAt: nil))
            if !open { s.devices[device]!.chats[digits]!.unread += 1 }
            return id
        }
    }

    /// The chat a page of `device` shows open now (digits), or nil.
    public func openChat(device: String) -> String? {
        let now = Self.now()
        return state.withLock { s in
            guard let d = s.devices[device], let digits = d.openChat, s.isOpen(digits, on: d, now: now) else { return nil }
            return digits
        }
    }

    // MARK: Looking

    /// Every device (browser profile) seen, sorted.
    public var devices: [String] { state.withLock { $0.devices.keys.sorted() } }

    public func isLoggedIn(device: String) -> Bool { state.withLock { $0.devices[device]?.loggedIn ?? false } }

    /// Every message sent, oldest first.
    public var sent: [Sent] { state.withLock { $0.sent } }

    /// Messages sent to `phone` (any format; digits compared).
    public func sent(to phone: String) -> [Sent] {
        let digits = phone.filter(\.isNumber)
        return sent.filter { $0.phone == digits }
    }

    /// Unread messages of the chat with `phone` on `device`.
    public func unread(device: String, phone: String) -> Int {
        state.withLock { $0.devices[device]?.chats[phone.filter(\.isNumber)]?.unread ?? 0 }
    }

    /// Successful scans so far.
    public var scans: Int { state.withLock { $0.scans } }

    static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}
