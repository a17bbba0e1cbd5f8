import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdTesting
import Synchronization
import Testing
import WhatsAppWebFake

/// A value set inside a `@Sendable` closure and read afterwards.
final class Box<T: Sendable>: Sendable {
    private let value: Mutex<T?> = Mutex(nil)
    func set(_ new: T) { value.withLock { $0 = new } }
    var get: T? { value.withLock { $0 } }
}

extension TestClientProtocol {
    /// Links the merchant's WhatsApp as a merchant would: Connect, wait for the QR code on the
    /// dashboard, scan it with the fake phone, wait for `connected`. Returns the fake's device
    /// (the browser profile that showed the code).
    func link(_ merchant: Merchant, fake: FakeWhatsAppWeb) async throws -> String {
        let device = Box<String>()
        try await withDashboard(self, token: merchant.token) { frames in
            let r = try await self.connect(merchant)
            #expect(r.status == .accepted, "connect: \(r.status)")
            let qr = try await frames.next("a QR code") { $0.isStatus("qr") }
            device.set(try fake.scan(png: try #require(Data(base64Encoded: qr["whatsapp"]["qr_png"].string ?? ""))))
            _ = try await frames.next("connected", seconds: 30) { $0.isStatus("connected") }
        }
        return try #require(device.get)
    }
}
