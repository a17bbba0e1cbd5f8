import Foundation
import SeededRandom
import Testing
@testable import ApplianceDomain

/// The hand-written writer of journal order records must produce JSON that `JSONDecoder` and the
/// fast reader both read back to the very same record, for any text (quotes, control
/// characters, emoji) and any integer.
@Suite struct TenantRecordFastEncodeTests {
    @Test func orderRecordsDecodeToTheSameValue() throws {
        var rng = SplitMix(seed: 7)
        let encoder = JSONEncoder()
        for _ in 0..<3000 {
            let record = TenantRecord.order(TenantRecordFastDecodeTests.randomOrder(&rng),
                                            webhook: rng.next() % 2 == 0 ? nil : TenantRecordFastDecodeTests.randomString(&rng),
                                            shop: rng.next() % 2 == 0 ? nil : "shop.myshopify.com")
            let bytes = try record.encoded(with: encoder)
            let text = String(decoding: bytes, as: UTF8.self)
            let decoded = try JSONDecoder().decode(TenantRecord.self, from: Data(bytes))
            #expect(decoded.t == .order)
            #expect(decoded.order == record.order, "\(text)")
            #expect(decoded.wh == record.wh)
            #expect(decoded.shop == record.shop)
            let fast = try #require(TenantRecordFastDecodeTests.fast(bytes), "the fast reader gave up on \(text)")
            #expect(fast.order == record.order)
            #expect(fast.wh == record.wh)
            #expect(fast.shop == record.shop)
            // One line in the journal: control characters never appear raw.
            #expect(!bytes.contains { $0 < 0x20 })
        }
    }

    /// Other kinds of record keep going through `JSONEncoder`.
    @Test func otherRecordsUseJSONEncoder() throws {
        let encoder = JSONEncoder()
        func object(_ bytes: [UInt8]) throws -> NSDictionary? { try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary }
        for record in [TenantRecord.settings(Settings()), .inbox(InboxMessage(id: "wamid.1", from: "+14155552671", text: "hi", at: 1))] {
            // JSONEncoder's key order varies between runs here: compare the objects.
            let ours = try #require(try object(try record.encoded(with: encoder)))
            #expect(ours == (try object(Array(try encoder.encode(record)))))
            #expect(ours["t"] as? String == record.t.rawValue)
        }
    }
}
