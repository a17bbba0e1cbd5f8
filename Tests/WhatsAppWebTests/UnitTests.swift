import ApplianceDomain
import ApplianceHTTPTestSupport
import Foundation
import Logging
import Testing
import WhatsAppWebFake
@testable import ApplianceWhatsAppWeb

/// The parts that need no browser.
@Suite struct WhatsAppWebUnitTests {
    @Test func pacingKeepsTheGapWithJitter() {
        var pacing = WebPacing()
        pacing.minGap = .seconds(30)
        pacing.jitter = 0.5
        var ledger = PacingLedger()
        #expect(ledger.earliest(now: 1_000_000, pacing: pacing) == nil)
        ledger.record(at: 1_000_000, pacing: pacing, jitter: 1)
        #expect(ledger.earliest(now: 1_000_001, pacing: pacing) == 1_045_000)
        #expect(ledger.earliest(now: 1_045_000, pacing: pacing) == nil)
        var low = PacingLedger()
        low.record(at: 0, pacing: pacing, jitter: 0)
        #expect(low.earliest(now: 1, pacing: pacing) == 30_000)
    }

    @Test func pacingCapsPerHourAndDay() {
        var pacing = WebPacing.none
        pacing.hourlyCap = 3
        pacing.dailyCap = 5
        var ledger = PacingLedger()
        let hour: Int64 = 3_600_000
        for t in [0, 10, 20] as [Int64] { ledger.record(at: t, pacing: pacing, jitter: 0) }
        #expect(ledger.earliest(now: 30, pacing: pacing) == hour, "the first of the last three leaves the hour")
        for t in [hour + 1, hour + 2] { ledger.record(at: t, pacing: pacing, jitter: 0) }
        #expect(ledger.earliest(now: hour + 3, pacing: pacing) == 86_400_000, "five in a day")
        #expect(ledger.earliest(now: 86_400_001, pacing: pacing) == nil)
    }

    @Test func typingTimeGrowsWithLengthUpToACap() {
        let pacing = WebPacing()
        #expect(pacing.typingPause(for: "12345") == .milliseconds(200))
        #expect(pacing.typingPause(for: String(repeating: "x", count: 10_000)) == .seconds(8))
        #expect(WebPacing.none.typingPause(for: "hello") == .zero)
    }

    @Test func defaultSelectorsCoverEveryElement() {
        for key in WebSelectors.Key.allCases {
            #expect(WebSelectors.defaults[key].count >= 2, "\(key.rawValue) needs fallbacks")
        }
    }

    @Test func operatorFileReplacesNamedElementsOnly() throws {
        let (overrides, unknown) = try WebSelectors.parse(Data(#"{"version":1,"selectors":{"composer":["div.x"],"bogus":["a"]}}"#.utf8))
        #expect(unknown == ["bogus"])
        let merged = WebSelectors.defaults.merging(overrides)
        #expect(merged[.composer] == ["div.x"])
        #expect(merged[.sentTick] == WebSelectors.defaults[.sentTick])
        #expect(throws: (any Error).self) { try WebSelectors.parse(Data(#"{"selectors":{"composer":[]}}"#.utf8)) }
        #expect(throws: (any Error).self) { try WebSelectors.parse(Data("not json".utf8)) }
    }

    @Test func unusableSelectorFileFallsBackToTheDefaults() throws {
        let path = NSTemporaryDirectory() + "/selectors-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("{broken".utf8).write(to: URL(fileURLWithPath: path))
        #expect(WebSelectors.load(path: path, logger: Logger(label: "test")) == WebSelectors.defaults)
        #expect(WebSelectors.load(path: path + ".absent", logger: Logger(label: "test")) == WebSelectors.defaults)
    }

    @Test func screensFromVisibleElements() {
        #expect(PageScreen(visible: [.loggedIn, .composer]) == .chat)
        #expect(PageScreen(visible: [.loggedIn, .invalidNumber, .composer]) == .invalidNumber)
        #expect(PageScreen(visible: [.qrReload]) == .qr)
        #expect(PageScreen(visible: [.loggedIn]) == .chats)
        #expect(PageScreen(visible: []) == .loading)
    }

    @Test func phonesOfRepliesAndChats() {
        #expect(WhatsAppWebPage.phone(fromMessageID: "false_33612345678@c.us_3EB0AB") == "+33612345678")
        #expect(WhatsAppWebPage.phone(fromMessageID: "false_123456789012345@lid_3EB0AB") == nil)
        #expect(WhatsAppWebPage.phone(fromMessageID: nil) == nil)
        #expect(UnreadChat(index: 0, count: 1, title: "+33 6 12 34 56 78").phone == "+33612345678")
        #expect(UnreadChat(index: 0, count: 1, title: "Jeanne Dupont").phone == nil)
        #expect(UnreadChat(index: 0, count: 1, title: "Shop 24").phone == nil)
    }

    @Test func messageTextInTheSendLink() {
        #expect(WhatsAppWebPage.queryEncoded("Hi Jeanne, #1001 = 49,90 €\nReply 1&2") == "Hi%20Jeanne%2C%20%231001%20%3D%2049%2C90%20%E2%82%AC%0AReply%201%262")
        #expect(WhatsAppWebPage.typable("a\nb") == "a\u{E008}\u{E007}\u{E008}b")
    }

    @Test func fakeQRCodeBitsRoundTrip() {
        let bits = QRCodeImage.bits("a1b2c3d4e5f6#12")!
        #expect(bits.count == 22 * 22)
        #expect(QRCodeImage.reference(fromBits: bits) == "a1b2c3d4e5f6#12")
        var broken = bits
        broken[20].toggle()
        #expect(QRCodeImage.reference(fromBits: broken) == nil)
    }

    @Test func linkStatesAsTheMerchantSeesThem() {
        #expect(WebLinkState.unknown.status(hasProfile: true).state == .linking)
        #expect(WebLinkState.unknown.status(hasProfile: false).state == .disconnected)
        let qr = WebLinkState.qr(png: "iVBOR", expiresAt: 42).status(hasProfile: true)
        #expect(qr.state == .qr && qr.qrPNG == "iVBOR" && qr.qrExpiresAt == 42)
        #expect(WebLinkState.expired("why").status(hasProfile: true).detail == "why")
    }
}

@Suite("WhatsApp Web: log redaction")
struct LogRedactionTests {
    @Test func phoneNumbersAreCutToTheirLastDigits() {
        #expect(LogRedaction.phones(in: "sending to +33612345678: no tick") == "sending to …678: no tick")
        #expect(LogRedaction.phones(in: "chat +33 6 12 34 56 78 left") == "chat …678 left")
        #expect(LogRedaction.phones(in: "timed out after 45 s, HTTP 404") == "timed out after 45 s, HTTP 404")
    }
}
