extension Tenant {
    /// The "send a test message to my own number" message: the confirmation as customers read
    /// it, rendered with the sample order, after a line saying it is a test. Order id 0.
    public func testMessage(to phone: String) -> OutboundMessage {
        let settings = state.settings
        let shop = settings.shopName ?? state.shopDomain ?? "our shop"
        let preview = MessageRenderer.render(settings.effectiveTemplate, order: Self.sampleOrder, shopName: shop)
        let text = "Test message from \(shop): WhatsApp sending works. Your customers will read:\n\n" + preview
        return OutboundMessage(
            tenantID: id, orderID: 0, to: phone, text: text, mode: .notify,
            templateParameters: MessageRenderer.templateParameters(order: Self.sampleOrder, shopName: shop),
            replyPayloads: [], attempt: 1)
    }

    /// Phones (E.164) of customers whose order was messaged and is still open (pending or
    /// confirmed): the chats whose unread replies WhatsApp Web reads.
    public func replyCandidatePhones() -> Set<String> {
        var phones: Set<String> = []
        for (phone, orderID) in state.lastMessagedByPhone {
            guard let order = state.order(orderID), order.status == .pending || order.status == .confirmed else { continue }
            phones.insert(phone)
        }
        return phones
    }
}
