extension OrderTable {
    /// Shopify's order id of the order at `position`.
    public func id(at position: Int) -> UInt64 { rows[position].id }

    public func status(at position: Int) -> OrderStatus { OrderStatus.allCases[Int(rows[position].status)] }

    public func messageState(at position: Int) -> MessageState { MessageState.allCases[Int(rows[position].messageState)] }

    /// When the order's confirmation is due, if it has a time.
    public func scheduledAt(at position: Int) -> Int64? {
        let row = rows[position]
        return row.flags.contains(.hasScheduledAt) ? row.scheduledAt : nil
    }

    public func createdAt(at position: Int) -> Int64 { rows[position].createdAt }

    /// The last change the appliance made to the order.
    public func updatedAt(at position: Int) -> Int64 { rows[position].updatedAt }

    public func isTest(at position: Int) -> Bool { rows[position].flags.contains(.test) }

    /// Whether the order's message has a provider, error or provider message id.
    public func hasMessageTexts(at position: Int) -> Bool { rows[position].messageTexts != OrderRow.none }
}
