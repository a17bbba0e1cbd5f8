/// Fills a message template with an order's values. Amounts are the ones the customer saw
/// (presentment money when Shopify sent it).
public enum MessageRenderer {
    /// The values of the placeholders for `order`.
    public static func values(order: Order, shopName: String) -> [String: String] {
        [
            "customer_name": order.customerName.isEmpty ? "there" : order.customerName,
            "order_number": order.number,
            "total_price": order.presentmentTotal ?? order.totalPrice,
            "currency": order.presentmentCurrency ?? order.currency,
            "slot": order.slot ?? "",
            "shop_name": shopName,
        ]
    }

    /// `template` with every known `{placeholder}` replaced.
    public static func render(_ template: String, order: Order, shopName: String) -> String {
        let values = values(order: order, shopName: shopName)
        var out = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            // A `{` never closed is text (appended with the rest below, once).
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            out += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            if let value = values[name] {
                out += value
            } else {
                out += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return out
    }

    /// The Cloud API template body parameters, in a fixed order documented for merchants:
    /// {{1}} customer name, {{2}} order number, {{3}} total with currency, {{4}} delivery slot, {{5}} shop name.
    public static func templateParameters(order: Order, shopName: String) -> [String] {
        let v = values(order: order, shopName: shopName)
        return [v["customer_name"]!, v["order_number"]!, "\(v["currency"]!) \(v["total_price"]!)",
                v["slot"]!.isEmpty ? "-" : v["slot"]!, shopName]
    }
}
