import ApplianceDomain
import Foundation
import Logging
import WebDriver

extension WhatsAppWeb {
    /// Why a tenant's messages must wait instead of being sent now, or nil when they may go.
    func holdReason(_ tenantID: Int) -> String? {
        switch board.state(tenantID) {
        case .unknown:
            return board.hasProfile(tenantID) ? nil : Self.notLinkedHold
        case .linking, .qr:
            return "WhatsApp Web linking is in progress: messages wait until your phone is linked."
        case .connected, .error:
            return nil
        case .expired(let detail):
            return detail
        case .disconnected:
            return Self.notLinkedHold
        }
    }

    static let notLinkedHold = "WhatsApp Web is not linked: messages wait until you link your phone (WhatsApp tab, Connect, scan the QR code)."
    static let loggedOutDetail = "WhatsApp Web is logged out (the phone unlinked this device or the session expired): messages wait until you link again by scanning a new QR code."

    /// Sends one message from the tenant's WhatsApp (a provider attempt, journaled by the caller).
    func send(_ message: OutboundMessage) async -> SendOutcome {
        let tenantID = message.tenantID
        if let hold = holdReason(tenantID) { return .hold(reason: hold) }
        let browser: WebBrowser
        do {
            browser = try await withThrowingDeadline(configuration.timeouts.leaseWait) { [pool] in
                try await pool.lease(tenantID: tenantID, purpose: .send)
            }
        } catch {
            return .retry(reason: "WhatsApp Web: could not get a browser (\(error))")
        }
        // The state may have changed while the lease waited (a disconnect, a logout seen by a check).
        if let hold = holdReason(tenantID) {
            await pool.release(browser, reusable: true)
            return .hold(reason: hold)
        }
        let page = page(browser)
        let baseURL = configuration.baseURL
        let typing = configuration.pacing.typingPause(for: message.text)
        let result = await withDeadline(configuration.timeouts.send) {
            await page.send(to: message.to, text: message.text, baseURL: baseURL, typing: typing)
        }
        switch result {
        case .sent(let messageID):
            pacing.record(tenantID: tenantID, at: clock.now())
            await markConnected(tenantID)
            // The kept browser must not keep the customer's chat open: WhatsApp Web would mark
            // the answer read at once, with no unread badge for the poll to find.
            let left = await withDeadline(configuration.timeouts.screen) {
                do {
                    try await page.leaveChat(baseURL: baseURL)
                    return true
                } catch {
                    return false
                }
            }
            let continuesSoon = pacing.earliest(tenantID: tenantID, now: clock.now() + configuration.batchGrace.milliseconds) == nil
            await pool.release(browser, reusable: left, continuesSoon: continuesSoon)
            return .sent(messageID: messageID)
        case .invalidNumber:
            await markConnected(tenantID)
            await pool.release(browser, reusable: true, continuesSoon: true)
            return .failed(reason: "\(message.to) is not on WhatsApp (WhatsApp Web: the phone number shared via URL is invalid); not retried")
        case .loggedOut:
            await pool.release(browser, reusable: false)
            await update(tenantID, .expired(Self.loggedOutDetail))
            logger.warning("WhatsApp Web session expired", metadata: ["tenant": "\(tenantID)"])
            return .hold(reason: Self.loggedOutDetail)
        case .notSent(let reason):
            await pool.release(browser, reusable: false)
            logger.warning("WhatsApp Web send failed before Enter", metadata: ["tenant": "\(tenantID)", "reason": "\(reason)"])
            return .retry(reason: reason)
        case .unconfirmed(let reason):
            pacing.record(tenantID: tenantID, at: clock.now())
            await pool.release(browser, reusable: false)
            logger.warning("WhatsApp Web send unconfirmed", metadata: ["tenant": "\(tenantID)", "reason": "\(reason)"])
            return .unknown(reason: reason)
        }
    }

    /// "Send a test message to my own number" (``WhatsAppLinker``): only while connected; the
    /// message goes out in the background, paced like the others.
    public func sendTest(_ tenant: Tenant, to phone: String, text: String) async throws(DomainError) {
        let tenantID = tenant.id
        guard board.state(tenantID).isConnected else {
            let status = board.webLinkStatus(tenantID: tenantID)
            throw DomainError(.conflict, "WhatsApp Web is not connected (\(status.state.rawValue)): link your phone first")
        }
        let message = OutboundMessage(tenantID: tenantID, orderID: 0, to: phone, text: text, mode: .notify,
                                      templateParameters: [], replyPayloads: [], attempt: 1)
        let started = background { [self] in
            if let wait = pacing.earliest(tenantID: tenantID, now: clock.now()) {
                try? await Task.sleep(for: .milliseconds(max(0, wait - clock.now())))
            }
            let outcome = await send(message)
            logger.info("WhatsApp Web test message", metadata: ["tenant": "\(tenantID)", "to": "…\(phone.suffix(3))", "outcome": "\(outcome)"])
        }
        guard started else { throw DomainError(.conflict, "the server is shutting down") }
    }
}
