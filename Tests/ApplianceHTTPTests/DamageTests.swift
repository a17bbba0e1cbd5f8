import ApplianceDomain
import ApplianceHTTP
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Damaged tenant")
struct DamageTests {
    /// Flips one byte in the middle of a record that is neither the first nor the last of the
    /// tenant's journal (mid-file damage, not a torn tail).
    static func damageMiddleRecord(tenantFolder: String) throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: tenantFolder).filter { $0.hasPrefix("journal-") }.sorted()
        let path = tenantFolder + "/" + (try #require(files.first))
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let newlines = bytes.indices.filter { bytes[$0] == UInt8(ascii: "\n") }
        // Line 0 is the segment header, line 1 the account; damage line 3 (of at least 6).
        try #require(newlines.count >= 6, "journal too short: \(newlines.count) lines")
        let start = newlines[2] + 1, end = newlines[3]
        // A letter inside the record's JSON, away from the frame's seq/crc.
        let middle = (start + end) / 2
        let target = try #require((middle..<end).first { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[$0]) })
        bytes[target] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test func damagedTenantAnswers503WhileOthersWork() async throws {
        try await withDataDirectory { root in
            let first = try await TestApp.open(root: root)
            let (a, b) = try await first.test { client in
                let a = try await client.merchant("damaged@example.com", secret: "a-secret")
                try await client.deliverInOrder(a, [1, 2, 3]) { ShopifyOrder(id: $0) }
                let b = try await client.merchant("healthy@example.com", secret: "b-secret")
                try await client.deliver(ShopifyOrder(id: 10), to: b)
                return (a, b)
            }
            await first.shutdown()
            try Self.damageMiddleRecord(tenantFolder: first.tenantPath(a.id))

            let second = try await TestApp.open(root: root)
            #expect(second.registry.unavailableTenants.keys.sorted() == [a.id])
            try await second.test { client async throws in
                // Webhooks: 503 before the signature is even checked.
                let signed = try await client.webhook(to: a.id, ShopifyOrder(id: 4).bytes, secret: "a-secret")
                #expect(signed.status == .serviceUnavailable)
                #expect(signed.errorCode == "tenant_unavailable")
                let unsigned = try await client.webhook(to: a.id, ShopifyOrder(id: 4).bytes, signature: .some(nil))
                #expect(unsigned.status == .serviceUnavailable)
                // Admin routes with the tenant's (still valid) token.
                for uri in ["/api/v1/admin/orders", "/api/v1/admin/orders/1", "/api/v1/admin/settings", "/api/v1/admin/analytics",
                            "/api/v1/admin/webhooks/rejected", "/api/v1/auth/me"] {
                    let r = try await client.get(uri, token: a.token)
                    #expect(r.status == .serviceUnavailable, "\(uri): \(r.status)")
                    #expect(r.errorCode == "tenant_unavailable", "\(uri)")
                }
                #expect(try await client.putSettings(a, #"{"timezone": "UTC"}"#).status == .serviceUnavailable)
                // Log-in, right or wrong password.
                let login = try await client.loginResponse("damaged@example.com", "correct horse battery")
                #expect(login.status == .serviceUnavailable)
                #expect(login.errorCode == "tenant_unavailable")
                #expect(try await client.loginResponse("damaged@example.com", "wrong password").status == .serviceUnavailable)
                // The email stays taken.
                #expect(try await client.signupResponse("damaged@example.com", "another password").status != .created)

                // The other tenant is unaffected.
                var again = try await client.login("healthy@example.com")
                again.secret = "b-secret"
                #expect(try await client.orderIDs(again) == ["10"])
                #expect(try await client.webhook(to: b.id, ShopifyOrder(id: 11).bytes, secret: "b-secret").status == .ok)
                #expect(try await client.orderIDs(b) == ["11", "10"])
                #expect(try await client.settings(b)["shopify_webhook_secret_set"].bool == true)
                // New tenants get a fresh id.
                #expect(try await client.signup("newcomer@example.com").id == 3)
            }
            await second.shutdown()
        }
    }
}
