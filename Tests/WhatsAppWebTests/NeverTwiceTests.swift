import ApplianceHTTPTestSupport
import ApplianceWhatsAppWeb
import Foundation
import HummingbirdTesting
import Testing
import WebDriver
import WhatsAppWebFake

extension WhatsAppWebBrowserTests {
    @Suite struct NeverTwice {
        /// The Enter key's WebDriver command reaches chromedriver (the key is dispatched, the
        /// message leaves) but its answer is lost, at once (a transport error) or by a timeout
        /// (the answer held past the 8 s command limit): the order's message ends `sent` (the
        /// tick shows) or `unknown`, after one attempt, and the customer got it exactly once.
        @Test(arguments: [false, true])
        func enterWhoseAnswerIsLostIsNeverSentAgain(timesOut: Bool) async throws {
            let fault = LostEnterAnswer(delay: timesOut ? .seconds(30) : nil)
            try await withWebApp(configure: { c in
                c.driver.answerHook = fault.hook
                if timesOut { c.driver.commandTimeout = .seconds(8) }
            }) { _, fake, client in
                let m = try await client.merchant("twice@example.com")
                _ = try await client.link(m, fake: fake)
                try await client.order(31, to: m, phone: "06 12 34 56 78", number: 1031)
                // A retry comes 15–30 s after a failed attempt (the Cloud API backoff): wait past it.
                let last = Box<JSON>()
                try await eventually(seconds: 60, "order 31 message sent or unknown") {
                    let order = try await client.order(31, of: m)
                    last.set(order)
                    return ["sent", "unknown"].contains(order["message"]["state"].string ?? "")
                }
                let message = (last.get ?? .missing)["message"]
                #expect(fault.enters == 1, "Enter was pressed once")
                #expect(fake.sent(to: "+33612345678").count == 1, "the customer got the message once: \(fake.sent(to: "+33612345678").map(\.at))")
                #expect(message["attempts"].int == 1, "\(message)")
                #expect(message["state"].string == "sent", "the tick showed: \(message)")
            }
        }
    }
}
