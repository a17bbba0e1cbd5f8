import Foundation
import Hummingbird
import NIOCore
import Synchronization

extension FakeWhatsAppWeb {
    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in Self.html(FakeAppPage.html) }
        router.get("send") { _, _ in Self.html(FakeAppPage.html) }
        router.get("app.js") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-store"],
                     body: .init(byteBuffer: ByteBuffer(string: FakeAppPage.script)))
        }
        router.get("api/state") { request, _ in
            let q = request.uri.queryParameters
            return self.stateJSON(device: q["device"].map(String.init) ?? "", open: q["open"].map(String.init) ?? "")
        }
        router.post("api/closed") { request, _ in
            self.noteOpenChat(device: request.uri.queryParameters["device"].map(String.init) ?? "", open: "")
            return Self.json(["ok": true])
        }
        router.post("api/reload") { request, _ in
            self.reload(device: request.uri.queryParameters["device"].map(String.init) ?? "")
            return Self.json(["ok": true])
        }
        router.get("api/chat") { request, _ in
            let q = request.uri.queryParameters
            return self.chatJSON(device: q["device"].map(String.init) ?? "", phone: q["phone"].map(String.init) ?? "")
        }
        router.post("api/send") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            let object = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
            return self.record(device: object["device"] as? String ?? "", phone: object["phone"] as? String ?? "",
                               id: object["id"] as? String ?? "", text: object["text"] as? String ?? "")
        }
    }

    /// The page's view of a device; an unknown device is created (logged in with `autoLink`).
    /// `open` is the chat the page shows open (digits, empty for none).
    func stateJSON(device id: String, open: String) -> Response {
        guard !id.isEmpty else { return Self.json(["error": "no device"], status: .badRequest) }
        let now = Self.now()
        return state.withLock { s in
            if s.devices[id] == nil {
                s.devices[id] = FakeSiteState.Device(id: id, loggedIn: s.configuration.autoLink, seriesStart: now)
            }
            s.devices[id]!.openChat = open.isEmpty ? nil : open
            s.devices[id]!.openChatSeenAt = now
            let device = s.devices[id]!
            var object: [String: Any] = ["loggedIn": device.loggedIn, "startingChatMillis": s.configuration.startingChatMillis]
            if device.loggedIn {
                let newestFirst = device.chats.sorted { a, b in
                    let (x, y) = (a.value.messages.last?.at ?? 0, b.value.messages.last?.at ?? 0)
                    return x != y ? x > y : a.key < b.key
                }
                object["chats"] = newestFirst.map { phone, chat in
                    ["phone": phone, "title": Self.title(phone), "unread": chat.unread, "last": chat.messages.last?.text ?? ""] as [String: Any]
                }
            } else {
                let code = s.code(device, now: now)
                object["code"] = ["ref": code.reference, "exhausted": code.exhausted]
            }
            return Self.json(object)
        }
    }

    /// The page says which chat it shows open (digits, empty for none: closed, or the page left).
    func noteOpenChat(device id: String, open: String) {
        let now = Self.now()
        state.withLock { s in
            guard s.devices[id] != nil else { return }
            s.devices[id]!.openChat = open.isEmpty ? nil : open
            s.devices[id]!.openChatSeenAt = now
        }
    }

    /// "Click to reload QR code": a new series of codes.
    func reload(device id: String) {
        let now = Self.now()
        state.withLock { s in
            guard var device = s.devices[id], !device.loggedIn else { return }
            device.codeBase += s.configuration.codesBeforeReload
            device.seriesStart = now
            s.devices[id] = device
        }
    }

    /// A chat as the page shows it; opening it (or showing it again while open) marks it read
    /// and notes it as the page's open chat.
    func chatJSON(device id: String, phone: String) -> Response {
        let digits = phone.filter(\.isNumber)
        let now = Self.now()
        return state.withLock { s in
            guard s.devices[id]?.loggedIn == true else { return Self.json(["loggedIn": false], status: .forbidden) }
            guard digits.count >= 7, !s.configuration.invalidNumbers.contains(digits) else { return Self.json(["valid": false]) }
            var chat = s.devices[id]!.chats[digits] ?? FakeSiteState.Chat()
            chat.unread = 0
            s.devices[id]!.chats[digits] = chat
            s.devices[id]!.openChat = digits
            s.devices[id]!.openChatSeenAt = now
            let messages = chat.messages.map { m -> [String: Any] in
                ["id": m.id, "fromMe": m.fromMe, "text": m.text, "tick": m.tickAt.map { $0 <= now } ?? false]
            }
            return Self.json(["valid": true, "title": Self.title(digits), "messages": messages])
        }
    }

    /// A message sent from the page (Enter or the send button).
    func record(device id: String, phone: String, id messageID: String, text: String) -> Response {
        let digits = phone.filter(\.isNumber)
        let now = Self.now()
        return state.withLock { s in
            guard s.devices[id]?.loggedIn == true else { return Self.json(["loggedIn": false], status: .forbidden) }
            let delay: Int64?? = s.configuration.tickBehaviour[digits]
            let tick: Int64? = (delay ?? s.configuration.tickMillis).map { now + $0 }
            s.devices[id]!.chats[digits, default: FakeSiteState.Chat()].messages.append(
                .init(id: messageID, fromMe: true, text: text, at: now, tickAt: tick))
            s.sent.append(Sent(device: id, phone: digits, text: text, id: messageID, at: now))
            return Self.json(["ok": true])
        }
    }

    /// How WhatsApp titles an unsaved contact: `+33 612345678`.
    static func title(_ digits: String) -> String {
        "+" + digits.prefix(2) + " " + digits.dropFirst(2)
    }

    static func html(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ object: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                         body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
