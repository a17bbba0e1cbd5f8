import SeededRandom
import Testing
@testable import ApplianceDomain

/// The packed order table must give back exactly the orders put in (any text, any integer,
/// nil versus empty), through appends, replacements, arena rewrites and trimming.
@Suite struct OrderTableTests {
    typealias Random = SplitMix

    static func expectFieldsMatch(_ table: OrderTable, _ shadow: [Order]) {
        #expect(table.count == shadow.count)
        for (i, o) in shadow.enumerated() {
            #expect(table.id(at: i) == o.id)
            #expect(table.status(at: i) == o.status)
            #expect(table.messageState(at: i) == o.message.state)
            #expect(table.scheduledAt(at: i) == o.message.scheduledAt)
            #expect(table.createdAt(at: i) == o.createdAt)
            #expect(table.updatedAt(at: i) == o.updatedAt)
            #expect(table.isTest(at: i) == o.test)
            #expect(table.hasMessageTexts(at: i) == (o.message.provider != nil || o.message.lastError != nil || o.message.messageID != nil))
        }
    }

    @Test func appendedOrdersReadBackExactly() {
        var rng = Random(seed: 11)
        var table = OrderTable()
        var shadow: [Order] = []
        for _ in 0..<3000 {
            let order = TenantRecordFastDecodeTests.randomOrder(&rng)
            table.append(order)
            shadow.append(order)
        }
        #expect(Array(table) == shadow)
        Self.expectFieldsMatch(table, shadow)
    }

    @Test func equalCounterpartsAndEmptyTimelinesSurvive() {
        var rng = Random(seed: 5)
        var o = TenantRecordFastDecodeTests.randomOrder(&rng)
        o.phone = "+33612345678"
        o.phoneRaw = o.phone
        o.presentmentTotal = o.totalPrice
        o.presentmentCurrency = o.currency
        o.events = []
        var table = OrderTable()
        table.append(o)
        #expect(table[0] == o)
        #expect(table[0].events == [])
        o.events = nil
        o.presentmentTotal = nil
        table.replace(at: 0, with: o)
        #expect(table[0] == o)
        #expect(table[0].events == nil)
    }

    @Test func replacementsKeepEveryOrderRightAndTheArenaBounded() {
        var rng = Random(seed: 23)
        var table = OrderTable()
        var shadow: [Order] = []
        for _ in 0..<200 {
            let order = TenantRecordFastDecodeTests.randomOrder(&rng)
            table.append(order)
            shadow.append(order)
        }
        for round in 0..<20_000 {
            let i = Int(rng.next() % UInt64(shadow.count))
            var order = shadow[i]
            switch rng.next() % 4 {
            case 0: order.status = OrderStatus.allCases[Int(rng.next() % 4)]  // texts unchanged: records reused
            case 1: order.message.lastError = String(repeating: "x", count: Int(rng.next() % 300))
            case 2: order.addEvent(OrderEvent(at: Int64(round), type: "status", status: .confirmed, by: "merchant"))
            default: order = TenantRecordFastDecodeTests.randomOrder(&rng)
            }
            if rng.next() % 3 == 0 { order.events = nil }
            table.replace(at: i, with: order)
            shadow[i] = order
        }
        #expect(Array(table) == shadow)
        Self.expectFieldsMatch(table, shadow)
        // Garbage is rewritten once it is more than half: the arena stays within about twice
        // the live texts, however many replacements there were.
        var live = OrderTable()
        for o in shadow { live.append(o) }
        #expect(table.arena.bytes.count <= 2 * live.arena.bytes.count + 8192)
    }

    @Test func unchangedTextsAreNotWrittenAgain() {
        var rng = Random(seed: 3)
        var table = OrderTable()
        var order = TenantRecordFastDecodeTests.randomOrder(&rng)
        table.append(order)
        let size = table.arena.bytes.count
        order.status = .cancelled
        order.updatedAt = 1_764_000_000_000
        order.message.attempts = 2
        table.replace(at: 0, with: order)
        #expect(table.arena.bytes.count == size)
        #expect(table[0] == order)
    }

    @Test func releasingSpareCapacityKeepsTheOrders() {
        var rng = Random(seed: 8)
        var table = OrderTable()
        table.reserveCapacity(900, textBytes: 900 * 128)
        var shadow: [Order] = []
        for _ in 0..<1000 {
            let order = TenantRecordFastDecodeTests.randomOrder(&rng)
            table.append(order)
            shadow.append(order)
        }
        #expect(table.capacity >= 1700)  // the append past 900 doubled it
        table.releaseSpareCapacity()
        #expect(table.capacity < 1100)
        #expect(table.arena.capacity <= table.arena.bytes.count + table.arena.bytes.count / 16 + 64)
        #expect(Array(table) == shadow)
    }

    @Test func stateKeepsCountsAndPositionsThroughThePackedTable() {
        var rng = Random(seed: 99)
        var state = TenantState()
        var latest: [UInt64: Order] = [:]
        let ids = (0..<50).map { _ in rng.next() }
        for _ in 0..<2000 {
            var order = TenantRecordFastDecodeTests.randomOrder(&rng)
            order.id = ids[Int(rng.next() % UInt64(ids.count))]
            state.upsert(order)
            latest[order.id] = order
        }
        #expect(state.orders.count == latest.count)
        for (id, order) in latest { #expect(state.order(id) == order) }
        for status in OrderStatus.allCases {
            #expect(state.statusCounts[status.index] == latest.values.filter { $0.status == status }.count)
        }
    }
}
