import ApplianceDomain
import ApplianceHTTP
import ApplianceHTTPTestSupport
import HummingbirdTesting
import Testing

extension TestClientProtocol {
    /// Delivers `count` orders with ids `firstID...` (in that arrival order), a few at a time.
    func seedOrders(_ s: Session, count: Int, firstID: UInt64 = 1, make: @escaping @Sendable (UInt64) -> ShopifyOrder = { ShopifyOrder(id: $0, number: 1000 + Int($0)) }) async throws {
        var next = firstID
        let end = firstID + UInt64(count)
        while next < end {
            let batch = next..<min(next + 16, end)
            // Concurrent within a batch (group commit); batches keep the arrival order coarse, and
            // each id is awaited in order below when the exact order matters.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for id in batch {
                    group.addTask { try await self.deliver(make(id), to: s) }
                }
                try await group.waitForAll()
            }
            next = batch.upperBound
        }
    }

    /// Delivers orders one by one, so arrival order is exactly `ids`.
    func deliverInOrder(_ s: Session, _ ids: [UInt64], make: (UInt64) -> ShopifyOrder = { ShopifyOrder(id: $0, number: 1000 + Int($0)) }) async throws {
        for id in ids { try await deliver(make(id), to: s) }
    }
}
