import ApplianceDomain

/// Estimated heap bytes of the main parts of loaded tenant states (malloc's 16-byte rounding
/// and 8-byte header included), to see where the memory per order goes.
struct HeapBreakdown {
    var orderTables = 0
    var positionBytes = 0
    var webhookBytes = 0

    static func block(_ bytes: Int) -> Int { (bytes + 8 + 15) & ~15 }

    mutating func add(_ state: TenantState) {
        orderTables += state.orders.storageBytes
        // A dictionary's buckets: a power of two holding the count at 3/4 load; key and value each.
        positionBytes += Self.block(state.positions.capacity * 4 / 3 * (MemoryLayout<UInt64>.stride + MemoryLayout<Int32>.stride))
        // Set of 16-byte digests (same load) plus the FIFO of them.
        webhookBytes += state.webhooks.count * 16 * 4 / 3 + state.webhooks.count * 16
    }
}
