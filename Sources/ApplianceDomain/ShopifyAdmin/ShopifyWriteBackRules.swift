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
            swapTags(&sync, adding: settings.effectiveConfirmTag, keptIn: \.confirmTag, removing: \.cancelTag)
        case .cancelled:
            swapTags(&sync, adding: settings.effectiveCancelTag, keptIn: \.cancelTag, removing: \.confirmTag)
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

    /// Queues `tagsAdd` of `tag` unless it is the one `added` says the appliance added, and
    /// `tagsRemove` of the opposite tag the appliance added (`opposite`), keeping both records.
    static func swapTags(_ sync: inout ShopifySync, adding tag: String, keptIn added: WritableKeyPath<ShopifySync, String?>,
                         removing opposite: WritableKeyPath<ShopifySync, String?>) {
        if sync[keyPath: added] != tag {
            sync.jobs.append(.init(action: .tagsAdd, tag: tag))
            sync[keyPath: added] = tag
        }
        if let old = sync[keyPath: opposite] {
            sync.jobs.append(.init(action: .tagsRemove, tag: old))
            sync[keyPath: opposite] = nil
        }
    }

    /// Whether a status Shopify reports is only the echo of the appliance's own cancellation
    /// (an `orders/cancelled` or `cancelled_at` after our `orderCancel`): it changes nothing.
    public static func isEchoOfOwnCancel(_ existing: Order, target: OrderStatus) -> Bool {
        target == .cancelled && existing.shopifySync?.cancelRequested == true
    }
}
