import PhoneNumbers

/// The tenant's WhatsApp connection status and customer callbacks (statuses, replies).
extension Tenant {
    /// The current connection status. `cloud`: connected when the phone number id and access
    /// token are set, `error` after a token or template error until the settings change.
    /// `log`: always connected. `web`: the browser module's runtime status (linking, QR code,
    /// connected, expired), with the reason jobs are held as its detail when it has none.
    public var whatsAppStatus: WhatsAppStatus {
        let s = state.settings
        switch s.whatsappProvider {
        case .log:
            return WhatsAppStatus(provider: .log, state: .connected, detail: "messages are rendered and journaled, not sent")
        case .cloud:
            if let held { return WhatsAppStatus(provider: .cloud, state: .error, detail: held) }
            if s.cloud.phoneNumberID != nil && s.cloud.accessToken != nil { return WhatsAppStatus(provider: .cloud, state: .connected) }
            return WhatsAppStatus(provider: .cloud, state: .disconnected, detail: "set cloud.phone_number_id and cloud.access_token")
        case .web:
            if let links = context.webLinks {
                var status = links.webLinkStatus(tenantID: id)
                if status.state != .connected, status.detail == nil, let held { status.detail = held }
                return status
            }
            if let held { return WhatsAppStatus(provider: .web, state: .disconnected, detail: held) }
            return WhatsAppStatus(provider: .web, state: .disconnected, detail: "WhatsApp Web linking is not available in this version; use the Cloud API or the log provider")
        }
    }

    /// Sends a `whatsapp.status` frame to the tenant's dashboards, unless the status is the one
    /// sent last.
    func publishWhatsAppStatus() {
        let status = whatsAppStatus
        guard status != publishedStatus else { return }
        publishedStatus = status
        context.feed.broadcastStatus(tenantID: id, status)
    }

    /// Called by the WhatsApp Web module when its status for this tenant changed: a link that
    /// succeeded releases the jobs held meanwhile (re-armed, sent in order), and the tenant's
    /// dashboards get the new status.
    public func webLinkChanged() throws(DomainError) {
        guard state.settings.whatsappProvider == .web else { return }
        if whatsAppStatus.state == .connected, held != nil {
            try setHold(nil)
        }
        publishWhatsAppStatus()
    }

    /// Applies a delivery status of one of our messages (sent < delivered < read; `failed` only
    /// before delivery). A late `sent` never undoes `read`. Returns nil when nothing changes.
    func stageMessageStatus(messageID: String, status: String, error: String?) throws(DomainError) -> Commit? {
        guard let orderID = state.orderByMessageID[messageID], var order = state.order(orderID) else { return nil }
        let rank: [MessageState: Int] = [.scheduled: 0, .sending: 0, .unknown: 0, .failed: 0, .skipped: 0, .sent: 1, .delivered: 2, .read: 3]
        let current = rank[order.message.state] ?? 0
        let now = context.clock.now()
        switch status {
        case "sent", "delivered", "read":
            let target: MessageState = status == "sent" ? .sent : status == "delivered" ? .delivered : .read
            guard rank[target]! > current || order.message.state == .unknown || order.message.state == .failed && target != .sent else { return nil }
            order.message.state = target
            order.message.lastError = nil
            order.addEvent(OrderEvent(at: now, type: target.rawValue))
        case "failed":
            guard current < 2, order.message.state != .failed else { return nil }
            order.message.state = .failed
            order.message.lastError = error ?? "WhatsApp reported the message failed"
            order.addEvent(OrderEvent(at: now, type: "failed", text: order.message.lastError))
        default:
            return nil
        }
        order.updatedAt = now
        return commit(try record(order))
    }

    /// Applies a customer's message: maps it to an order (button payload, else the message it
    /// answers, else the sender's most recently messaged order), decides a pending order whose
    /// message was sent in ask mode, and otherwise keeps it as a `reply` event (or in the inbox
    /// when no order matches). A message delivered twice is applied once.
    func stageReply(messageID rawID: String?, from rawFrom: String, text: String?, payload: String?, contextID: String?) throws(DomainError) -> Commit {
        let messageID = rawID.capped(to: StoredTextLimit.shopify), from = rawFrom.capped(to: StoredTextLimit.shopify)
        if let messageID, state.webhooks.contains("wamsg:" + messageID) { return noChange() }
        let now = context.clock.now()
        let sender = from.hasPrefix("+") ? from : "+" + from
        var orderID: UInt64?
        var decision: ReplyInterpreter.Decision?
        if let payload, let parsed = ReplyPayload.parse(payload, tenantID: id) {
            orderID = parsed.orderID
            decision = parsed.decision
        }
        if orderID == nil, let contextID { orderID = state.orderByMessageID[contextID] }
        if orderID == nil {
            // Meta's `from` is the wa_id, which may spell the number differently (MX, BR, AR).
            orderID = WhatsAppID.phoneCandidates(sender).lazy.compactMap { self.state.lastMessagedByPhone[$0] }.first
        }
        let shown = (text ?? payload ?? "").capped(to: StoredTextLimit.reply)
        if decision == nil { decision = ReplyInterpreter.decide(shown) }
        guard let orderID, var order = state.order(orderID) else {
            return commit(try write(.inbox(InboxMessage(id: messageID, from: sender, text: shown, at: now))))
        }
        let askedInAsk = order.events?.last(where: { $0.type == "sent" })?.text == "ask"
        order.addEvent(OrderEvent(at: now, type: "reply", text: shown))
        if let decision, askedInAsk, order.status == .pending {
            let target: OrderStatus = decision == .confirm ? .confirmed : .cancelled
            order.status = target
            order.addEvent(OrderEvent(at: now, type: "status", status: target, by: "customer"))
            // The write-backs go in the same record as the customer's decision.
            ShopifyWriteBackRules.queue(&order, becoming: target, by: .customer, settings: state.settings.shopify)
        }
        order.updatedAt = now
        var rec = TenantRecord.order(order, webhook: messageID.map { "wamsg:" + $0 }, shop: nil)
        rec.shop = nil
        let seq = try write(rec)
        stageLive(.orderUpdated, order, seq: seq)
        return commit(seq)
    }

    /// Customer messages that matched no order, newest first.
    public func inboxMessages() -> [InboxMessage] { state.inbox.reversed() }
}
