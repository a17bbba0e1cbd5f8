import ApplianceStorage
import DequeModule
import Foundation
import SeededRandom
import Testing
@testable import ApplianceDomain

/// Snapshots written before the packed order table (format 2, one field after another) must
/// still load to the same orders, and format 3 must round-trip any order.
@Suite struct LegacySnapshotTests {
    /// Format 2 as the previous release wrote it.
    static func encodeV2(_ state: TenantState) -> [UInt8] {
        var w = BinaryWriter(capacity: 1024)
        w.write(UInt8(2))
        let header = TenantSnapshotCodec.Header(account: state.account, settings: state.settings, shop: state.shopDomain,
                                                rejected: state.rejected, inbox: state.inbox)
        w.write(bytes: Array(try! JSONEncoder().encode(header)))
        w.write(UInt64(state.webhooks.count))
        for d in state.webhooks.digests {
            w.write(d.hi)
            w.write(d.lo)
        }
        w.write(UInt64(state.orders.count))
        for o in state.orders {
            w.write(o.id)
            w.write(o.number)
            w.write(o.customerName)
            w.write(o.phone)
            w.write(o.phoneRaw)
            w.write(o.phoneCountry)
            w.write(o.email)
            w.write(o.totalPrice)
            w.write(o.currency)
            w.write(o.presentmentTotal)
            w.write(o.presentmentCurrency)
            w.write(UInt8(o.status.index))
            w.write(o.slot)
            w.write(o.test)
            w.write(o.createdAt)
            w.write(o.shopifyUpdatedAt)
            w.write(o.arrivedAt)
            w.write(o.updatedAt)
            w.write(UInt8(MessageState.allCases.firstIndex(of: o.message.state)!))
            w.write(o.message.scheduledAt)
            w.write(o.message.attempts)
            w.write(o.message.lastError)
            w.write(o.message.provider)
            w.write(o.message.messageID)
            w.write(o.message.firstAttemptAt)
            if let events = o.events {
                w.write(true)
                w.write(bytes: Array(try! JSONEncoder().encode(events)))
            } else {
                w.write(false)
            }
        }
        return w.bytes
    }

    /// Random orders; `legacy`: without what formats before 4 cannot hold (write-back state,
    /// timeline actions).
    static func randomState(seed: UInt64, orders: Int, legacy: Bool = false) -> TenantState {
        var rng = SplitMix(seed: seed)
        var state = TenantState()
        state.settings.shopName = "Legacy"
        for _ in 0..<orders {
            var o = TenantRecordFastDecodeTests.randomOrder(&rng)
            o.id = rng.next()
            if legacy {
                o.shopifySync = nil
                o.events = o.events?.map { var e = $0; e.action = nil; e.result = nil; return e }
            }
            state.upsert(o)
        }
        state.apply(TenantRecord.order(state.orders[0], webhook: "delivery-1", shop: "legacy.myshopify.com"))
        return state
    }

    @Test func formatTwoStillLoads() throws {
        let state = Self.randomState(seed: 77, orders: 500, legacy: true)
        let bytes = Self.encodeV2(state)
        let loaded = try TenantSnapshotCodec.decode(bytes[...])
        #expect(loaded.orders == state.orders)
        #expect(loaded.settings.shopName == "Legacy")
        #expect(loaded.webhooks.contains("delivery-1"))
        for id in state.positions.keys { #expect(loaded.order(id) == state.order(id)) }
    }

    /// The current format (4: format 3's packed rows, plus the Shopify write-back state of the
    /// rows flagged with one) round-trips, write-back state and timeline actions included.
    @Test func currentFormatRoundTrips() throws {
        let state = Self.randomState(seed: 78, orders: 2000)
        #expect(state.orders.contains { $0.shopifySync != nil })
        #expect(state.orders.contains { $0.events?.contains { $0.action != nil } == true })
        let bytes = TenantSnapshotCodec.encode(state)
        #expect(bytes.first == 4)
        let loaded = try TenantSnapshotCodec.decode(bytes[...])
        #expect(loaded.orders == state.orders)
        #expect(loaded.orders.syncs == state.orders.syncs)
        #expect(loaded.statusCounts == state.statusCounts)
        #expect(loaded.positions == state.positions)
        #expect(loaded.webhooks.contains("delivery-1"))
        // Without any write-back state the snapshot stays format 3, which older binaries load.
        let plain = Self.randomState(seed: 80, orders: 50, legacy: true)
        #expect(TenantSnapshotCodec.encode(plain).first == 3)
        #expect(try TenantSnapshotCodec.decode(TenantSnapshotCodec.encode(plain)[...]).orders == plain.orders)
    }

    /// A damaged text record inside a well-checksummed snapshot is refused, never read out of bounds.
    @Test func malformedTextRecordsAreRefused() {
        #expect(TextArena.isWellFormed([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0][...], as: .orderTexts))
        #expect(!TextArena.isWellFormed([0, 0, 0, 0, 0, 0, 0, 0, 0, 0][...], as: .orderTexts))  // a field short
        #expect(!TextArena.isWellFormed([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0][...], as: .orderTexts))  // a byte over
        #expect(!TextArena.isWellFormed([40, 65][...], as: .messageTexts))  // length past the end
        #expect(!TextArena.isWellFormed([0xFF, 0xFF][...], as: .messageTexts))  // unfinished varint
        #expect(!TextArena.isWellFormed([1, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0][...], as: .events))  // status 9
        #expect(TextArena.isWellFormed([1, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0, 0, 0][...], as: .events))
        // Every truncation of a real snapshot is refused or loads: never a crash.
        let bytes = TenantSnapshotCodec.encode(Self.randomState(seed: 79, orders: 3))
        for cut in 0..<bytes.count {
            _ = try? TenantSnapshotCodec.decode(bytes[..<cut])
        }
    }
}
