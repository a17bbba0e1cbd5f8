import Testing
@testable import ApplianceDomain

@Suite struct ShopifyOrderMapperTests {
    let mapper = ShopifyOrderMapper()

    @Test func docsExampleKeepsTheIdExactlyAndFlagsTheLetterPhone() throws {
        let order = try mapper.map(body: try Fixtures.bytes("shopify/orders_create.docs-example.json"), shopDomain: "shop.myshopify.com")
        #expect(order.id == 820_982_911_946_154_500)
        #expect(order.number == "#9999")
        #expect(order.customerName == "Steve Shipper")
        #expect(order.totalPrice == "398.00")  // current_total_price wins over total_price
        #expect(order.currency == "USD")
        #expect(order.test)
        #expect(order.cancelled)
        #expect(order.phone == nil)
        #expect(order.phoneRaw == "555-555-SHIP")
        #expect(order.phoneProblem?.contains("letters") == true)
        #expect(order.createdAt == Timestamp.parse("2022-01-01T00:00:00Z"))
        #expect(order.shopDomain == "shop.myshopify.com")
    }

    @Test func exactIdAboveTwoToThe53() throws {
        let body = Array(##"{"id":820982911946154508,"name":"#1","total_price":"1.00","currency":"EUR"}"##.utf8)
        let order = try mapper.map(body: body, shopDomain: nil)
        #expect(order.id == 820_982_911_946_154_508)
    }

    @Test func restFixtureSlotAndUSPhoneWithoutCountryCode() throws {
        let order = try mapper.map(body: try Fixtures.unwrappedOrder("shopify/order.rest-wrapped.json"), shopDomain: nil)
        #expect(order.id == 450_789_469)
        #expect(order.customerName == "Bob Norman")
        #expect(order.totalPrice == "409.94")
        #expect(order.email == "bob.norman@hostmail.com")
        // 555-625-1199 is not a valid US number by libphonenumber's metadata.
        #expect(order.phone == nil)
        #expect(order.phoneCountry == "US")
        #expect(!order.test)
        #expect(!order.cancelled)
    }

    @Test func phoneCandidatesInOrderWithTheirCountry() throws {
        let body = Array(#"""
        {"id": 5, "name": "No1005", "total_price": "10.00", "currency": "UAH", "phone": "+33 6 12 34 56 78",
         "shipping_address": {"name": "Olena K", "phone": "063 515 49 73", "country_code": "UA"},
         "billing_address": {"phone": "020 7946 0958", "country_code": "GB"}}
        """#.utf8)
        let order = try mapper.map(body: body, shopDomain: nil)
        #expect(order.phone == "+380635154973")
        #expect(order.phoneCountry == "UA")
    }

    @Test func fallsBackToTheNextUsableCandidate() throws {
        let body = Array(#"""
        {"id": 6, "total_price": "10.00", "currency": "GBP",
         "shipping_address": {"phone": "call me", "country_code": "GB"},
         "billing_address": {"phone": "020 7946 0958", "country_code": "GB"}}
        """#.utf8)
        let order = try mapper.map(body: body, shopDomain: nil)
        #expect(order.phone == "+442079460958")
        #expect(order.number == "#6")
    }

    @Test func presentmentMoneyIsKept() throws {
        let body = Array(#"""
        {"id": 7, "total_price": "100.00", "currency": "USD", "presentment_currency": "EUR",
         "total_price_set": {"shop_money": {"amount": "100.00", "currency_code": "USD"},
                             "presentment_money": {"amount": "92.50", "currency_code": "EUR"}}}
        """#.utf8)
        let order = try mapper.map(body: body, shopDomain: nil)
        #expect(order.totalPrice == "100.00")
        #expect(order.presentmentTotal == "92.50")
        #expect(order.presentmentCurrency == "EUR")
    }

    @Test func slotFromNoteAttributesOrLineItemProperties() throws {
        let notes = Array(#"""
        {"id": 8, "total_price": "1", "note_attributes": [{"name": "Delivery Date", "value": "2025-03-02"},
                                                           {"name": "Delivery Time", "value": "14:00-16:00"}]}
        """#.utf8)
        #expect(try mapper.map(body: notes, shopDomain: nil).slot == "2025-03-02 14:00-16:00")
        let props = Array(#"""
        {"id": 9, "total_price": "1", "line_items": [{"properties": [{"name": "_private", "value": "x"},
                                                                      {"name": "Time slot", "value": "Morning"}]}]}
        """#.utf8)
        #expect(try mapper.map(body: props, shopDomain: nil).slot == "Morning")
        let none = Array(#"{"id": 10, "total_price": "1", "note_attributes": [{"name": "gift", "value": "yes"}]}"#.utf8)
        #expect(try mapper.map(body: none, shopDomain: nil).slot == nil)
    }

    @Test(arguments: [
        (#"not json"#, "not valid JSON"),
        (##"{"name": "#1"}"##, "no integer id"),
        (#"{"id": "abc"}"#, "no integer id"),
        (#"{"id": 1.5}"#, "no integer id"),
        (#"[1,2]"#, "wrong type"),
    ])
    func unusableBodiesSayWhy(body: String, reason: String) {
        #expect(throws: ShopifyOrderMapper.Unusable.self) { try mapper.map(body: Array(body.utf8), shopDomain: nil) }
        do {
            _ = try mapper.map(body: Array(body.utf8), shopDomain: nil)
        } catch {
            #expect(error.reason.contains(reason), "\(error.reason)")
        }
    }
}
