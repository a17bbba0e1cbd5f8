import ApplianceDomain
import Foundation
import Logging
import Synchronization
import WebDriver

extension WhatsAppWeb {
    /// `connect`: unless the tenant is linking, showing a QR code, connected, or has a saved
    /// profile not checked yet (then it is checked now), opens WhatsApp Web on the tenant's
    /// profile in the background: `linking` → `qr` (each new code published) → `connected`
    /// (browser closed, profile kept), or `disconnected` when the codes go unscanned.
    public func connect(_ tenant: Tenant) async throws(DomainError) -> WhatsAppStatus {
        let tenantID = tenant.id
        let (found, began) = board.beginLinking(tenantID)
        if began {
            let started = tasks.withLock { t -> Bool in
                guard !t.stopped else { return false }
                t.links[tenantID] = Task { [self] in
                    await link(tenantID)
                    _ = tasks.withLock { $0.links.removeValue(forKey: tenantID) }
                }
                return true
            }
            guard started else {
                board.set(tenantID, found)
                throw DomainError(.conflict, "the server is shutting down")
            }
            await notify(tenantID)
        } else if found == .unknown {
            background { [self] in
                guard let tenant = try? registry.tenant(tenantID) else { return }
                await check(tenant)
            }
        }
        return await tenant.whatsAppStatus
    }

    /// `disconnect`: stops linking, ends the tenant's browser (even mid-send), removes
    /// `chrome_data/<id>/` and leaves the tenant `disconnected`.
    public func disconnect(_ tenant: Tenant) async -> WhatsAppStatus {
        let tenantID = tenant.id
        board.set(tenantID, .disconnected(nil))
        let linking = tasks.withLock { $0.links.removeValue(forKey: tenantID) }
        linking?.cancel()
        await linking?.value
        await pool.terminate(tenantID: tenantID)
        let profile = configuration.profilePath(tenantID)
        do {
            if FileManager.default.fileExists(atPath: profile) { try FileManager.default.removeItem(atPath: profile) }
        } catch {
            logger.error("cannot remove the browser profile", metadata: ["tenant": "\(tenantID)", "path": "\(profile)", "error": "\(error)"])
        }
        await update(tenantID, .disconnected("Disconnected: the WhatsApp Web session was removed from this server. Click Connect to link again."))
        return await tenant.whatsAppStatus
    }

    /// The linking flow of `connect`.
    func link(_ tenantID: Int) async {
        let browser: WebBrowser
        do {
            browser = try await pool.lease(tenantID: tenantID, purpose: .link)
        } catch is CancellationError {
            return
        } catch {
            await update(tenantID, .error("Could not start the browser for WhatsApp Web: \(error)"))
            return
        }
        let page = page(browser)
        do {
            let outcome = try await withThrowingDeadline(configuration.linking.timeout + configuration.timeouts.screen) { [self] in
                try await showCodes(page, tenantID: tenantID)
            }
            switch outcome {
            case .linked:
                // Let WhatsApp Web store its keys in the profile before the browser closes.
                try await Task.sleep(for: configuration.linking.settle)
                await pool.release(browser, reusable: false)
                await markConnected(tenantID)
                logger.info("WhatsApp Web linked", metadata: ["tenant": "\(tenantID)"])
            case .gaveUp(let detail):
                await pool.release(browser, reusable: false)
                await update(tenantID, .disconnected(detail))
                logger.info("WhatsApp Web linking gave up", metadata: ["tenant": "\(tenantID)", "detail": "\(detail)"])
            }
        } catch is CancellationError {
            await pool.release(browser, reusable: false)
        } catch {
            await pool.release(browser, reusable: false)
            if Task.isCancelled { return }
            let detail = error is DeadlineExceeded
                ? "The QR code was not scanned in time. Click Connect to try again."
                : "WhatsApp Web could not be opened: \(error)"
            await update(tenantID, error is DeadlineExceeded ? .disconnected(detail) : .error(detail))
            logger.warning("WhatsApp Web linking failed", metadata: ["tenant": "\(tenantID)", "error": "\(LogRedaction.phones(in: "\(error)"))"])
        }
    }

    enum LinkOutcome: Sendable {
        case linked
        case gaveUp(String)
    }

    /// Opens WhatsApp Web and shows codes until the chat list appears or too many codes went
    /// unscanned.
    func showCodes(_ page: WhatsAppWebPage, tenantID: Int) async throws -> LinkOutcome {
        let linking = configuration.linking
        try await page.open(configuration.baseURL)
        if try await page.waitForScreen([.qr, .chats, .chat], timeout: configuration.timeouts.screen, step: "opening WhatsApp Web") != .qr {
            return .linked
        }
        let giveUp = "The QR code was not scanned (\(linking.maxCodes) codes shown). Click Connect to try again."
        let deadline = ContinuousClock.now + linking.timeout
        var codes = 0
        var lastRef: String?
        var lastImage: Data?
        while true {
            try Task.checkCancellation()
            switch try await page.screen() {
            case .chats, .chat:
                return .linked
            case .qr:
                if let ref = try await page.qrReference() {
                    // A code without a data-ref is compared by its image; a code gone before its
                    // picture was taken (scanned, rotated) is looked at again next round.
                    let image = ref.isEmpty || ref != lastRef ? try await page.qrImage() : nil
                    if let image, ref != lastRef || image != lastImage {
                        codes += 1
                        if codes > linking.maxCodes { return .gaveUp(giveUp) }
                        lastRef = ref
                        lastImage = image
                        let expires = clock.now() + linking.qrLifetime.milliseconds
                        await update(tenantID, .qr(png: image.base64EncodedString(), expiresAt: expires))
                    }
                } else if try await page.reloadQR() {
                    // WhatsApp stopped rotating and offers a reload: take it while codes remain.
                    if codes >= linking.maxCodes { return .gaveUp(giveUp) }
                }
            case .loading, .invalidNumber:
                break
            }
            if ContinuousClock.now >= deadline { return .gaveUp("The QR code was not scanned in time. Click Connect to try again.") }
            try await Task.sleep(for: configuration.timeouts.poll)
        }
    }
}
