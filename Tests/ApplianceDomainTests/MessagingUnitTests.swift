import Foundation
import Synchronization
import Testing
@testable import ApplianceDomain

/// An order for rendering tests.
private func sampleOrder(customer: String = "Jeanne Dupont", total: String = "49.90", currency: String = "EUR",
                         presentmentTotal: String? = nil, presentmentCurrency: String? = nil, slot: String? = nil) -> Order {
    Order(id: 820982911946154508, number: "#1001", customerName: customer, phone: "+33612345678", phoneRaw: "06 12 34 56 78",
          phoneCountry: "FR", email: nil, totalPrice: total, currency: currency, presentmentTotal: presentmentTotal,
          presentmentCurrency: presentmentCurrency, status: .pending, slot: slot, test: false, createdAt: 0, shopifyUpdatedAt: 0,
          arrivedAt: 0, updatedAt: 0, message: OrderMessage(state: .scheduled, scheduledAt: 0))
}

private func json(_ bytes: [UInt8]) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
}

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy()

    @Test func defaultsAreSixAttemptsWithinAnHour() {
        #expect(policy.maxAttempts == 6)
        #expect(policy.window == 3_600_000)
    }

    @Test func backoffIsExponentialWithJitterBetweenHalfAndFull() {
        // jitter 0 → half the exponential delay, jitter 1 → all of it.
        for (attempt, full) in [(1, 30_000), (2, 60_000), (3, 120_000), (4, 240_000), (5, 480_000)] as [(Int, Int64)] {
            #expect(policy.nextAttempt(after: attempt, now: 1_000_000, firstAttemptAt: 1_000_000, jitter: 1) == 1_000_000 + full)
            #expect(policy.nextAttempt(after: attempt, now: 1_000_000, firstAttemptAt: 1_000_000, jitter: 0) == 1_000_000 + full / 2)
            let mid = policy.nextAttempt(after: attempt, now: 1_000_000, firstAttemptAt: 1_000_000, jitter: 0.5)!
            #expect(mid > 1_000_000 + full / 2 && mid < 1_000_000 + full)
        }
    }

    @Test func jitterIsClamped() {
        #expect(policy.nextAttempt(after: 1, now: 0, firstAttemptAt: 0, jitter: 7) == 30_000)
        #expect(policy.nextAttempt(after: 1, now: 0, firstAttemptAt: 0, jitter: -3) == 15_000)
    }

    @Test func noSeventhAttempt() {
        #expect(policy.nextAttempt(after: 6, now: 0, firstAttemptAt: 0, jitter: 0) == nil)
        #expect(policy.nextAttempt(after: 7, now: 0, firstAttemptAt: 0, jitter: 0) == nil)
    }

    @Test func delaysAreCapped() {
        var p = RetryPolicy()
        p.maxAttempts = 50
        p.window = .max
        let cap: Int64 = 15 * 60_000
        let tenth = p.nextAttempt(after: 10, now: 0, firstAttemptAt: 0, jitter: 1)
        let fortieth = p.nextAttempt(after: 40, now: 0, firstAttemptAt: 0, jitter: 1)
        #expect(tenth == cap)
        #expect(fortieth == cap)
    }

    @Test func nothingBeyondTheWindow() {
        #expect(policy.nextAttempt(after: 2, now: 3_590_000, firstAttemptAt: 0, jitter: 1) == nil)
        #expect(policy.nextAttempt(after: 2, now: 3_500_000, firstAttemptAt: 0, jitter: 1) == 3_560_000)
    }

    @Test(arguments: [0.0, 0.3, 1.0])
    func sixAttemptsFitInTheWindowWhateverTheJitter(jitter: Double) {
        var now: Int64 = 0
        var attempts = 1
        while let next = policy.nextAttempt(after: attempts, now: now, firstAttemptAt: 0, jitter: jitter) {
            #expect(next > now)
            now = next
            attempts += 1
        }
        #expect(attempts == 6)
        #expect(now <= policy.window)
    }
}

@Suite struct MessageRendererTests {
    @Test func rendersEveryPlaceholder() {
        let order = sampleOrder(slot: "Tue 14:00-16:00")
        let text = MessageRenderer.render("{customer_name}|{order_number}|{total_price}|{currency}|{slot}|{shop_name}", order: order, shopName: "Maison")
        #expect(text == "Jeanne Dupont|#1001|49.90|EUR|Tue 14:00-16:00|Maison")
    }

    @Test func defaultTemplatesRender() {
        let order = sampleOrder()
        #expect(MessageRenderer.render(Settings.defaultNotifyTemplate, order: order, shopName: "Maison")
                == "Hello Jeanne Dupont, your order #1001 of EUR 49.90 is confirmed! Thank you for shopping with Maison.")
        let ask = MessageRenderer.render(Settings.defaultAskTemplate, order: order, shopName: "Maison")
        #expect(ask.contains("#1001") && ask.contains("1") && ask.contains("2"))
        #expect(!ask.contains("{"))
    }

    @Test func usesPresentmentMoneyWhenKnown() {
        let order = sampleOrder(total: "49.90", currency: "EUR", presentmentTotal: "54.10", presentmentCurrency: "USD")
        #expect(MessageRenderer.render("{currency} {total_price}", order: order, shopName: "") == "USD 54.10")
        #expect(MessageRenderer.templateParameters(order: order, shopName: "S")[2] == "USD 54.10")
    }

    @Test func unknownPlaceholdersAndStrayBracesStay() {
        let order = sampleOrder()
        #expect(MessageRenderer.render("{nope} {customer_name} {", order: order, shopName: "") == "{nope} Jeanne Dupont {")
        #expect(MessageRenderer.render("a } b", order: order, shopName: "") == "a } b")
        #expect(MessageRenderer.render("", order: order, shopName: "") == "")
    }

    @Test func valuesAreNotRenderedAgain() {
        let order = sampleOrder(customer: "{shop_name}")
        #expect(MessageRenderer.render("Hi {customer_name} from {shop_name}", order: order, shopName: "Maison") == "Hi {shop_name} from Maison")
    }

    @Test func missingValues() {
        let order = sampleOrder(customer: "")
        #expect(MessageRenderer.render("Hello {customer_name}, slot [{slot}]", order: order, shopName: "") == "Hello there, slot []")
        // Template parameters cannot be empty: a missing slot is "-".
        #expect(MessageRenderer.templateParameters(order: order, shopName: "Maison") == ["there", "#1001", "EUR 49.90", "-", "Maison"])
    }

    @Test func templateParametersInTheirDocumentedOrder() {
        let order = sampleOrder(slot: "morning")
        #expect(MessageRenderer.templateParameters(order: order, shopName: "Maison") == ["Jeanne Dupont", "#1001", "EUR 49.90", "morning", "Maison"])
    }
}

@Suite struct ReplyInterpreterTests {
    static let confirms = [
        // numbered choices
        "1", " 1 ", "1.", "1!", "١", "1 please", "1 - ok",
        // English
        "yes", "Yes", "YES!", "y", "ok", "OK", "okay", "confirm", "Confirmed", "I confirm",
        // Spanish
        "sí", "Sí", "si", "SI", "confirmar", "confirmo", "confirmado", "¡Sí!",
        // French
        "oui", "Oui !", "confirmer", "je confirme", "Confirmé",
        // Portuguese
        "sim", "Sim", "SIM.", "confirmada",
        // Arabic
        "نعم", "نعم.", "\u{200F}نعم\u{200F}", "أكيد", "تأكيد", "موافق",
    ]
    static let cancels = [
        "2", " 2", "2.", "٢", "2 - wrong size",
        "no", "No.", "NO", "n", "cancel", "Cancelled", "canceled",
        "cancelar", "cancelo", "cancelado", "anular",
        "non", "Non !", "annuler", "annulé",
        "não", "Não!", "na\u{0303}o", "nao", "cancela", "cancelada",
        "لا", "لا.", "\u{200F}لا", "إلغاء", "الغاء",
    ]
    static let neither = [
        "", "   ", "hello", "12", "21", "3", "10", "maybe", "quizás", "peut-être", "talvez", "ربما",
        "Does it come in another color?", "yes no", "not now", "1.5",
    ]

    @Test(arguments: confirms) func confirmsThese(text: String) {
        #expect(ReplyInterpreter.decide(text) == .confirm, "\(text)")
    }

    @Test(arguments: cancels) func cancelsThese(text: String) {
        #expect(ReplyInterpreter.decide(text) == .cancel, "\(text)")
    }

    @Test(arguments: neither) func decidesNothingForThese(text: String) {
        #expect(ReplyInterpreter.decide(text) == nil, "\(text)")
    }
}

@Suite struct ReplyPayloadTests {
    @Test func roundTrips() {
        for decision in [ReplyInterpreter.Decision.confirm, .cancel] {
            let p = ReplyPayload.make(tenantID: 7, orderID: 820982911946154508, decision: decision)
            let parsed = ReplyPayload.parse(p, tenantID: 7)
            #expect(parsed?.orderID == 820982911946154508)
            #expect(parsed?.decision == decision)
            #expect(p.utf8.count <= 256)
        }
    }

    @Test func uniquePerOrderAndButton() {
        var all = Set<String>()
        for tenant in [1, 2] {
            for order: UInt64 in [1, 2, 10, 820982911946154508] {
                all.insert(ReplyPayload.make(tenantID: tenant, orderID: order, decision: .confirm))
                all.insert(ReplyPayload.make(tenantID: tenant, orderID: order, decision: .cancel))
            }
        }
        #expect(all.count == 16)
    }

    @Test func anotherTenantsPayloadIsNotOurs() {
        let p = ReplyPayload.make(tenantID: 7, orderID: 42, decision: .confirm)
        #expect(ReplyPayload.parse(p, tenantID: 8) == nil)
    }

    @Test(arguments: ["", "swc", "swc:7:42", "swc:7:42:3", "swc:7:x:1", "xyz:7:42:1", "swc:7:42:1:extra", "swc:7:-1:1", "CONFIRM:shop1:1001"])
    func garbageIsNotAPayload(p: String) {
        #expect(ReplyPayload.parse(p, tenantID: 7) == nil)
    }
}

@Suite struct CloudErrorMapperTests {
    static func graph(_ status: Int, code: Int, details: String? = "details here") -> TransportResult {
        var error: [String: Any] = ["message": "msg \(code)", "type": "OAuthException", "code": code, "fbtrace_id": "Ab"]
        if let details { error["error_data"] = ["messaging_product": "whatsapp", "details": details] }
        let data = try! JSONSerialization.data(withJSONObject: ["error": error])
        return .response(status: status, body: Array(data))
    }

    static func kind(_ o: SendOutcome) -> String {
        switch o {
        case .sent: "sent"
        case .retry: "retry"
        case .failed: "failed"
        case .unknown: "unknown"
        case .hold: "hold"
        }
    }

    @Test(arguments: [
        (429, 130429, "retry"), (400, 131056, "retry"), (500, 131000, "retry"), (503, 2, "retry"), (500, 1, "retry"),
        (502, 0, "retry"),
        (400, 131026, "failed"), (400, 131047, "failed"), (400, 100, "failed"), (400, 99999, "failed"),
        (401, 190, "hold"), (400, 132000, "hold"), (400, 132001, "hold"), (400, 132018, "hold"), (400, 131030, "hold"),
    ])
    func graphErrors(status: Int, code: Int, expected: String) {
        let outcome = CloudErrorMapper.outcome(Self.graph(status, code: code))
        #expect(Self.kind(outcome) == expected, "\(status) \(code): \(outcome)")
    }

    @Test func reasonsNameTheCodeAndDetails() {
        guard case .hold(let reason) = CloudErrorMapper.outcome(Self.graph(401, code: 190, details: "token expired")) else {
            Issue.record("190 must hold"); return
        }
        #expect(reason.contains("190"))
        #expect(reason.contains("token expired"))
    }

    @Test func withoutAGraphBody() {
        #expect(Self.kind(CloudErrorMapper.outcome(.response(status: 429, body: []))) == "retry")
        #expect(Self.kind(CloudErrorMapper.outcome(.response(status: 502, body: Array("<html>".utf8)))) == "unknown")
        #expect(Self.kind(CloudErrorMapper.outcome(.response(status: 500, body: Array(#"{"oops":1}"#.utf8)))) == "unknown")
    }

    @Test func transportFailures() {
        #expect(Self.kind(CloudErrorMapper.outcome(.notSent("connection refused"))) == "retry")
        #expect(Self.kind(CloudErrorMapper.outcome(.lost("read timeout"))) == "unknown")
    }

    @Test func successKeepsTheWamid() {
        let body = #"{"messaging_product":"whatsapp","contacts":[{"input":"+16505551234","wa_id":"16505551234"}],"messages":[{"id":"wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA","message_status":"accepted"}]}"#
        #expect(CloudErrorMapper.outcome(.response(status: 200, body: Array(body.utf8))) == .sent(messageID: "wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA"))
    }
}

/// Records what the Cloud API provider posts.
final class RecordingTransport: HTTPTransport {
    struct Call: Sendable {
        let url: String
        let headers: [(String, String)]
        let body: [UInt8]
        let timeoutMillis: Int64
    }
    let calls = Mutex<[Call]>([])
    let answer: TransportResult

    init(answer: TransportResult) { self.answer = answer }

    func post(url: String, headers: [(String, String)], body: [UInt8], timeoutMillis: Int64) async -> TransportResult {
        calls.withLock { $0.append(Call(url: url, headers: headers, body: body, timeoutMillis: timeoutMillis)) }
        return answer
    }
}

@Suite struct CloudAPIProviderTests {
    static func message(mode: Settings.ConfirmationMode) -> OutboundMessage {
        OutboundMessage(tenantID: 3, orderID: 1001, to: "+16505551234", text: "Hello", mode: mode,
                        templateParameters: ["Jessica", "#1001", "USD 12.00", "-", "Shop"],
                        replyPayloads: [ReplyPayload.make(tenantID: 3, orderID: 1001, decision: .confirm),
                                        ReplyPayload.make(tenantID: 3, orderID: 1001, decision: .cancel)],
                        attempt: 1)
    }

    static var settings: Settings {
        var s = Settings()
        s.whatsappProvider = .cloud
        s.cloud.phoneNumberID = "106540352242922"
        s.cloud.accessToken = "EAAG"
        s.cloud.templateName = "order_confirmation"
        s.cloud.templateLanguage = "es_MX"
        return s
    }

    @Test func notifyBodyIsATemplateWithBodyParameters() throws {
        let body = try json(CloudAPIProvider.requestBody(Self.message(mode: .notify), template: "order_confirmation", language: "en_US"))
        #expect(Set(body.keys) == ["messaging_product", "recipient_type", "to", "type", "template"])
        #expect(body["messaging_product"] as? String == "whatsapp")
        #expect(body["recipient_type"] as? String == "individual")
        #expect(body["to"] as? String == "+16505551234")
        #expect(body["type"] as? String == "template")
        let template = try #require(body["template"] as? [String: Any])
        #expect(template["name"] as? String == "order_confirmation")
        #expect((template["language"] as? [String: String]) == ["code": "en_US"])
        let components = try #require(template["components"] as? [[String: Any]])
        #expect(components.count == 1)
        #expect(components[0]["type"] as? String == "body")
        let parameters = try #require(components[0]["parameters"] as? [[String: String]])
        #expect(parameters == ["Jessica", "#1001", "USD 12.00", "-", "Shop"].map { ["type": "text", "text": $0] })
    }

    @Test func askBodyAddsTwoQuickReplyButtons() throws {
        let message = Self.message(mode: .ask)
        let body = try json(CloudAPIProvider.requestBody(message, template: "t", language: "fr"))
        let components = try #require((body["template"] as? [String: Any])?["components"] as? [[String: Any]])
        #expect(components.count == 3)
        for (i, button) in components.dropFirst().enumerated() {
            #expect(button["type"] as? String == "button")
            #expect(button["sub_type"] as? String == "quick_reply")
            #expect(button["index"] as? String == "\(i)")
            let parameters = try #require(button["parameters"] as? [[String: String]])
            #expect(parameters == [["type": "payload", "payload": message.replyPayloads[i]]])
        }
        #expect(ReplyPayload.parse(message.replyPayloads[0], tenantID: 3)?.decision == .confirm)
        #expect(ReplyPayload.parse(message.replyPayloads[1], tenantID: 3)?.decision == .cancel)
    }

    @Test func sendPostsToThePhoneNumbersMessagesEdge() async throws {
        let transport = RecordingTransport(answer: .response(status: 200, body: Array(#"{"messages":[{"id":"wamid.X"}]}"#.utf8)))
        let provider = CloudAPIProvider(graphURL: "http://127.0.0.1:1/v21.0//", transport: transport, timeoutMillis: 1234)
        let outcome = await provider.send(Self.message(mode: .notify), settings: Self.settings)
        #expect(outcome == .sent(messageID: "wamid.X"))
        let call = try #require(transport.calls.withLock { $0.first })
        #expect(call.url == "http://127.0.0.1:1/v21.0/106540352242922/messages")
        #expect(call.headers.contains { $0.0 == "Authorization" && $0.1 == "Bearer EAAG" })
        #expect(call.headers.contains { $0.0 == "Content-Type" && $0.1 == "application/json" })
        #expect(call.timeoutMillis == 1234)
        let template = try #require(try json(call.body)["template"] as? [String: Any])
        #expect((template["language"] as? [String: String]) == ["code": "es_MX"])
    }

    @Test func missingSettingsHoldWithoutSending() async {
        let transport = RecordingTransport(answer: .notSent("unused"))
        let provider = CloudAPIProvider(graphURL: "http://x", transport: transport)
        var s = Self.settings
        s.cloud.accessToken = nil
        guard case .hold(let why) = await provider.send(Self.message(mode: .notify), settings: s) else {
            Issue.record("no token must hold"); return
        }
        #expect(why.contains("access_token"))
        s = Self.settings
        s.cloud.templateName = nil
        guard case .hold(let why2) = await provider.send(Self.message(mode: .notify), settings: s) else {
            Issue.record("no template must hold"); return
        }
        #expect(why2.contains("template_name"))
        #expect(transport.calls.withLock { $0.isEmpty })
    }
}

@Suite struct MetaCallbackUnitTests {
    @Test func signatureKnownAnswer() {
        // python3 -c "import hmac,hashlib; print(hmac.new(b'meta-app-secret', b'...', hashlib.sha256).hexdigest())"
        let body = Array(#"{"object":"whatsapp_business_account","entry":[]}"#.utf8)
        let expected = "sha256=ee9f05f989bc0aa2693d85691a477f8b8403933cde7959a1c5c6be7ea85e8d3d"
        #expect(MetaSignature.sign(body: body, appSecret: "meta-app-secret") == expected)
        #expect(MetaSignature.isValid(body: body, header: expected, appSecret: "meta-app-secret"))
        #expect(MetaSignature.isValid(body: body, header: expected.uppercased().replacingOccurrences(of: "SHA256=", with: "sha256="), appSecret: "meta-app-secret"))
        #expect(!MetaSignature.isValid(body: body, header: String(expected.dropFirst(7)), appSecret: "meta-app-secret"))
        #expect(!MetaSignature.isValid(body: body, header: nil, appSecret: "meta-app-secret"))
        #expect(!MetaSignature.isValid(body: body, header: expected, appSecret: "other"))
        #expect(!MetaSignature.isValid(body: body + [0x20], header: expected, appSecret: "meta-app-secret"))
        #expect(!MetaSignature.isValid(body: body, header: String(expected.dropLast()), appSecret: "meta-app-secret"))
    }

    @Test func decodesMetasInboundTextFixture() throws {
        let payload = try JSONDecoder().decode(MetaWebhookPayload.self, from: Data(try Fixtures.bytes("whatsapp/inbound-text.json")))
        #expect(payload.object == "whatsapp_business_account")
        #expect(payload.statuses.isEmpty)
        let message = try #require(payload.messages.first)
        #expect(message.from == "16505551234")
        #expect(message.id == "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=")
        #expect(message.replyText == "Does it come in another color?")
        #expect(message.payload == nil)
    }

    @Test func decodesEveryStatusFixture() throws {
        let data = try Fixtures.bytes("whatsapp/message-statuses.collection.json")
        let all = try #require(try JSONSerialization.jsonObject(with: Data(data)) as? [String: Any])
        var seen: [String] = []
        for (key, body) in all.sorted(by: { $0.key < $1.key }) {
            let bytes = try JSONSerialization.data(withJSONObject: body)
            let payload = try JSONDecoder().decode(MetaWebhookPayload.self, from: bytes)
            let status = try #require(payload.statuses.first, "\(key)")
            #expect(status.id != nil)
            seen.append(status.status ?? "?")
            if status.status == "failed" { #expect(status.errors?.first?.code != nil) }
        }
        #expect(Set(seen).isSuperset(of: ["sent", "delivered", "read", "failed"]))
        let sent = try JSONDecoder().decode(MetaWebhookPayload.self, from: Data(try Fixtures.bytes("whatsapp/status-sent.json")))
        #expect(sent.statuses.first?.status == "sent")
        #expect(sent.statuses.first?.recipientID == "16505551234")
    }

    @Test func buttonRepliesCarryTheirPayload() throws {
        let quick = #"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"from":"16505551234","id":"wamid.Q","timestamp":"1","type":"button","button":{"payload":"swc:1:2:1","text":"Confirm"},"context":{"from":"15550783881","id":"wamid.ORIG"}}]}}]}]}"#
        let q = try #require(try JSONDecoder().decode(MetaWebhookPayload.self, from: Data(quick.utf8)).messages.first)
        #expect(q.payload == "swc:1:2:1")
        #expect(q.replyText == "Confirm")
        #expect(q.context?.id == "wamid.ORIG")
        let interactive = #"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"from":"16505551234","id":"wamid.I","timestamp":"1","type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"swc:1:2:2","title":"Cancel"}}}]}}]}]}"#
        let i = try #require(try JSONDecoder().decode(MetaWebhookPayload.self, from: Data(interactive.utf8)).messages.first)
        #expect(i.payload == "swc:1:2:2")
        #expect(i.replyText == "Cancel")
    }
}
