/// The tenant's side of Shopify write-back: presenting each order's sync state, handing the
/// outbox its next job (once the record that made it is durable), journaling outcomes, and the
/// tenant-wide hold when Shopify refuses the token.
extension Tenant {
    /// What the outbox should do with an order's next write-back.
    public enum WriteBackStart: Sendable {
        /// Send `job` to `shopDomain` with `token`.
        case go(job: ShopifySync.Job, shopDomain: String, token: String)
        /// The tenant's write-backs are held (token refused, or not set): try again once released.
        case held(String)
        /// Nothing left to do for this order.
        case none
    }

    /// How a write-back attempt ended.
    public enum WriteBackOutcome: Sendable {
        /// Done; `detail` says more (e.g. "already cancelled in Shopify").
        case done(detail: String?)
        /// Shopify refused it for good (`userErrors`).
        case failed(String)
        /// Not done, may be retried (connection error, 429, 5xx, THROTTLED).
        case retry(String)
    }

    /// How long a write-back is retried before it fails.
    static let writeBackWindowMillis: Int64 = 24 * 3_600_000

    /// Why the tenant's write-backs are held, or nil.
    public var writeBackHold: String? { state.settings.shopify.hold }

    /// `order` as the API shows it: its sync state `off` without an admin token and nothing
    /// ever queued, `done` when nothing is left to write back, `held` (with the reason) while
    /// the tenant's token is refused.
    func presented(_ order: Order) -> Order {
        var o = order
        let shopify = state.settings.shopify
        guard var sync = o.shopifySync else {
            o.shopifySync = ShopifySync(state: shopify.adminAccessToken == nil ? .off : .done)
            return o
        }
        if !sync.jobs.isEmpty, let hold = shopify.hold ?? (shopify.adminAccessToken == nil ? Self.noToken : nil) {
            sync.state = .held
            sync.lastError = hold
        }
        o.shopifySync = sync
        return o
    }

    static let noToken = "no Shopify Admin API access token is set (Settings › Shopify)"

    /// Stages the live event of a change (the order as the API shows it).
    func stageLive(_ kind: LiveEvent.Kind, _ order: Order, seq: UInt64) {
        context.feed.stage(LiveEvent(kind: kind, order: presented(order), seq: seq, tenantID: id))
    }

    /// The orders with write-backs still to do (after a start).
    public func pendingWriteBacks() -> [UInt64] {
        state.orders.syncs.compactMap { position, sync in sync.jobs.isEmpty ? nil : state.orders.id(at: Int(position)) }
    }

    /// The next write-back of `orderID`. Returns once everything journaled so far (the record
    /// that made the job included) is on disk: a job is never tried before it is durable.
    public nonisolated func nextWriteBack(orderID: UInt64) async throws(DomainError) -> WriteBackStart {
        let (start, commit) = await stageNextWriteBack(orderID: orderID)
        try await commit.durable()
        return start
    }

    func stageNextWriteBack(orderID: UInt64) -> (WriteBackStart, Commit) {
        guard let order = state.order(orderID), let job = order.shopifySync?.jobs.first else { return (.none, noChange()) }
        let shopify = state.settings.shopify
        if let hold = shopify.hold { return (.held(hold), noChange()) }
        guard let token = shopify.adminAccessToken else { return (.held(Self.noToken), noChange()) }
        guard let domain = state.settings.shopifyDomain(latestDelivery: state.shopDomain) else {
            return (.held("no shop domain is known yet: set shopify.shop_domain"), noChange())
        }
        return (.go(job: job, shopDomain: domain, token: token), noChange())
    }

    /// Records the outcome of `job` (the order's first). Returns whether the order has
    /// write-backs left, once durable.
    public nonisolated func finishWriteBack(orderID: UInt64, job: ShopifySync.Job, outcome: WriteBackOutcome) async throws(DomainError) -> Bool {
        let (more, commit) = try await stageWriteBackOutcome(orderID: orderID, job: job, outcome: outcome)
        try await commit.durable()
        return more
    }

    func stageWriteBackOutcome(orderID: UInt64, job: ShopifySync.Job, outcome: WriteBackOutcome) throws(DomainError) -> (Bool, Commit) {
        guard var order = state.order(orderID), var sync = order.shopifySync, let first = sync.jobs.first,
              first.action == job.action, first.tag == job.tag else { return (false, noChange()) }
        let now = context.clock.now()
        switch outcome {
        case .done(let detail):
            sync.jobs.removeFirst()
            // A retry's reason is history once the job is done (a failure's stays until the next decision).
            if sync.state != .failed { sync.lastError = nil }
            order.addEvent(OrderEvent(at: now, type: "shopify_sync", text: detail, action: job.timelineAction, result: "done"))
            DomainMetrics.writeBack(tenantID: id, outcome: "done")
        case .failed(let reason):
            sync.jobs.removeFirst()
            sync.lastError = reason
            sync.state = .failed
            Self.forgetTag(of: job, in: &sync)
            order.addEvent(OrderEvent(at: now, type: "shopify_sync", text: reason, action: job.timelineAction, result: "failed"))
            DomainMetrics.writeBack(tenantID: id, outcome: "failed")
        case .retry(let reason):
            var current = first
            current.attempts += 1
            let firstFailure = current.firstFailureAt ?? now
            current.firstFailureAt = firstFailure
            if now - firstFailure >= Self.writeBackWindowMillis {
                sync.jobs.removeFirst()
                let why = "gave up after 24 hours and \(current.attempts) attempts: \(reason)"
                sync.lastError = why
                sync.state = .failed
                Self.forgetTag(of: job, in: &sync)
                order.addEvent(OrderEvent(at: now, type: "shopify_sync", text: why, action: job.timelineAction, result: "failed"))
                DomainMetrics.writeBack(tenantID: id, outcome: "failed")
            } else {
                sync.jobs[0] = current
                let text = "\(reason); retrying"
                // Journal the first failure (it starts the 24-hour window) and a changed reason;
                // further attempts of the same kind stay in memory.
                guard current.attempts == 1 || sync.lastError != text else {
                    order.shopifySync = sync
                    state.upsert(order)
                    return (true, noChange())
                }
                sync.lastError = text
            }
        }
        if sync.jobs.isEmpty {
            if sync.state == .pending { sync.state = .done; sync.lastError = nil }
        } else if sync.state != .failed {
            sync.state = .pending
        }
        order.shopifySync = sync
        order.updatedAt = now
        let seq = try write(.order(order, webhook: nil, shop: nil))
        stageLive(.orderUpdated, order, seq: seq)
        return (!sync.jobs.isEmpty, commit(seq))
    }

    /// A tag whose `tagsAdd` failed was never added: it is not ours to remove later.
    static func forgetTag(of job: ShopifySync.Job, in sync: inout ShopifySync) {
        guard job.action == .tagsAdd else { return }
        if sync.confirmTag == job.tag { sync.confirmTag = nil }
        if sync.cancelTag == job.tag { sync.cancelTag = nil }
    }

    /// Holds every write-back of the tenant (Shopify refused the token) until a settings change
    /// sets a `shopify` field. Returns once durable.
    public nonisolated func holdWriteBacks(_ reason: String) async throws(DomainError) {
        try await stageWriteBackHold(reason).durable()
    }

    func stageWriteBackHold(_ reason: String) throws(DomainError) -> Commit {
        guard state.settings.shopify.hold != reason else { return noChange() }
        var settings = state.settings
        settings.shopify.hold = reason
        DomainMetrics.writeBack(tenantID: id, outcome: "held")
        return commit(try write(.settings(settings)))
    }
}
