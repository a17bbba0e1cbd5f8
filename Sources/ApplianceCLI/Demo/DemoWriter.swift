import ApplianceCoding
import ApplianceDomain
import Foundation

/// Writes one demo shop through the real domain paths, moving the demo clock as it goes.
struct DemoWriter {
    let tenant: Tenant
    let registry: TenantRegistry
    let clock: DemoClock
    let shop: DemoShop
    let now: Int64
    let minute: Int64 = 60_000

    func write() async throws {
        try await tenant.updateSettings([
            "shopify_webhook_secret": .string(DemoData.secret), "shop_name": .string(shop.name),
            "confirmation_mode": .string(shop.mode.rawValue), "whatsapp_provider": .string("log"),
            "confirmation_delay_minutes": .number(30), "timezone": .string(shop.timezone),
            "quiet_hours": .object(["start": .string("22:00"), "end": .string("08:00")]),
        ])
        let ingest = WebhookIngest(registry: registry)
        // The oldest orders go into a snapshot; the newest stay in the journal after it.
        let compactBefore = shop.orders.count - 3
        for (index, order) in shop.orders.enumerated() {
            if index == compactBefore, let task = await tenant.startCompaction() { try await task.value }
            try await place(order, ingest)
        }
        // An authenticated delivery that cannot be used, and a customer message that matches no order.
        clock.set(now - 5 * 60 * minute)
        let junk = Array("this is not JSON".utf8)
        _ = try await ingest.handle(userID: tenant.id, ShopifyDelivery(
            topic: "orders/create", webhookID: "demo-rejected-1", shopDomain: shop.domain,
            signature: ShopifySignature.sign(body: junk, secret: DemoData.secret), body: junk))
        try await tenant.applyReply(messageID: "wamid.demo.inbox.\(tenant.id)", from: "+33612345678",
                                    text: "Hello, do you ship to Belgium?", payload: nil, contextID: nil)
    }

    func place(_ demo: DemoOrder, _ ingest: WebhookIngest) async throws {
        let created = now - Int64(demo.hoursAgo * 60) * minute
        clock.set(created + 2_000)
        try await deliver(demo, topic: "orders/create", created: created, updated: created, ingest)
        // Quiet hours may have moved the confirmation: send when the order says it is due.
        let due = try await tenant.order(demo.id).message.scheduledAt ?? created + 30 * minute
        switch demo.fate {
        case .scheduled, .test:
            return
        case .cancelledBeforeSend:
            clock.set(created + 10 * minute)
            try await deliver(demo, topic: "orders/cancelled", created: created, updated: created + 10 * minute, ingest)
            clock.set(due + 1_000)
            _ = try await tenant.beginAttempt(orderID: demo.id, provider: "log")
        case .failed(let reason):
            try await attempt(demo, at: due, outcome: .failed(reason: reason))
        case .unknown(let reason):
            try await attempt(demo, at: due, outcome: .unknown(reason: reason))
        case .sent(let statuses, let reply):
            guard try await attempt(demo, at: due, outcome: .sent(messageID: "wamid.demo.\(demo.id)")) else { return }
            try await report(demo, statuses, after: due)
            if let reply { try await answer(demo, reply, at: due + 25 * minute) }
        case .delivered:
            guard try await attempt(demo, at: due, outcome: .sent(messageID: "wamid.demo.\(demo.id)")) else { return }
            try await report(demo, ["delivered", "read"], after: due)
            if shop.mode == .ask { try await answer(demo, "1", at: due + 25 * minute) }
            let shipped = min(due + 20 * 60 * minute, now - 10 * minute)
            clock.set(shipped)
            try await deliver(demo, topic: "orders/fulfilled", created: created, updated: shipped, ingest)
        }
    }

    /// Sends the confirmation at `at` through the journaled attempt path. False when it was skipped.
    @discardableResult
    func attempt(_ demo: DemoOrder, at: Int64, outcome: SendOutcome) async throws -> Bool {
        clock.set(at + 1_000)
        guard case .go(let message) = try await tenant.beginAttempt(orderID: demo.id, provider: "log") else { return false }
        clock.set(at + 2_500)
        try await tenant.finishAttempt(orderID: demo.id, message: message, outcome: outcome, jitter: 0.5)
        return true
    }

    func report(_ demo: DemoOrder, _ statuses: [String], after: Int64) async throws {
        for (i, status) in statuses.enumerated() {
            clock.set(after + Int64(i + 1) * 4 * minute)
            try await tenant.applyMessageStatus(messageID: "wamid.demo.\(demo.id)", status: status, error: nil)
        }
    }

    func answer(_ demo: DemoOrder, _ text: String, at: Int64) async throws {
        clock.set(at)
        guard let phone = try await tenant.order(demo.id).phone else { return }
        try await tenant.applyReply(messageID: "wamid.demo.reply.\(demo.id)", from: phone, text: text, payload: nil,
                                    contextID: nil)
    }

    func deliver(_ demo: DemoOrder, topic: String, created: Int64, updated: Int64, _ ingest: WebhookIngest) async throws {
        let body = Array(payload(demo, created: created, updated: updated, cancelled: topic == "orders/cancelled").utf8)
        let outcome = try await ingest.handle(userID: tenant.id, ShopifyDelivery(
            topic: topic, webhookID: "demo-\(topic)-\(demo.id)", shopDomain: shop.domain,
            signature: ShopifySignature.sign(body: body, secret: DemoData.secret), body: body))
        guard outcome == .accepted else {
            throw DemoData.GeneratorError(description: "demo order \(demo.number) was not accepted: \(outcome)")
        }
    }

    /// The order in Shopify's webhook shape.
    func payload(_ o: DemoOrder, created: Int64, updated: Int64, cancelled: Bool) -> String {
        func q(_ s: String) -> String {
            let data = try! JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])
            return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
        }
        let email = q("\(o.first.lowercased().filter(\.isLetter))@example.com")
        let slot = o.slot.map { #"[{"name":"Delivery Slot","value":\#(q($0))}]"# } ?? "[]"
        return """
        {"id":\(o.id),"name":"#\(o.number)","order_number":\(o.number),"email":\(email),"phone":null,\
        "created_at":"\(Timestamp.format(created))","updated_at":"\(Timestamp.format(updated))",\
        "cancelled_at":\(cancelled ? "\"\(Timestamp.format(updated))\"" : "null"),"currency":"\(o.currency)",\
        "presentment_currency":"\(o.currency)","total_price":"\(o.total)","current_total_price":"\(o.total)",\
        "test":\(o.isTest),"financial_status":"pending","gateway":"Cash on Delivery (COD)",\
        "customer":{"first_name":\(q(o.first)),"last_name":\(q(o.last)),"email":\(email),"phone":null},\
        "shipping_address":{"name":\(q(o.first + " " + o.last)),"first_name":\(q(o.first)),"last_name":\(q(o.last)),\
        "address1":"12 Demo Street","city":\(q(o.city)),"country_code":"\(o.country)","phone":\(q(o.phone))},\
        "note_attributes":\(slot),"line_items":[{"title":"Demo item","quantity":1,"price":"\(o.total)"}]}
        """
    }
}

extension DemoOrder {
    var isTest: Bool {
        if case .test = fate { return true }
        return false
    }
}
