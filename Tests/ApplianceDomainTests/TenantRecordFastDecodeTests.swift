import Foundation
import SeededRandom
import Testing
@testable import ApplianceDomain

/// The fast reader of journal order records and snapshot timelines must give exactly what
/// JSONDecoder gives whenever it answers, and answer for what the server writes.
@Suite struct TenantRecordFastDecodeTests {
    static func fast(_ bytes: [UInt8]) -> TenantRecord? {
        bytes.withUnsafeBytes { TenantRecord.fastDecodeOrderRecord($0) }
    }

    static func randomString(_ rng: inout SplitMix) -> String {
        let pieces = ["", "a", "Jessica Smith", "Chloé Dubois", "名前", "😀", "quote\"d", "back\\slash", "tab\there", "line\nbreak",
                      "slash/es", "\u{0}", "\u{1F}", "\u{7F}", "Tomorrow 14:00-16:00", "+14155552671", "jessica.smith@example.com"]
        var s = ""
        for _ in 0..<Int(rng.next() % 3) { s += pieces[Int(rng.next() % UInt64(pieces.count))] }
        return s
    }

    static func randomOrder(_ rng: inout SplitMix) -> Order {
        func opt(_ rng: inout SplitMix) -> String? { rng.next() % 3 == 0 ? nil : randomString(&rng) }
        func int64(_ rng: inout SplitMix) -> Int64 {
            switch rng.next() % 5 {
            case 0: return Int64.min
            case 1: return Int64.max
            case 2: return -Int64(rng.next() % 1_000_000)
            default: return Int64(rng.next() % 2_000_000_000_000)
            }
        }
        var events: [OrderEvent]?
        if rng.next() % 2 == 0 {
            events = (0..<Int(rng.next() % 3)).map { _ in
                OrderEvent(at: int64(&rng), type: randomString(&rng),
                           status: rng.next() % 2 == 0 ? nil : OrderStatus.allCases[Int(rng.next() % 4)],
                           by: opt(&rng), text: opt(&rng),
                           action: rng.next() % 3 == 0 ? randomString(&rng) : nil, result: rng.next() % 3 == 0 ? opt(&rng) : nil)
            }
        }
        var sync: ShopifySync?
        if rng.next() % 4 == 0 {
            let actions: [ShopifySync.Job.Action] = [.tagsAdd, .tagsRemove, .orderCancel]
            var job = ShopifySync.Job(action: actions[Int(rng.next() % 3)], tag: opt(&rng), restock: rng.next() % 2 == 0 ? nil : true,
                                      note: opt(&rng))
            job.attempts = Int(rng.next() % 5)
            job.firstFailureAt = rng.next() % 2 == 0 ? nil : int64(&rng)
            sync = ShopifySync(state: ShopifySync.State.allCases[Int(rng.next() % 5)], lastError: opt(&rng),
                               jobs: rng.next() % 2 == 0 ? [] : [job, ShopifySync.Job(action: .tagsRemove, tag: randomString(&rng))],
                               confirmTag: opt(&rng), cancelTag: opt(&rng), cancelRequested: rng.next() % 2 == 0)
        }
        return Order(
            id: rng.next() % 4 == 0 ? UInt64.max : rng.next(), number: randomString(&rng), customerName: randomString(&rng),
            phone: opt(&rng), phoneRaw: opt(&rng), phoneCountry: opt(&rng), email: opt(&rng), totalPrice: randomString(&rng),
            currency: randomString(&rng), presentmentTotal: opt(&rng), presentmentCurrency: opt(&rng),
            status: OrderStatus.allCases[Int(rng.next() % 4)], slot: opt(&rng), test: rng.next() % 2 == 0,
            createdAt: int64(&rng), shopifyUpdatedAt: int64(&rng), arrivedAt: int64(&rng), updatedAt: int64(&rng),
            message: OrderMessage(state: MessageState.allCases[Int(rng.next() % 8)], scheduledAt: rng.next() % 2 == 0 ? nil : int64(&rng),
                                  attempts: Int(int64(&rng)), lastError: opt(&rng), provider: opt(&rng), messageID: opt(&rng),
                                  firstAttemptAt: rng.next() % 2 == 0 ? nil : int64(&rng)),
            events: events, shopifySync: sync)
    }

    @Test func orderRecordsRoundTrip() throws {
        var rng = SplitMix(seed: 42)
        let encoder = JSONEncoder()
        for _ in 0..<2000 {
            let record = TenantRecord.order(Self.randomOrder(&rng), webhook: rng.next() % 2 == 0 ? nil : UUID().uuidString,
                                            shop: rng.next() % 2 == 0 ? nil : "shop.myshopify.com")
            let bytes = Array(try encoder.encode(record))
            let fast = try #require(Self.fast(bytes), "the fast reader gave up on \(String(decoding: bytes, as: UTF8.self))")
            #expect(fast.t == .order)
            #expect(fast.order == record.order)
            #expect(fast.wh == record.wh)
            #expect(fast.shop == record.shop)
        }
    }

    @Test func otherRecordsGoToJSONDecoder() throws {
        let encoder = JSONEncoder()
        let others: [TenantRecord] = [
            .account(Account(id: 1, email: "a@b.co", passwordHash: "h", createdAt: 1, passwordChangedAt: 1)),
            .password("h2", at: 5),
            .settings(Settings()),
            .rejected(RejectedDelivery(receivedAt: 1, topic: "orders/create", webhookID: "w", reason: "r", bytes: 3)),
            .inbox(InboxMessage(id: "wamid.1", from: "+14155552671", text: "hello", at: 1)),
        ]
        for record in others { #expect(Self.fast(Array(try encoder.encode(record))) == nil) }
        #expect(Self.fast(Array(#"{"t":"order"}"#.utf8))?.order == nil)
        #expect(Self.fast(Array(#"{"t":"order","order":{"id":1},"extra":1}"#.utf8)) == nil)
    }

    /// Damaged records: whenever the fast reader answers, JSONDecoder answers the same.
    @Test func mutatedRecordsNeverDisagree() throws {
        var rng = SplitMix(seed: 7)
        let encoder = JSONEncoder()
        let alphabet = Array(#"{}[]":,.-+eE0123456789 \ntrufalsn"#.utf8) + [0x80, 0xC3, 0x00, 0x5C]
        for _ in 0..<3000 {
            var bytes = Array(try encoder.encode(TenantRecord.order(Self.randomOrder(&rng), webhook: "w", shop: nil)))
            for _ in 0..<(1 + Int(rng.next() % 2)) {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[at] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                case 1: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
                default: bytes.remove(at: at)
                }
            }
            guard let fast = Self.fast(bytes) else { continue }
            let slow = try? JSONDecoder().decode(TenantRecord.self, from: Data(bytes))
            #expect(slow != nil, "fast accepted what JSONDecoder rejects: \(String(decoding: bytes, as: UTF8.self))")
            #expect(String(reflecting: Optional(fast)) == String(reflecting: slow), "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test func snapshotTimelinesRoundTrip() throws {
        var rng = SplitMix(seed: 9)
        for _ in 0..<500 {
            let events = Self.randomOrder(&rng).events ?? []
            let bytes = Array(try JSONEncoder().encode(events))
            #expect(OrderEvent.fastDecodeArray(bytes[...]) == events)
        }
        #expect(OrderEvent.fastDecodeArray(Array(#"[{"at":1,"type":"x","mood":"?"}]"#.utf8)[...]) == nil)
    }

    /// The fast readers list every stored property by hand: adding one to these types must come
    /// with teaching the readers (until then records fall back to JSONDecoder, payloads would not).
    @Test func fastReadersKnowEveryField() {
        let order = Order(id: 1, number: "", customerName: "", phone: nil, phoneRaw: nil, phoneCountry: nil, email: nil,
                          totalPrice: "", currency: "", presentmentTotal: nil, presentmentCurrency: nil, status: .pending, slot: nil,
                          test: false, createdAt: 0, shopifyUpdatedAt: 0, arrivedAt: 0, updatedAt: 0, message: OrderMessage(state: .scheduled))
        #expect(Mirror(reflecting: order).children.count == 21, "update TenantRecord+FastDecode.swift")
        #expect(Mirror(reflecting: order.message).children.count == 7, "update TenantRecord+FastDecode.swift")
        #expect(Mirror(reflecting: OrderEvent(at: 0, type: "")).children.count == 7, "update TenantRecord+FastDecode.swift")
        // t, account, hash, at, settings, order, wh, shop, rejected, message: the reader takes t, order, wh and shop and
        // leaves every other kind of record to JSONDecoder.
        #expect(Mirror(reflecting: TenantRecord(t: .order)).children.count == 10, "update TenantRecord+FastDecode.swift")
        #expect(Mirror(reflecting: ShopifyOrderPayload()).children.count == 21, "update ShopifyOrderPayload+FastDecode.swift")
        #expect(Mirror(reflecting: ShopifyOrderPayload.Address()).children.count == 5, "update ShopifyOrderPayload+FastDecode.swift")
        #expect(Mirror(reflecting: ShopifyOrderPayload.Customer()).children.count == 5, "update ShopifyOrderPayload+FastDecode.swift")
        #expect(Mirror(reflecting: ShopifyOrderPayload.MoneySet()).children.count == 2, "update ShopifyOrderPayload+FastDecode.swift")
        #expect(Mirror(reflecting: ShopifyOrderPayload.MoneySet.Money()).children.count == 2, "update ShopifyOrderPayload+FastDecode.swift")
        #expect(Mirror(reflecting: ShopifyOrderPayload.NameValue()).children.count == 2, "update ShopifyOrderPayload+FastDecode.swift")
        #expect(Mirror(reflecting: ShopifyOrderPayload.LineItem()).children.count == 1, "update ShopifyOrderPayload+FastDecode.swift")
    }
}
