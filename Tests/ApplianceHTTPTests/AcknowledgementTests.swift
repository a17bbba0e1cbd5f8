import ApplianceDomain
import ApplianceHTTP
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Synchronization
import Testing

/// No controller can answer a write before it is on disk: with the journal's `fdatasync` held,
/// the request that made the change does not complete; once the sync goes through, it does.
@Suite("Acknowledgement after fsync")
struct AcknowledgementTests {
    /// Runs `request` while journal syncs are held: it must still be unanswered once its sync
    /// is blocked (and a while after), and answer `expected` after the release.
    static func expectHeld(_ fs: HeldSyncFileSystem, expected: HTTPResponse.Status,
                           _ request: @escaping @Sendable () async throws -> TestResponse) async throws {
        fs.hold()
        let answered = Atomic<Bool>(false)
        let task = Task {
            defer { answered.store(true, ordering: .releasing) }
            return try await request()
        }
        var held = fs.syncsHeld.makeAsyncIterator()
        // The event: the journal's sync of this change has started and is blocked.
        _ = await held.next()
        // An early acknowledgement would arrive now; give it the time a request takes here.
        try await Task.sleep(for: .milliseconds(300))
        #expect(answered.load(ordering: .acquiring) == false, "answered while the journal had not synced")
        fs.release()
        let response = try await task.value
        #expect(response.status == expected, "\(response.status) \(response.text)")
    }

    /// An application over a `HeldSyncFileSystem`, tested through the router, or on a live
    /// server (`live`) where the common delivery is answered on the event loop.
    static func withHeldSyncApp(live: Bool = false,
                                _ body: @escaping @Sendable (HeldSyncFileSystem, any TestClientProtocol) async throws -> Void) async throws {
        try await withDataDirectory { root in
            let fs = HeldSyncFileSystem()
            let app = try await TestApp.open(root: root, options: live ? TestApp.liveOptions : TestApp.routerOptions, fs: fs)
            try await app.test(live ? .live : .router) { client in try await body(fs, client) }
            await app.shutdown()
        }
    }

    @Test func webhookSettingsAndStatusChangesWaitForTheSync() async throws {
        try await Self.withHeldSyncApp { fs, client in
            let s = try await client.merchant("held@example.com")
            try await client.deliver(ShopifyOrder(id: 1), to: s)
            // A Shopify delivery (domain flow), a settings PUT and a status change (controllers).
            try await Self.expectHeld(fs, expected: .ok) {
                try await client.webhook(to: s.id, ShopifyOrder(id: 2).bytes, secret: s.secret)
            }
            try await Self.expectHeld(fs, expected: .ok) {
                try await client.putSettings(s, #"{"confirmation_delay_minutes": 5}"#)
            }
            try await Self.expectHeld(fs, expected: .ok) {
                try await client.setStatus(s, 1, "confirmed")
            }
            #expect(try await client.requireOrder(s, 1)["status"].string == "confirmed")
        }
    }

    /// The same on a live server, where the delivery is answered on the event loop
    /// (`WebhookChannelHandler`): its 200 too waits for the journal's sync.
    @Test func webhookAnsweredOnTheEventLoopWaitsForTheSync() async throws {
        try await Self.withHeldSyncApp(live: true) { fs, client in
            let s = try await client.merchant("held-live@example.com")
            try await client.deliver(ShopifyOrder(id: 1), to: s)
            try await Self.expectHeld(fs, expected: .ok) {
                try await client.webhook(to: s.id, ShopifyOrder(id: 2).bytes, secret: s.secret)
            }
            try await Self.expectHeld(fs, expected: .ok) {
                try await client.webhook(to: s.id, ShopifyOrder(id: 3).bytes, topic: "orders/updated", route: .topicPath, secret: s.secret)
            }
            #expect(try await client.orderIDs(s).sorted() == ["1", "2", "3"])
        }
    }
}
