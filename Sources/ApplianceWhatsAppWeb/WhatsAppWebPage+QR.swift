import ApplianceCoding
import Foundation
import WebDriver

extension WhatsAppWebPage {
    /// The QR code's identity: its container's `data-ref` (WhatsApp changes it with each code),
    /// "" when the page has no such attribute, nil when no QR code is visible.
    func qrReference() async throws -> String? {
        try await session.executeScript(PageScript.qrRef, args: [list(.qrCode)]).stringValue
    }

    /// A PNG of the QR code element, nil when no QR code shows any more (it was scanned, or the
    /// page moved on between looking and taking the picture: the caller looks again).
    /// WhatsApp replaces the element when it rotates the code; a rotation between finding it and
    /// taking the picture (a stale element) is retried with the new one.
    func qrImage() async throws -> Data? {
        var attempt = 0
        while true {
            attempt += 1
            guard let element = try await element(.qrCode) else { return nil }
            do {
                return try await element.screenshot()
            } catch let error as WebDriverError where error.code == .staleElementReference {
                if attempt < 5 { continue }
                return nil
            }
        }
    }

    /// Clicks "reload QR code" when it is shown; returns whether it was.
    func reloadQR() async throws -> Bool {
        guard let button = try await element(.qrReload) else { return false }
        try await button.click()
        return true
    }
}
