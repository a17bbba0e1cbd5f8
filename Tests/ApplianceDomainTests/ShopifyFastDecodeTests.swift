import Foundation
import SeededRandom
import Testing
@testable import ApplianceDomain

/// The fast reader of order bodies must agree with JSONDecoder whenever it answers, and answer
/// for ordinary bodies.
@Suite struct ShopifyFastDecodeTests {
    /// The payload as JSONDecoder reads it, or nil when it throws.
    static func reference(_ body: [UInt8]) -> ShopifyOrderPayload? {
        try? JSONDecoder().decode(ShopifyOrderPayload.self, from: Data(body))
    }

    static func same(_ a: ShopifyOrderPayload?, _ b: ShopifyOrderPayload?) -> Bool {
        String(reflecting: a) == String(reflecting: b)
    }

    static func expectAgrees(_ body: [UInt8], mustAnswer: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) {
        let fast = ShopifyOrderPayload.fastDecode(body)
        if mustAnswer {
            #expect(fast != nil, "the fast reader gave up on \(String(decoding: body.prefix(200), as: UTF8.self))", sourceLocation: sourceLocation)
        }
        if let fast {
            let slow = reference(body)
            #expect(slow != nil, "fast accepted what JSONDecoder rejects: \(String(decoding: body.prefix(300), as: UTF8.self))",
                    sourceLocation: sourceLocation)
            #expect(same(fast, slow), "\(String(reflecting: fast))\n!=\n\(String(reflecting: slow))", sourceLocation: sourceLocation)
        }
    }

    @Test func fixturesDecodeTheSame() throws {
        Self.expectAgrees(try Fixtures.bytes("shopify/orders_create.docs-example.json"), mustAnswer: true)
        Self.expectAgrees(try Fixtures.unwrappedOrder("shopify/order.rest-wrapped.json"), mustAnswer: true)
    }

    @Test func handWrittenEdgeCases() {
        let answered: [String] = [
            #"{}"#,
            #"{"id":1}"#,
            ##" { "id" : 18446744073709551615 , "name" : "#1001" } "##,
            #"{"id":"123","order_number":"77","test":true,"phone":null,"email":"a\u00e9\n\"b\\/c\ud83d\ude00"}"#,
            #"{"id":5,"total_price":"12.50","current_total_price":12,"total_price_set":{"shop_money":{"amount":-3,"currency_code":"EUR"},"presentment_money":null}}"#,
            #"{"id":5,"note_attributes":[{"name":"Delivery Slot","value":true},{"name":null,"value":false},{}],"line_items":[{"properties":null},{"properties":[{"name":"Slot","value":"x"}]},{"x":[1,2,{"y":[]}]}]}"#,
            #"{"id":5,"customer":{"first_name":"Ana","default_address":{"country_code":"FR","phone":"06 12 34 56 78"}},"shipping_address":null,"billing_address":{"name":" Bo "}}"#,
            #"{"id":5,"unknown":[1.5e10,-0.25,0,-0,1E+2,"s",true,false,null,{"a":{"b":[]}}],"id_x":"\u0000"}"#,
            #"{"id":9,"test":false,"cancelled_at":"2024-01-01T00:00:00Z","name":"Ünïcødé 名前"}"#,
        ]
        for text in answered { Self.expectAgrees(Array(text.utf8), mustAnswer: true) }

        // Bodies the fast reader must leave to JSONDecoder (which may accept or reject them).
        let other: [String] = [
            "", " ", "[]", "null", "{", #"{"id":1"#, #"{"id":1,}"#, #"{"id":1} x"#, #"{"id":01}"#, #"{"id":1.0}"#,
            #"{"id":1e3}"#, #"{"id":-1}"#, #"{"id":18446744073709551616}"#, #"{"id":"abc"}"#, #"{"id":true}"#,
            #"{"id":1,"id":2}"#, #"{"i\u0064":1}"#, #"{"id":1,"test":"yes"}"#, #"{"id":1,"test":1}"#,
            #"{"id":1,"email":5}"#, #"{"id":1,"customer":[]}"#, #"{"id":1,"note_attributes":[null]}"#,
            #"{"id":1,"note_attributes":{}}"#, #"{"id":1,"line_items":[1]}"#, #"{"id":1,"total_price":1.5}"#,
            #"{"id":1,"total_price":{}}"#, #"{"id":1,"x":"\ud800"}"#, #"{"id":1,"x":"\q"}"#, "{\"id\":1,\"x\":\"a\tb\"}",
            #"{"id":1,"x":tru}"#, #"{"id":1,"x":-}"#, #"{"id":1,"x":1.}"#, #"{"id":1,"x":.5}"#, "\u{FEFF}{\"id\":1}",
            #"{"id":1,"current_total_price":9223372036854775808}"#,
        ]
        for text in other { Self.expectAgrees(Array(text.utf8)) }
        #expect(ShopifyOrderPayload.fastDecode(Array(#"{"id":1,"id":2}"#.utf8)) == nil)
        #expect(ShopifyOrderPayload.fastDecode([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]) == nil)  // bad UTF-8
    }

    /// Random damage (flipped bytes, cuts, insertions) to real bodies: whenever the fast reader
    /// answers, JSONDecoder answers the same.
    @Test func mutatedBodiesNeverDisagree() throws {
        let seeds = [
            try Fixtures.bytes("shopify/orders_create.docs-example.json"),
            try Fixtures.unwrappedOrder("shopify/order.rest-wrapped.json"),
        ]
        var rng = SplitMix(seed: 0x5EED)
        let alphabet = Array(#"{}[]":,.-+eE0123456789 \ntrufalsn"#.utf8) + [0x80, 0xC3, 0xFF, 0x00, 0x5C]
        var answered = 0
        for round in 0..<3000 {
            var body = seeds[round % seeds.count]
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let at = Int(rng.next() % UInt64(body.count))
                switch rng.next() % 3 {
                case 0: body[at] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                case 1: body.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
                default: body.remove(at: at)
                }
            }
            if ShopifyOrderPayload.fastDecode(body) != nil { answered += 1 }
            Self.expectAgrees(body)
        }
        #expect(answered > 0)
    }

    /// Strings are skimmed eight bytes at a time: a quote, a backslash escape, a control
    /// character or a multi-byte character at every offset of a long string, in a wanted field
    /// and in a skipped one, reads as JSONDecoder reads it (or is refused by both).
    @Test func specialBytesAtEveryOffsetOfAString() {
        let specials: [[UInt8]] = [Array(#"\""#.utf8), Array(#"\\"#.utf8), Array(#"\n"#.utf8), Array(#"\u00e9"#.utf8),
                                   [0x0A], [0x1F], [0x7F], Array("é".utf8), Array("😀".utf8), [0x20]]
        for special in specials {
            for offset in 0..<20 {
                for tail in [0, 1, 7, 8, 9, 17] {
                    let text = Array(repeating: UInt8(ascii: "a"), count: offset) + special + Array(repeating: UInt8(ascii: "b"), count: tail)
                    for field in ["name", "skipped"] {
                        let body = Array(#"{"id":1,""#.utf8) + Array(field.utf8) + Array(#"":""#.utf8) + text + Array(#"","email":"x@y.z"}"#.utf8)
                        Self.expectAgrees(body, mustAnswer: special != [0x0A] && special != [0x1F])
                        if special == [0x0A] || special == [0x1F] { #expect(ShopifyOrderPayload.fastDecode(body) == nil) }
                    }
                }
            }
        }
    }
}
