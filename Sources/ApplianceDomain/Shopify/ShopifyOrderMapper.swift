import Foundation
import PhoneNumbers

/// Maps a Shopify order payload to an ``IncomingOrder``: the customer's name, the first usable
/// phone (shipping address, order, billing address, customer; normalised to E.164 with that
/// address's country), the totals as decimal strings, the delivery slot and the test flag.
public struct ShopifyOrderMapper: Sendable {
    let normalizer: PhoneNumberNormalizer

    public init(normalizer: PhoneNumberNormalizer = .shared) {
        self.normalizer = normalizer
    }

    /// Why a payload cannot be used.
    public struct Unusable: Error, Sendable, Equatable {
        public let reason: String
    }

    /// Decodes and maps a raw order body.
    public func map(body: [UInt8], shopDomain: String?) throws(Unusable) -> IncomingOrder {
        // The fast reader answers for strictly valid bodies; anything else is JSONDecoder's call.
        if let payload = ShopifyOrderPayload.fastDecode(body) { return try map(payload, shopDomain: shopDomain) }
        let payload: ShopifyOrderPayload
        do {
            payload = try JSONDecoder().decode(ShopifyOrderPayload.self, from: Data(body))
        } catch let error as DecodingError {
            throw Unusable(reason: Self.describe(error))
        } catch {
            throw Unusable(reason: "body is not JSON")
        }
        return try map(payload, shopDomain: shopDomain)
    }

    /// Maps a decoded payload.
    public func map(_ p: ShopifyOrderPayload, shopDomain: String?) throws(Unusable) -> IncomingOrder {
        guard let id = p.id?.value else { throw Unusable(reason: "payload has no integer id") }
        let shippingCountry = p.shippingAddress?.countryCode
        let billingCountry = p.billingAddress?.countryCode
        let customerCountry = p.customer?.defaultAddress?.countryCode
        let fallbackCountry = shippingCountry ?? billingCountry ?? customerCountry
        let candidates: [(String?, String?)] = [
            (p.shippingAddress?.phone, shippingCountry),
            (p.phone, fallbackCountry),
            (p.billingAddress?.phone, billingCountry ?? fallbackCountry),
            (p.customer?.phone, customerCountry ?? fallbackCountry),
            (p.customer?.defaultAddress?.phone, customerCountry ?? fallbackCountry),
        ]
        var phone: String?
        var phoneRaw: String?
        var phoneCountry: String?
        var problem: String?
        for (raw, country) in candidates {
            // Capped before anything looks at it: a multi-megabyte "phone" costs nothing more.
            guard let raw = raw?.capped(to: StoredTextLimit.shopify).trimmingFast(.whitespacesAndNewlines), !raw.isEmpty else { continue }
            switch normalizer.normalize(raw, region: country) {
            case .success(let e164):
                phone = e164
                phoneRaw = raw
                phoneCountry = country?.uppercased()
            case .failure(let error):
                if phoneRaw == nil {
                    phoneRaw = raw
                    phoneCountry = country?.uppercased()
                    problem = error.message
                }
                continue
            }
            break
        }
        if phone == nil && phoneRaw == nil { problem = "order has no phone number" }

        let shopTotal = p.currentTotalPrice?.value ?? p.totalPrice?.value
            ?? p.currentTotalPriceSet?.shopMoney?.amount?.value ?? p.totalPriceSet?.shopMoney?.amount?.value ?? "0.00"
        let presentment = p.currentTotalPriceSet?.presentmentMoney ?? p.totalPriceSet?.presentmentMoney
        let name = Self.customerName(p)
        // Every text kept is capped (the delivery is still accepted; the full payload is not kept).
        let limit = StoredTextLimit.shopify
        return IncomingOrder(
            id: id,
            number: (p.name ?? p.orderNumber.map { "#\($0.value)" } ?? "#\(id)").capped(to: limit),
            customerName: name.capped(to: limit),
            phone: phone, phoneRaw: phoneRaw, phoneCountry: phoneCountry.capped(to: limit),
            phoneProblem: phone == nil ? problem.capped(to: limit) : nil,
            email: (nonEmpty(p.email) ?? nonEmpty(p.contactEmail) ?? nonEmpty(p.customer?.email)).capped(to: limit),
            totalPrice: shopTotal.capped(to: limit),
            currency: (p.currency ?? presentment?.currencyCode ?? "").capped(to: limit),
            presentmentTotal: presentment?.amount?.value.capped(to: limit),
            presentmentCurrency: (presentment?.currencyCode ?? p.presentmentCurrency).capped(to: limit),
            slot: DeliverySlot.find(noteAttributes: p.noteAttributes ?? [], lineItems: p.lineItems ?? []).capped(to: limit),
            test: p.test ?? false,
            createdAt: p.createdAt.flatMap(Timestamp.parse),
            updatedAt: p.updatedAt.flatMap(Timestamp.parse),
            cancelled: p.cancelledAt.map { !$0.isEmpty } ?? false,
            shopDomain: shopDomain.capped(to: limit))
    }

    static func customerName(_ p: ShopifyOrderPayload) -> String {
        func join(_ a: String?, _ b: String?) -> String? {
            let s = [a, b].compactMap { $0?.capped(to: StoredTextLimit.shopify).trimmingFast(.whitespaces) }.filter { !$0.isEmpty }
                .joined(separator: " ")
            return s.isEmpty ? nil : s
        }
        return nonEmpty(p.shippingAddress?.name)
            ?? join(p.customer?.firstName, p.customer?.lastName)
            ?? join(p.shippingAddress?.firstName, p.shippingAddress?.lastName)
            ?? nonEmpty(p.billingAddress?.name)
            ?? ""
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let c):
            if c.codingPath.count == 1, c.codingPath[0].stringValue == "id" { return "payload has no integer id" }
            return c.codingPath.isEmpty ? "body is not valid JSON" : "field \(path(c.codingPath)) is malformed"
        case .typeMismatch(_, let c), .valueNotFound(_, let c):
            return c.codingPath.first?.stringValue == "id" && c.codingPath.count == 1
                ? "payload has no integer id" : "field \(path(c.codingPath)) has the wrong type"
        case .keyNotFound(let key, _):
            return "field \(key.stringValue) is missing"
        @unknown default:
            return "body could not be decoded"
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

/// The text capped and trimmed (capped first: trimming a multi-megabyte text is not free), or
/// nil when nothing is left.
func nonEmpty(_ s: String?) -> String? {
    guard let t = s?.capped(to: StoredTextLimit.shopify).trimmingFast(.whitespacesAndNewlines), !t.isEmpty else { return nil }
    return t
}
