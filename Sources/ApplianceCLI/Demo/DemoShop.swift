import ApplianceDomain
/// The two demo merchants and their orders.
struct DemoShop: Sendable {
    var email: String
    var name: String
    var domain: String
    var mode: Settings.ConfirmationMode
    var timezone: String
    var orders: [DemoOrder]

    static let all = [atlas, lumen]

    /// A Moroccan cash-on-delivery shop asking customers to confirm (`ask` mode).
    static let atlas = DemoShop(
        email: "demo@example.com", name: "Atlas Home", domain: "atlas-home.myshopify.com", mode: .ask,
        timezone: "Africa/Casablanca",
        orders: [
            o(5_912_000_001, 1001, "Amina", "Haddad", "06 12 34 56 78", "MA", "Casablanca", "349.00", "MAD", 330, .delivered, "Mon 10:00–12:00"),
            o(5_912_000_002, 1002, "Youssef", "El Amrani", "+212 661-234567", "MA", "Rabat", "1250.00", "MAD", 300, .sent(statuses: ["delivered", "read"], reply: "1"), nil),
            o(5_912_000_003, 1003, "Fatima", "Zahra", "0612 987 654", "MA", "Marrakech", "89.90", "MAD", 270, .sent(statuses: ["delivered", "read"], reply: "2"), "Tue 14:00–16:00"),
            o(5_912_000_004, 1004, "Camille", "Martin", "06 45 67 89 01", "FR", "Lyon", "54.00", "EUR", 240, .sent(statuses: ["delivered", "read"], reply: "oui"), nil),
            o(5_912_000_005, 1005, "Omar", "Benali", "+212 6 70 11 22 33", "MA", "Fès", "420.00", "MAD", 200, .failed("131026: the number is not on WhatsApp"), nil),
            o(5_912_000_006, 1006, "Lucía", "García", "612 345 678", "ES", "Sevilla", "72.50", "EUR", 180, .sent(statuses: ["delivered", "read"], reply: "sí"), "Wed 18:00–20:00"),
            o(5_912_000_007, 1007, "Khalid", "Al Mansouri", "050 123 4567", "AE", "Dubai", "310.00", "AED", 150, .sent(statuses: ["delivered", "read"], reply: "نعم"), nil),
            o(5_912_000_008, 1008, "Nadia", "Tazi", "0661 00 11 22", "MA", "Tanger", "199.00", "MAD", 120, .cancelledBeforeSend, nil),
            o(5_912_000_009, 1009, "Hicham", "Ouali", "0677 88 99 00", "MA", "Agadir", "560.00", "MAD", 96, .unknown("timed out after the request was sent; it may have been delivered"), nil),
            o(5_912_000_010, 1010, "Salma", "Idrissi", "06 55 44 33 22", "MA", "Casablanca", "245.00", "MAD", 72, .sent(statuses: ["delivered"], reply: "Can you deliver after 6pm?"), "Thu 18:00–20:00"),
            o(5_912_000_011, 1011, "<img src=x onerror=alert(1)>", "Test", "call me maybe", "MA", "Oujda", "99.00", "MAD", 50, .sent(statuses: [], reply: nil), nil),
            o(5_912_000_012, 1012, "Rachid", "Berrada", "0660 12 34 56", "MA", "Meknès", "780.00", "MAD", 30, .delivered, "Fri 10:00–12:00"),
            o(5_912_000_013, 1013, "Demo", "Test order", "0600 00 00 00", "MA", "Casablanca", "1.00", "MAD", 20, .test, nil),
            o(5_912_000_014, 1014, "Imane", "Chraibi", "06 98 76 54 32", "MA", "Rabat", "129.00", "MAD", 8, .sent(statuses: ["delivered"], reply: nil), nil),
            o(5_912_000_015, 1015, "Mehdi", "Alaoui", "+212 612-000111", "MA", "Casablanca", "455.00", "MAD", 0.2, .scheduled, "Tomorrow 10:00–12:00"),
        ])

    /// A European studio that just tells customers their order is confirmed (`notify` mode).
    static let lumen = DemoShop(
        email: "agency@example.com", name: "Lumen Studio", domain: "lumen-studio.myshopify.com", mode: .notify,
        timezone: "Europe/Berlin",
        orders: [
            o(7_400_100_001, 2001, "Jonas", "Becker", "0151 23456789", "DE", "Berlin", "129.00", "EUR", 320, .delivered, nil),
            o(7_400_100_002, 2002, "Giulia", "Rossi", "+39 312 345 6789", "IT", "Milano", "84.50", "EUR", 260, .sent(statuses: ["delivered", "read"], reply: nil), nil),
            o(7_400_100_003, 2003, "Emma", "de Vries", "06 12345678", "NL", "Utrecht", "42.00", "EUR", 210, .delivered, nil),
            o(7_400_100_004, 2004, "Lukas", "Maier", "0664 1234567", "AT", "Wien", "215.00", "EUR", 160, .sent(statuses: [], reply: "Danke!"), nil),
            o(7_400_100_005, 2005, "Sofia", "Costa", "912 345 678", "PT", "Porto", "67.90", "EUR", 110, .failed("gave up after 6 attempt(s): 130429: rate limit hit"), nil),
            o(7_400_100_006, 2006, "Oliver", "Smith", "07700 900123", "GB", "London", "99.00", "GBP", 60, .cancelledBeforeSend, nil),
            o(7_400_100_007, 2007, "Ana", "Souza", "(11) 91234-5678", "BR", "São Paulo", "349.90", "BRL", 26, .sent(statuses: ["delivered", "read"], reply: nil), nil),
            o(7_400_100_008, 2008, "Léa", "Dubois", "07 81 23 45 67", "FR", "Paris", "58.00", "EUR", 0.1, .scheduled, nil),
        ])

    // swiftlint:disable:next function_parameter_count
    static func o(_ id: UInt64, _ number: Int, _ first: String, _ last: String, _ phone: String, _ country: String, _ city: String,
                  _ total: String, _ currency: String, _ hoursAgo: Double, _ fate: DemoOrder.Fate, _ slot: String?) -> DemoOrder {
        DemoOrder(id: id, number: number, first: first, last: last, phone: phone, country: country, city: city, total: total,
                  currency: currency, slot: slot, hoursAgo: hoursAgo, fate: fate)
    }
}
