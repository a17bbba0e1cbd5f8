/// The confirmation message lifecycle: attempts journaled and synced before the send, outcomes
/// after it, provider statuses applied monotonically, and customer replies.
extension Tenant {
    /// What the dispatcher should do with a job that fell due.
    public enum AttemptStart: Sendable {
        /// Send `message`: the journaled attempt is durable.
        case go(OutboundMessage)
        /// Not due yet (moved by a resend or quiet hours): re-arm at this time.
        case notDue(Int64)
        /// The tenant's provider is on hold: leave the job scheduled.
        case held(String)
        /// Nothing to send any more (cancelled, sent, skipped, gone).
        case none
    }

    /// Why jobs are on hold (a provider error), or nil.
    public var holdReason: String? { held }

    /// Starts attempt n+1 of the order's confirmation: checks it is still wanted, marks it
    /// `sending` and journals that before anything is sent.
    func stageAttempt(orderID: UInt64, provider: String) throws(DomainError) -> (AttemptStart, Commit?) {
        guard var order = state.order(orderID), order.message.state == .scheduled else { return (.none, nil) }
        let now = context.clock.now()
        if let due = order.message.scheduledAt, due > now { return (.notDue(due), nil) }
        // Whatever made it due (a retry, a hold released, a resend), nothing is sent inside
        // the tenant's quiet hours: move it to their end, visibly.
        let quietEnd = state.settings.outsideQuietHours(now)
        if quietEnd > now {
            order.message.scheduledAt = quietEnd
            order.updatedAt = now
            try record(order)
            return (.notDue(quietEnd), nil)
        }
        if let held {
            // Say why on the order too (CONTRACT: a held job keeps `scheduled` with `last_error`).
            if order.message.lastError != held {
                order.message.lastError = held
                order.updatedAt = now
                try record(order)
            }
            return (.held(held), nil)
        }
        let settings = state.settings
        var skip: String?
        if order.test { skip = "test order: not messaged" }
        else if order.status == .cancelled || order.status == .delivered { skip = "order \(order.status.rawValue) before sending" }
        else if settings.confirmationMode == .ask && order.status != .pending { skip = "order already \(order.status.rawValue)" }
        else if order.phone == nil { skip = order.message.lastError ?? "no usable phone number" }
        if let skip {
            order.message.state = .skipped
            order.message.lastError = skip
            order.updatedAt = now
            try record(order)
            return (.none, nil)
        }
        order.message.state = .sending
        order.message.attempts += 1
        order.message.firstAttemptAt = order.message.firstAttemptAt ?? now
        order.message.provider = provider
        order.updatedAt = now
        let seq = try record(order)
        let shop = settings.shopName ?? state.shopDomain ?? "our shop"
        let message = OutboundMessage(
            tenantID: id, orderID: orderID, to: order.phone!,
            text: MessageRenderer.render(settings.effectiveTemplate, order: order, shopName: shop),
            mode: settings.confirmationMode,
            templateParameters: MessageRenderer.templateParameters(order: order, shopName: shop),
            replyPayloads: [ReplyPayload.make(tenantID: id, orderID: orderID, decision: .confirm),
                            ReplyPayload.make(tenantID: id, orderID: orderID, decision: .cancel)],
            attempt: order.message.attempts)
        return (.go(message), commit(seq))
    }

    /// Records the outcome of the attempt begun by ``beginAttempt(orderID:provider:)``.
    /// Returns the commit to await.
    func stageOutcome(orderID: UInt64, message: OutboundMessage, outcome: SendOutcome, jitter: Double) throws(DomainError) -> Commit {
        guard var order = state.order(orderID), order.message.state == .sending else { return noChange() }
        let now = context.clock.now()
        order.updatedAt = now
        switch outcome {
        case .sent(let messageID):
            order.message.state = .sent
            order.message.messageID = messageID
            order.message.lastError = nil
            order.addEvent(OrderEvent(at: now, type: "sent", by: order.message.provider, text: message.mode == .ask ? "ask" : message.text))
            if message.mode == .notify, order.status == .pending {
                order.status = .confirmed
                order.addEvent(OrderEvent(at: now, type: "status", status: .confirmed, by: "whatsapp"))
            }
        case .retry(let reason):
            if let next = context.retryPolicy.nextAttempt(after: order.message.attempts, now: now,
                                                          firstAttemptAt: order.message.firstAttemptAt ?? now, jitter: jitter) {
                order.message.state = .scheduled
                // A retry never lands inside the tenant's quiet hours either.
                order.message.scheduledAt = state.settings.outsideQuietHours(next)
                order.message.lastError = "\(reason); retrying"
            } else {
                order.message.state = .failed
                order.message.lastError = "gave up after \(order.message.attempts) attempt(s): \(reason)"
                order.addEvent(OrderEvent(at: now, type: "failed", text: order.message.lastError))
            }
        case .failed(let reason):
            order.message.state = .failed
            order.message.lastError = reason
            order.addEvent(OrderEvent(at: now, type: "failed", text: reason))
        case .unknown(let reason):
            order.message.state = .unknown
            order.message.lastError = reason
            order.addEvent(OrderEvent(at: now, type: "unknown", text: reason))
        case .hold(let reason):
            order.message.state = .scheduled
            order.message.attempts -= 1
            // The held attempt did not count: the retry window starts with the first real one.
            if order.message.attempts == 0 { order.message.firstAttemptAt = nil }
            order.message.lastError = reason
            try setHold(reason)
        }
        return commit(try record(order))
    }

    /// After a restart: a message left `sending` may or may not have gone out, so it becomes
    /// `unknown` (shown to the merchant, resendable by hand), never resent on its own. Then
    /// every scheduled job is armed. Returns how many jobs were armed.
    public func recoverMessages() throws(DomainError) -> Int {
        let now = context.clock.now()
        var lastSeq: UInt64?
        let table = state.orders
        for i in table.indices where table.messageState(at: i) == .sending {
            var order = table[i]
            order.message.state = .unknown
            order.message.lastError = "the server stopped during the send; it may have been delivered (resend by hand if needed)"
            order.updatedAt = now
            order.addEvent(OrderEvent(at: now, type: "unknown", text: order.message.lastError))
            lastSeq = try record(order)
        }
        _ = lastSeq
        return armScheduled()
    }

    /// Arms every scheduled job of this tenant.
    @discardableResult
    func armScheduled() -> Int {
        guard let jobs = context.jobs else { return 0 }
        var batch: [(key: JobKey, dueAt: Int64)] = []
        let table = state.orders
        for i in table.indices where table.messageState(at: i) == .scheduled {
            batch.append((JobKey(tenantID: id, orderID: table.id(at: i)), table.scheduledAt(at: i) ?? 0))
        }
        jobs.arm(batch)
        return batch.count
    }

    /// Journals an order change made here, stages its live event and keeps its job armed right.
    @discardableResult
    func record(_ order: Order) throws(DomainError) -> UInt64 {
        let seq = try write(.order(order, webhook: nil, shop: nil))
        stageLive(.orderUpdated, order, seq: seq)
        return seq
    }

    /// Puts the tenant's jobs on hold (provider error) and tells the dashboards.
    /// Puts the tenant's jobs on hold (or releases them with nil), journaled with the settings.
    func setHold(_ reason: String?) throws(DomainError) {
        guard held != reason else { return }
        var settings = state.settings
        settings.providerHold = reason
        try write(.settings(settings))
        if reason == nil { armScheduled() }
        publishWhatsAppStatus()
    }
}
