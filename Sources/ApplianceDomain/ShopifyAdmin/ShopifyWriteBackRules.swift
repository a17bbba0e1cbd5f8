/// Which write-backs a status change starts (CONTRACT "Shopify write-back"). Only decisions of
/// the customer (a reply or a button) and of the merchant (a manual change) write back; the
/// automatic confirmation of `notify` mode and statuses that came from Shopify never do.
public enum ShopifyWriteBackRules {
    /// Who decided a status change that writes back.
    public enum Decider: Sendable { case customer, merchant }

    /// Queues on `order` the write-backs of it becoming `target` (nothing without an admin
    /// token: the order's sync stays `off`). Returns whether a job was queued.
    @discardableResult
    public static func queue(_ order: inout Order, becoming target: OrderStatus, by decider: Decider, settings: Settings.Shopify) -> Bool {
        guard settings.adminAccessToken != nil else { return false }
        var sync = order.shopifySync ?? ShopifySync()
        let before = sync.jobs.count
        switch target {
        case .confirmed:
            let tag = settings.effectiveConfirmTag
            if sync.confirmTag != tag {
                sync.jobs.append(.init(action: .tagsAdd, tag: tag))
                sync.confirmTag = tag
            }
            if let added = sync.cancelTag {
                sync.jobs.append(.init(action: .tagsRemove, tag: added))
                sync.cancelTag = nil
            }
        case .cancelled:
            let tag = settings.effectiveCancelTag
            if sync.cancelTag != tag {
                sync.jobs.append(.init(action: .tagsAdd, tag: tag))
                sync.cancelTag = tag
            }
            if let added = sync.confirmTag {
                sync.jobs.append(.init(action: .tagsRemove, tag: added))
                sync.confirmTag = nil
            }
            if settings.effectiveCancelOrders, !sync.cancelRequested {
                let note = decider == .customer
                    ? "Cancelled by the customer on WhatsApp (shopify-whatsapp confirmation)."
                    : "Cancelled by staff in the WhatsApp confirmations dashboard (shopify-whatsapp)."
                sync.jobs.append(.init(action: .orderCancel, restock: settings.effectiveRestock, note: note))
                sync.cancelRequested = true
            }
        case .pending, .delivered:
            break
        }
        guard sync.jobs.count > before else { return false }
        sync.state = .pending
        sync.lastError = nil
        order.shopifySync = sync
        return true
    }

    /// Whether a status Shopify reports is only the echo of the appliance's own cancellation
    /// (an `orders/cancelled` or `cancelled_at` after our `orderCancel`): it changes nothing.
    public static func isEchoOfOwnCancel(_ existing: Order, target: OrderStatus) -> Bool {
        target == .cancelled && existing.shopifySync?.cancelRequested == true
    }
}
