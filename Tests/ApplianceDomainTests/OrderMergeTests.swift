import Testing
@testable import ApplianceDomain

@Suite struct OrderMergeTests {
    let settings = Settings()
    let now: Int64 = 1_700_000_000_000

    func incoming(updated: Int64, cancelled: Bool = false, phone: String? = "+14155552671", test: Bool = false) -> IncomingOrder {
        IncomingOrder(id: 42, number: "#1042", customerName: "Ann", phone: phone, phoneRaw: phone, phoneCountry: "US",
                      phoneProblem: phone == nil ? "order has no phone number" : nil, email: nil, totalPrice: "10.00",
                      currency: "USD", presentmentTotal: nil, presentmentCurrency: nil, slot: nil, test: test,
                      createdAt: now - 60_000, updatedAt: updated, cancelled: cancelled, shopDomain: nil)
    }

    @Test func createSchedulesAfterTheDelay() throws {
        let order = try #require(OrderMerge.merge(existing: nil, incoming: incoming(updated: now), topic: .ordersCreate, settings: settings, now: now))
        #expect(order.status == .pending)
        #expect(order.message.state == .scheduled)
        #expect(order.message.scheduledAt == now - 60_000 + 30 * 60_000)
        #expect(order.arrivedAt == now)
    }

    @Test func cancelBeforeCreateStaysCancelled() throws {
        let cancelled = try #require(OrderMerge.merge(existing: nil, incoming: incoming(updated: now, cancelled: true),
                                                      topic: .ordersCancelled, settings: settings, now: now))
        #expect(cancelled.status == .cancelled)
        #expect(cancelled.message.state == .skipped)
        // The older create arrives later: nothing changes.
        #expect(OrderMerge.merge(existing: cancelled, incoming: incoming(updated: now - 1000), topic: .ordersCreate, settings: settings, now: now + 1) == nil)
        // Even a create with the same updated_at never changes the status of an existing order.
        let same = OrderMerge.merge(existing: cancelled, incoming: incoming(updated: now), topic: .ordersCreate, settings: settings, now: now + 1)
        #expect((same ?? cancelled).status == .cancelled)
    }

    @Test func topicDecidesTheStatus() throws {
        let created = try #require(OrderMerge.merge(existing: nil, incoming: incoming(updated: now), topic: .ordersCreate, settings: settings, now: now))
        let fulfilled = try #require(OrderMerge.merge(existing: created, incoming: incoming(updated: now + 1), topic: .ordersFulfilled, settings: settings, now: now + 1))
        #expect(fulfilled.status == .delivered)
        #expect(fulfilled.events?.last?.by == "shopify")
        let updatedCancel = try #require(OrderMerge.merge(existing: created, incoming: incoming(updated: now + 2, cancelled: true), topic: .ordersUpdated, settings: settings, now: now + 2))
        #expect(updatedCancel.status == .cancelled)
        #expect(updatedCancel.message.state == .skipped)
    }

    @Test func staleOrIdenticalDeliveriesChangeNothing() throws {
        let created = try #require(OrderMerge.merge(existing: nil, incoming: incoming(updated: now), topic: .ordersCreate, settings: settings, now: now))
        #expect(OrderMerge.merge(existing: created, incoming: incoming(updated: now - 5), topic: .ordersUpdated, settings: settings, now: now + 9) == nil)
        #expect(OrderMerge.merge(existing: created, incoming: incoming(updated: now), topic: .ordersUpdated, settings: settings, now: now + 9) == nil)
    }

    @Test func testOrdersAndMissingPhonesAreSkipped() throws {
        let test = try #require(OrderMerge.merge(existing: nil, incoming: incoming(updated: now, test: true), topic: .ordersCreate, settings: settings, now: now))
        #expect(test.message.state == .skipped)
        let noPhone = try #require(OrderMerge.merge(existing: nil, incoming: incoming(updated: now, phone: nil), topic: .ordersCreate, settings: settings, now: now))
        #expect(noPhone.message.state == .skipped)
        #expect(noPhone.message.lastError == "order has no phone number")
        // A later update that brings a usable phone schedules the confirmation.
        let fixed = try #require(OrderMerge.merge(existing: noPhone, incoming: incoming(updated: now + 1), topic: .ordersUpdated, settings: settings, now: now + 1))
        #expect(fixed.message.state == .scheduled)
    }

    @Test func deliveredShipment() throws {
        let created = try #require(OrderMerge.merge(existing: nil, incoming: incoming(updated: now), topic: .ordersCreate, settings: settings, now: now))
        #expect(OrderMerge.fulfillment(existing: created, shipmentStatus: "in_transit", now: now) == nil)
        #expect(OrderMerge.fulfillment(existing: created, shipmentStatus: "delivered", now: now)?.status == .delivered)
    }

    @Test func manualTransitions() {
        #expect(OrderStatus.pending.allowsManualChange(to: .confirmed))
        #expect(OrderStatus.pending.allowsManualChange(to: .cancelled))
        #expect(OrderStatus.confirmed.allowsManualChange(to: .delivered))
        #expect(OrderStatus.confirmed.allowsManualChange(to: .cancelled))
        #expect(OrderStatus.cancelled.allowsManualChange(to: .pending))
        #expect(OrderStatus.delivered.allowsManualChange(to: .confirmed))
        #expect(!OrderStatus.pending.allowsManualChange(to: .delivered))
        #expect(!OrderStatus.cancelled.allowsManualChange(to: .confirmed))
        #expect(!OrderStatus.delivered.allowsManualChange(to: .cancelled))
    }
}
