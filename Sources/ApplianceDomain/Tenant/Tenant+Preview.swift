/// A message as a customer would read it, for the settings screen's live preview.
public struct MessagePreview: Sendable {
    /// The rendered text.
    public let text: String
    /// The order it was rendered from, or nil for the built-in sample order.
    public let orderID: UInt64?
}

extension Tenant {
    /// Renders `template` (else the saved one; the mode's default when neither is set) with the
    /// newest real order, or with a sample order when the tenant has none yet.
    public func previewMessage(template: String?, mode: Settings.ConfirmationMode?) -> MessagePreview {
        var settings = state.settings
        if let mode { settings.confirmationMode = mode }
        if let template { settings.messageTemplate = template.isEmpty ? nil : template }
        let shop = settings.shopName ?? state.shopDomain ?? "our shop"
        let order = state.orders.last(where: { !$0.test }) ?? state.orders.last ?? Self.sampleOrder
        let text = MessageRenderer.render(settings.effectiveTemplate, order: order, shopName: shop)
        return MessagePreview(text: text, orderID: order.id == Self.sampleOrder.id ? nil : order.id)
    }

    /// The order previews use before any real one arrived.
    static let sampleOrder = Order(
        id: 0, number: "#1001", customerName: "Amina Haddad", phone: "+212612345678", phoneRaw: nil, phoneCountry: "MA",
        email: nil, totalPrice: "349.00", currency: "MAD", presentmentTotal: nil, presentmentCurrency: nil,
        status: .pending, slot: "Tomorrow 10:00–12:00", test: false, createdAt: 0, shopifyUpdatedAt: 0, arrivedAt: 0,
        updatedAt: 0, message: OrderMessage(state: .scheduled))
}
