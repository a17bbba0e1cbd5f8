extension OrderTable {
    private static let statuses = OrderStatus.allCases
    private static let states = MessageState.allCases

    /// The row for `order`, its texts stored in the arena (reusing `old`'s records when equal).
    mutating func encode(_ order: Order, replacing old: OrderRow?) -> OrderRow {
        scratch.reset()
        scratch.string(order.number)
        scratch.string(order.customerName)
        scratch.string(order.phone)
        scratch.string(order.phoneRaw, sameAs: order.phone)
        scratch.string(order.phoneCountry)
        scratch.string(order.email)
        scratch.string(order.totalPrice)
        scratch.string(order.currency)
        scratch.string(order.presentmentTotal, sameAs: order.totalPrice)
        scratch.string(order.presentmentCurrency, sameAs: order.currency)
        scratch.string(order.slot)
        let texts = arena.store(scratch.bytes, replacing: old?.texts ?? OrderRow.none)

        let m = order.message
        var messageTexts = OrderRow.none
        if m.provider != nil || m.lastError != nil || m.messageID != nil {
            scratch.reset()
            scratch.string(m.provider)
            scratch.string(m.lastError)
            scratch.string(m.messageID)
            messageTexts = arena.store(scratch.bytes, replacing: old?.messageTexts ?? OrderRow.none)
        } else if let old {
            arena.release(old.messageTexts)
        }

        var events = OrderRow.none
        if let list = order.events {
            scratch.reset()
            scratch.varint(UInt64(list.count))
            for e in list {
                scratch.int64(e.at)
                // The status index (0xFF: none); 0x80 set (0xFE: none) when the action and
                // result follow the three strings.
                let extended = e.action != nil || e.result != nil
                scratch.byte(e.status.map { UInt8($0.index) | (extended ? 0x80 : 0) } ?? (extended ? 0xFE : 0xFF))
                scratch.string(e.type)
                scratch.string(e.by)
                scratch.string(e.text)
                if extended {
                    scratch.string(e.action)
                    scratch.string(e.result)
                }
            }
            events = arena.store(scratch.bytes, replacing: old?.events ?? OrderRow.none)
        } else if let old {
            arena.release(old.events)
        }

        var flags: OrderRow.Flags = []
        if order.test { flags.insert(.test) }
        if m.scheduledAt != nil { flags.insert(.hasScheduledAt) }
        if m.firstAttemptAt != nil { flags.insert(.hasFirstAttemptAt) }
        return OrderRow(
            id: order.id, createdAt: order.createdAt, shopifyUpdatedAt: order.shopifyUpdatedAt, arrivedAt: order.arrivedAt,
            updatedAt: order.updatedAt, scheduledAt: m.scheduledAt ?? 0, firstAttemptAt: m.firstAttemptAt ?? 0,
            attempts: m.attempts, texts: texts, messageTexts: messageTexts, events: events,
            status: UInt8(order.status.index), messageState: UInt8(Self.states.firstIndex(of: m.state)!), flags: flags)
    }

    /// The ``Order`` value of the row at `position`.
    func order(at position: Int) -> Order {
        let row = rows[position]
        var order = arena.read(row.texts) { r -> Order in
            let number = r.text(), customer = r.text(), phone = r.string()
            let phoneRaw = r.string(sameAs: phone), country = r.string(), email = r.string()
            let total = r.text(), currency = r.text()
            let pTotal = r.string(sameAs: total), pCurrency = r.string(sameAs: currency), slot = r.string()
            return Order(
                id: row.id, number: number, customerName: customer, phone: phone, phoneRaw: phoneRaw, phoneCountry: country,
                email: email, totalPrice: total, currency: currency, presentmentTotal: pTotal, presentmentCurrency: pCurrency,
                status: Self.statuses[Int(row.status)], slot: slot, test: row.flags.contains(.test), createdAt: row.createdAt,
                shopifyUpdatedAt: row.shopifyUpdatedAt, arrivedAt: row.arrivedAt, updatedAt: row.updatedAt,
                message: OrderMessage(
                    state: Self.states[Int(row.messageState)],
                    scheduledAt: row.flags.contains(.hasScheduledAt) ? row.scheduledAt : nil, attempts: row.attempts,
                    firstAttemptAt: row.flags.contains(.hasFirstAttemptAt) ? row.firstAttemptAt : nil))
        }
        if row.messageTexts != OrderRow.none {
            arena.read(row.messageTexts) { r in
                order.message.provider = r.string()
                order.message.lastError = r.string()
                order.message.messageID = r.string()
            }
        }
        if row.events != OrderRow.none {
            order.events = arena.read(row.events) { r in
                let count = Int(r.varint())
                var list: [OrderEvent] = []
                list.reserveCapacity(count)
                for _ in 0..<count {
                    let at = r.int64(), status = r.byte()
                    let type = r.text(), by = r.string(), text = r.string()
                    var event = OrderEvent(at: at, type: type, status: status >= 0xFE ? nil : Self.statuses[Int(status & 0x7F)], by: by, text: text)
                    if status != 0xFF, status & 0x80 != 0 {
                        event.action = r.string()
                        event.result = r.string()
                    }
                    list.append(event)
                }
                return list
            }
        }
        if row.flags.contains(.hasSync) { order.shopifySync = syncs[Int32(position)] }
        return order
    }
}
