/// A tenant's orders in arrival order, stored packed: one fixed-size ``OrderRow`` per order
/// plus its texts in a shared ``TextArena``. Reading an element builds the ``Order`` value;
/// the hot loops (analytics, job recovery, status filters) use the field accessors instead.
///
/// A value type like the ``TenantState`` holding it: copies share storage until written.
public struct OrderTable: RandomAccessCollection, Sendable {
    var rows: [OrderRow] = []
    var arena = TextArena()
    /// The write-back state of the few orders that have one, by position.
    var syncs: [Int32: ShopifySync] = [:]
    /// Reused buffer for encoding records.
    var scratch = TextArena.Writer()

    public init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { rows.count }

    /// The order at `position`.
    public subscript(position: Int) -> Order { order(at: position) }

    /// Reserved rows.
    public var capacity: Int { rows.capacity }

    /// Appends `order`.
    mutating func append(_ order: Order) {
        var row = encode(order, replacing: nil)
        if let sync = order.shopifySync {
            row.flags.insert(.hasSync)
            syncs[Int32(rows.count)] = sync
        }
        rows.append(row)
    }

    /// Replaces the order at `position` (texts that did not change are kept in place).
    mutating func replace(at position: Int, with order: Order) {
        var row = encode(order, replacing: rows[position])
        if let sync = order.shopifySync {
            row.flags.insert(.hasSync)
            syncs[Int32(position)] = sync
        } else if rows[position].flags.contains(.hasSync) {
            syncs[Int32(position)] = nil
        }
        rows[position] = row
        compactArenaIfWasteful()
    }

    mutating func reserveCapacity(_ n: Int, textBytes: Int = 0) {
        rows.reserveCapacity(n)
        arena.reserveCapacity(textBytes)
    }

    /// Reallocates rows and texts to their size (after loading: see
    /// ``TenantState/releaseSpareCapacity()``).
    mutating func releaseSpareCapacity() {
        compactArenaIfWasteful()
        arena.releaseSpareCapacity()
        guard rows.capacity > rows.count + rows.count / 16 + 16 else { return }
        rows = Array(unsafeUninitializedCapacity: rows.count) { [rows] buffer, initialized in
            _ = buffer.initialize(fromContentsOf: rows)
            initialized = rows.count
        }
    }

    /// Bytes the table holds for its rows and texts (capacity, not just the used part).
    public var storageBytes: Int { rows.capacity * MemoryLayout<OrderRow>.stride + arena.capacity }

    /// Rewrites the arena without its garbage once that is more than half of it.
    private mutating func compactArenaIfWasteful() {
        guard arena.garbage > 4096, arena.garbage * 2 > arena.bytes.count else { return }
        var fresh = TextArena()
        fresh.reserveCapacity(arena.bytes.count - arena.garbage)
        for i in rows.indices {
            rows[i].texts = fresh.store(arena.payload(rows[i].texts))
            if rows[i].messageTexts != OrderRow.none { rows[i].messageTexts = fresh.store(arena.payload(rows[i].messageTexts)) }
            if rows[i].events != OrderRow.none { rows[i].events = fresh.store(arena.payload(rows[i].events)) }
        }
        arena = fresh
    }
}

extension OrderTable: Equatable {
    public static func == (lhs: OrderTable, rhs: OrderTable) -> Bool { lhs.elementsEqual(rhs) }
}
