import ApplianceDomain
import Foundation
import Logging
import WebDriver

extension WhatsAppWeb {
    /// Every poll interval, a check of each linked tenant (after a short delay at start: until
    /// then tenants with a saved profile show `linking`).
    func healthLoop() async {
        do {
            try await Task.sleep(for: configuration.initialCheckDelay)
            while true {
                await checkAll()
                try await Task.sleep(for: configuration.pollInterval)
            }
        } catch {
            return
        }
    }

    /// One round of health checks, as many tenants at once as browsers are allowed.
    public func checkAll() async {
        let tenants = registry.readyTenants.sorted { $0.id < $1.id }
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for tenant in tenants {
                if Task.isCancelled { break }
                if running >= configuration.maxBrowsers {
                    await group.next()
                    running -= 1
                }
                group.addTask { await self.check(tenant) }
                running += 1
            }
        }
    }

    /// Whether a health check of the tenant is due: it uses WhatsApp Web, has a profile, is not
    /// linking or logged out (only a new link helps then), and was not seen logged in within
    /// the poll interval unless replies may wait.
    func needsCheck(_ tenant: Tenant) async -> Bool {
        guard await tenant.settings.whatsappProvider == .web, board.hasProfile(tenant.id) else { return false }
        switch board.state(tenant.id) {
        case .linking, .qr, .disconnected, .expired:
            return false
        case .connected(let verifiedAt):
            let fresh = clock.now() - verifiedAt < configuration.pollInterval.milliseconds
            if !fresh { return true }
            return await !tenant.replyCandidatePhones().isEmpty
        case .unknown, .error:
            return true
        }
    }

    /// Checks one tenant: is its profile still logged in (→ `connected` or `expired`)? While
    /// logged in, reads the unread replies of customers with open orders.
    public func check(_ tenant: Tenant) async {
        guard await needsCheck(tenant) else { return }
        let tenantID = tenant.id
        let browser: WebBrowser
        do {
            browser = try await withThrowingDeadline(configuration.timeouts.leaseWait) { [pool] in
                try await pool.lease(tenantID: tenantID, purpose: .health)
            }
        } catch {
            logger.debug("health check skipped: no browser", metadata: ["tenant": "\(tenantID)", "error": "\(error)"])
            return
        }
        let page = page(browser)
        let phones = await tenant.replyCandidatePhones()
        do {
            let healthy = try await withThrowingDeadline(configuration.timeouts.healthCheck) { [self] in
                try await checkPage(page, tenant: tenant, phones: phones)
            }
            await pool.release(browser, reusable: healthy, continuesSoon: false)
        } catch {
            await pool.release(browser, reusable: false)
            if Task.isCancelled { return }
            logger.warning("WhatsApp Web health check failed", metadata: ["tenant": "\(tenantID)", "error": "\(LogRedaction.phones(in: "\(error)"))"])
            if board.state(tenantID) == .unknown {
                await update(tenantID, .error("The saved WhatsApp Web session could not be checked: \(error)"))
            }
        }
    }

    /// Returns whether the browser may be kept (false after a logout).
    func checkPage(_ page: WhatsAppWebPage, tenant: Tenant, phones: Set<String>) async throws -> Bool {
        let tenantID = tenant.id
        // A kept browser may still show a chat: what arrived there was marked read at once (no
        // badge), so it is read before the page is loaded again.
        let openChat = await readOpenChat(page, tenant: tenant, phones: phones)
        try await page.open(configuration.baseURL)
        let screen = try await page.waitForScreen([.qr, .chats, .chat], timeout: configuration.timeouts.screen, step: "checking the session")
        guard screen != .qr else {
            // Still linking? Then the QR code is the linking flow's business, not a logout.
            guard !board.state(tenantID).isLinking else { return false }
            await update(tenantID, .expired(Self.loggedOutDetail))
            logger.warning("WhatsApp Web session expired", metadata: ["tenant": "\(tenantID)"])
            return false
        }
        await markConnected(tenantID)
        let unread = try await readReplies(page, tenant: tenant, phones: phones)
        logger.info("WhatsApp Web poll", metadata: [
            "tenant": "\(tenantID)", "open_chat_replies": "\(openChat)", "unread_chats_read": "\(unread.chats)",
            "replies_applied": "\(openChat + unread.replies)",
        ])
        // Reading opened chats: leave the last one, or its next messages would get no badge.
        do {
            try await page.leaveChat(baseURL: configuration.baseURL)
        } catch {
            return false
        }
        return true
    }

    /// Applies the replies in the chat the kept browser has open (the customer's messages after
    /// our last one; see ``WhatsAppWebPage/openChatReplies()``) from customers with open
    /// orders, each once. Returns how many were applied; a page that cannot be read gives 0.
    func readOpenChat(_ page: WhatsAppWebPage, tenant: Tenant, phones: Set<String>) async -> Int {
        let wanted = Set(phones.map { $0.filter(\.isNumber) })
        guard !wanted.isEmpty else { return 0 }
        let messages: [IncomingMessage]
        do {
            messages = try await page.openChatReplies()
        } catch {
            logger.debug("WhatsApp Web: the open chat could not be read", metadata: ["tenant": "\(tenant.id)", "error": "\(LogRedaction.phones(in: "\(error)"))"])
            return 0
        }
        var applied = 0
        for message in messages where wanted.contains(message.phone.filter(\.isNumber)) {
            do {
                try await tenant.applyReply(messageID: message.id, from: message.phone, text: message.text, payload: nil, contextID: nil)
            } catch {
                logger.warning("WhatsApp Web: a reply could not be stored", metadata: ["tenant": "\(tenant.id)", "error": "\(error)"])
                continue
            }
            applied += 1
            logger.info("WhatsApp Web reply", metadata: ["tenant": "\(tenant.id)", "from": "…\(message.phone.suffix(3))", "chat": "open"])
        }
        return applied
    }

    /// Opens the unread chats of `phones` (customers with open orders; others stay unread) and
    /// applies their messages as replies, each once. Returns the chats read and the replies applied.
    @discardableResult
    func readReplies(_ page: WhatsAppWebPage, tenant: Tenant, phones: Set<String>) async throws -> (chats: Int, replies: Int) {
        let wanted = Set(phones.map { $0.filter(\.isNumber) })
        guard !wanted.isEmpty else { return (0, 0) }
        var done: Set<String> = []
        var (chatsRead, applied) = (0, 0)
        for _ in 0..<20 {
            let chats = try await page.unreadChats()
            guard let chat = chats.first(where: { chat in
                guard let phone = chat.phone else { return false }
                let digits = phone.filter(\.isNumber)
                return wanted.contains(digits) && !done.contains(digits)
            }), let phone = chat.phone else { break }
            done.insert(phone.filter(\.isNumber))
            let messages: [IncomingMessage]
            do {
                messages = try await page.readUnread(chat, phone: phone)
            } catch let error as WebStepError {
                // This chat is tried again at the next check; the others now.
                logger.warning("WhatsApp Web: an unread chat could not be read", metadata: ["tenant": "\(tenant.id)", "error": "\(LogRedaction.phones(in: "\(error)"))"])
                continue
            } catch let error as WebDriverError where error.code == .staleElementReference {
                // The page changed under a step: the same, the chat waits for the next check.
                logger.warning("WhatsApp Web: an unread chat could not be read", metadata: ["tenant": "\(tenant.id)", "error": "\(LogRedaction.phones(in: "\(error)"))"])
                continue
            }
            chatsRead += 1
            for message in messages {
                try await tenant.applyReply(messageID: message.id, from: message.phone, text: message.text, payload: nil, contextID: nil)
                applied += 1
                // Never a customer's number in full in the logs.
                logger.info("WhatsApp Web reply", metadata: ["tenant": "\(tenant.id)", "from": "…\(message.phone.suffix(3))"])
            }
        }
        return (chatsRead, applied)
    }
}
