import Foundation
import SeededRandom
import Testing
@testable import ApplianceDomain

/// The byte-level search over packed rows must answer exactly as the rule on built orders, for
/// ASCII and non-ASCII texts and needles, case changes, phones typed nationally or not.
@Suite struct OrderSearchTests {
    static let names = ["Amina Haddad", "JESSICA smith", "Chloé Dubois", "Müller", "Ａｙａ", "O'Brien", "e\u{301}mile", "Ω"]
    static let phones = ["+33612345678", "+5511912345678", "+12025550143", "+٩٧١٥٠"]
    static let raws = ["06 12 34 56 78", "+55 (11) 91234-5678", "(202) 555-0143", "٠٥٠"]

    static func randomOrder(_ rng: inout SplitMix, _ i: Int) -> Order {
        var o = TenantRecordFastDecodeTests.randomOrder(&rng)
        o.id = UInt64(i)
        o.number = rng.next() % 5 == 0 ? "#CMD-\(1000 + i)" : "#\(1000 + i)"
        o.customerName = names[Int(rng.next() % UInt64(names.count))]
        o.email = rng.next() % 4 == 0 ? nil : "\(o.customerName.lowercased().filter { $0 != " " })\(i)@Example.com"
        let p = Int(rng.next() % UInt64(phones.count))
        o.phone = rng.next() % 5 == 0 ? nil : phones[p]
        o.phoneRaw = rng.next() % 3 == 0 ? o.phone : raws[p]
        return o
    }

    static func needles(_ rng: inout SplitMix, _ orders: [Order]) -> [String] {
        var out = ["", "  ", "amina", "AMINA", "smith", "chlo", "chloé", "CHLOÉ", "müll", "ü", "e", "é", "ω", "Ω", "ａｙ",
                   "#10", "cmd-10", "example.com", "@EXAMPLE", "0612", "06 12", "612345678", "0033612345678", "91234",
                   "555-0143", "+1202", "0000", "٩٧", "٠٥", "12", "zz", "o'b", "(202)"]
        for _ in 0..<60 {
            let o = orders[Int(rng.next() % UInt64(orders.count))]
            let source = [o.number, o.customerName, o.email ?? "x", o.phone ?? "+1", o.phoneRaw ?? "0"][Int(rng.next() % 5)]
            let chars = Array(source)
            let start = Int(rng.next() % UInt64(chars.count))
            let end = min(chars.count, start + 1 + Int(rng.next() % 6))
            var s = String(chars[start..<end])
            if rng.next() % 2 == 0 { s = s.uppercased() }
            out.append(s)
        }
        return out
    }

    @Test func packedSearchAgreesWithTheRule() {
        var rng = SplitMix(seed: 314)
        var table = OrderTable()
        var orders: [Order] = []
        for i in 0..<400 {
            let o = Self.randomOrder(&rng, i)
            table.append(o)
            orders.append(o)
        }
        var matchedSome = 0, fastAnswered = 0
        for needle in Self.needles(&rng, orders) {
            guard let search = OrderSearch(needle) else {
                #expect(needle.trimmingCharacters(in: .whitespaces).isEmpty)
                continue
            }
            for (i, o) in orders.enumerated() {
                let rule = search.matches(o)
                #expect(search.matches(table, at: i) == rule, "needle \(needle) order \(o.number) \(o.customerName) \(o.email ?? "-") \(o.phone ?? "-") \(o.phoneRaw ?? "-")")
                if rule { matchedSome += 1 }
            }
            if search.needleIsASCII { fastAnswered += 1 }
        }
        #expect(matchedSome > 100)
        #expect(fastAnswered > 20)
    }

    @Test func pagesFilterByTextStatusAndTime() {
        var rng = SplitMix(seed: 2718)
        var state = TenantState()
        for i in 0..<300 { state.upsert(Self.randomOrder(&rng, i)) }
        let all = Array(state.orders)
        for text in ["amina", "CHLOÉ", "0612", "example", "#10"] {
            for status in [nil] + OrderStatus.allCases.map(Optional.some) {
                let search = OrderSearch(text)!
                let expected = all.reversed().filter { (status == nil || $0.status == status!) && search.matches($0) }.map(\.id)
                var got: [UInt64] = []
                var before: Int?
                repeat {
                    let page = state.page(OrderQuery(limit: 7, before: before, status: status, text: text))
                    got += page.orders.map(\.id)
                    before = page.nextBefore
                } while before != nil
                #expect(got == expected, "text \(text) status \(String(describing: status))")
            }
        }
    }
}
