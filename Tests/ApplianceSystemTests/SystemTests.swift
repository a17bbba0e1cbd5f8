import Foundation
import Testing

/// End-to-end tests against the real `shopify-whatsapp` binary (see ``SystemHarness`` for how
/// it is found). Serialized: each test runs its own server, and the machine has few cores.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct SystemTests {
    static let email = "merchant@example.com"
    static let password = "correct horse battery"
    static let secret = "shpss_system_test_secret"

    /// A data directory with one merchant, a running server, a token and the Shopify secret set.
    struct Running {
        let harness: SystemHarness
        let userID: Int
        var server: ServerProcess
        let token: String
    }

    static func startMerchant(_ harness: SystemHarness) throws -> Running {
        let userID = try harness.initWithUser(email: email, password: password)
        let server = try harness.startServer()
        let token = try ShopifyClient.login(port: server.port, email: email, password: password)
        try ShopifyClient.setSecret(port: server.port, token: token, secret: secret)
        return Running(harness: harness, userID: userID, server: server, token: token)
    }

    /// Checks that every acknowledged id is listed exactly once (and nothing is listed twice).
    static func expectAllPresentOnce(acknowledged: Set<UInt64>, port: Int, token: String,
                                     sourceLocation: SourceLocation = #_sourceLocation) throws {
        let listed = try ShopifyClient.listOrderIDs(port: port, token: token)
        var counts: [String: Int] = [:]
        for id in listed { counts[id, default: 0] += 1 }
        let duplicates = counts.filter { $0.value > 1 }
        #expect(duplicates.isEmpty, "orders listed more than once: \(duplicates.prefix(10))", sourceLocation: sourceLocation)
        let missing = acknowledged.filter { counts[String($0)] == nil }
        #expect(missing.isEmpty, "\(missing.count) acknowledged orders are missing, e.g. \(missing.prefix(10).sorted())",
                sourceLocation: sourceLocation)
        #expect(listed.count >= acknowledged.count, sourceLocation: sourceLocation)
    }
}
