import Foundation
import Testing

extension SystemTests {
    /// While `serve` holds the data directory, commands that write it are refused with exit 1
    /// and a one-line reason on stderr; `user list` and `check` work.
    @Test func writingCommandsAreRefusedWhileServingAndReadingOnesWork() async throws {
        let harness = try SystemHarness()
        defer { harness.cleanup() }
        let run = try Self.startMerchant(harness)

        let add = try harness.cli(["user", "add", "--data-dir", harness.dataDir, "--email", "second@example.com", "--password", "another password"])
        #expect(add.status == 1, "user add while serving: \(add)")
        let addLines = add.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(addLines.count == 1, "expected one line on stderr: \(add.stderr)")
        #expect(addLines.first?.contains("serve") == true, "the reason should name the running serve: \(add.stderr)")

        let reset = try harness.cli(["user", "reset-password", "--data-dir", harness.dataDir, "--email", Self.email, "--password", "changed password"])
        #expect(reset.status == 1, "reset-password while serving: \(reset)")
        #expect(reset.stderr.split(separator: "\n", omittingEmptySubsequences: true).count == 1, "\(reset.stderr)")

        let list = try harness.cli(["user", "list", "--data-dir", harness.dataDir])
        #expect(list.status == 0, "user list while serving: \(list)")
        #expect(list.stdout.contains(Self.email))
        #expect(!list.stdout.contains("second@example.com"))

        let check = try harness.cli(["check", "--data-dir", harness.dataDir])
        #expect(check.status == 0, "check while serving: \(check)")

        // Nothing was changed: the refused account does not exist, the old password still works.
        let refusedLogin = try HTTPConnection(port: run.server.port)
            .json("POST", "/api/v1/auth/login", ["email": "second@example.com", "password": "another password"])
        #expect(refusedLogin.status == 401)
        _ = try ShopifyClient.login(port: run.server.port, email: Self.email, password: Self.password)
        run.server.stop()
    }

    /// `check` exits 1 on a byte flipped in the middle of a journal, and 0 (with a warning) on a
    /// torn last record; the undamaged original still checks clean.
    @Test func checkReportsMidJournalDamageAndToleratesATornTail() async throws {
        let harness = try SystemHarness()
        defer { harness.cleanup() }
        let run = try Self.startMerchant(harness)
        let storm = OrderStorm(port: run.server.port, userID: run.userID, secret: Self.secret,
                               firstID: 6_300_000_000_000_000_001, triggerAfter: 60)
        let result = await storm.run(workers: 4, trigger: nil)
        #expect(result.unexpected.isEmpty, "\(result.unexpected.prefix(5))")
        run.server.stop()

        let fm = FileManager.default
        let clean = try harness.cli(["check", "--data-dir", harness.dataDir])
        #expect(clean.status == 0, "check of the undamaged directory: \(clean)")

        func copyWithJournal() throws -> (dir: String, journal: String) {
            let copy = harness.root + "/copy-\(UUID().uuidString.prefix(8))"
            try fm.copyItem(atPath: harness.dataDir, toPath: copy)
            let tenantDir = copy + "/\(run.userID)"
            let segments = try fm.contentsOfDirectory(atPath: tenantDir).filter { $0.hasPrefix("journal-") && $0.hasSuffix(".jsonl") }
            func size(_ name: String) -> Int {
                ((try? fm.attributesOfItem(atPath: tenantDir + "/" + name))?[.size] as? Int) ?? 0
            }
            guard let largest = segments.max(by: { size($0) < size($1) }) else {
                throw HarnessError("no journal segment in \(tenantDir)")
            }
            return (copy, tenantDir + "/" + largest)
        }

        // A flipped byte in the middle of the journal.
        let flipped = try copyWithJournal()
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: flipped.journal)))
        #expect(bytes.count > 20_000, "the journal should hold many records (\(bytes.count) bytes)")
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: flipped.journal))
        let damaged = try harness.cli(["check", "--data-dir", flipped.dir])
        #expect(damaged.status == 1, "check of a journal with a flipped byte: \(damaged)")
        #expect(damaged.stdout.contains("ERROR"), "\(damaged.stdout)")

        // A torn last record.
        let torn = try copyWithJournal()
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: torn.journal)))
        try Data(original.dropLast(17)).write(to: URL(fileURLWithPath: torn.journal))
        let tornCheck = try harness.cli(["check", "--data-dir", torn.dir])
        #expect(tornCheck.status == 0, "check of a torn tail: \(tornCheck)")
        #expect(tornCheck.stdout.contains("warning"), "\(tornCheck.stdout)")
    }

    /// `trigger-order --user-id N --url U` posts a signed order that then shows in the API.
    @Test func triggerOrderPostsAnOrderThatShowsInTheAPI() async throws {
        let harness = try SystemHarness()
        defer { harness.cleanup() }
        let run = try Self.startMerchant(harness)
        let trigger = try harness.cli(["trigger-order", "--data-dir", harness.dataDir, "--user-id", String(run.userID),
                                       "--url", "http://127.0.0.1:\(run.server.port)/"])
        #expect(trigger.status == 0, "trigger-order: \(trigger)")
        #expect(trigger.stdout.contains("HTTP 200"), "\(trigger.stdout)")

        let ids = try ShopifyClient.listOrderIDs(port: run.server.port, token: run.token)
        #expect(ids.count == 1)
        if let id = ids.first {
            let order = try HTTPConnection(port: run.server.port).json("GET", "/api/v1/admin/orders/\(id)", token: run.token)
            #expect(order.status == 200)
            #expect(order.object?["phone"] as? String == "+14155552671", "\(order.text)")
            #expect(order.object?["status"] as? String == "pending")
        }
        // A tenant without a secret is refused with a one-line reason.
        let unknown = try harness.cli(["trigger-order", "--data-dir", harness.dataDir, "--user-id", "999",
                                       "--url", "http://127.0.0.1:\(run.server.port)"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.split(separator: "\n").count == 1, "\(unknown.stderr)")
        run.server.stop()
    }

    /// `user reset-password --email E` reads the new password from stdin: afterwards the old
    /// password answers 401 and the new one 200.
    @Test func resetPasswordReadsTheNewPasswordFromStdin() async throws {
        let harness = try SystemHarness()
        defer { harness.cleanup() }
        _ = try harness.initWithUser(email: Self.email, password: Self.password)
        let newPassword = "a brand new passphrase"
        let reset = try harness.cli(["user", "reset-password", "--data-dir", harness.dataDir, "--email", "  Merchant@Example.com "],
                                    stdin: newPassword + "\n")
        #expect(reset.status == 0, "reset-password: \(reset)")

        let server = try harness.startServer()
        let old = try HTTPConnection(port: server.port).json("POST", "/api/v1/auth/login", ["email": Self.email, "password": Self.password])
        #expect(old.status == 401, "old password: \(old.status) \(old.text)")
        let new = try HTTPConnection(port: server.port).json("POST", "/api/v1/auth/login", ["email": Self.email, "password": newPassword])
        #expect(new.status == 200, "new password: \(new.status) \(new.text)")
        server.stop()
    }

    /// `--journal-sync` is `joint` or `per-file`: anything else is refused with a one-line
    /// reason before anything is served; `per-file` (`JOURNAL_SYNC`) serves and stores orders.
    @Test func journalSyncIsJointOrPerFile() async throws {
        let harness = try SystemHarness()
        defer { harness.cleanup() }
        let userID = try harness.initWithUser(email: Self.email, password: Self.password)
        let refused = try harness.cli(["serve", "--data-dir", harness.dataDir, "--port", String(try freeLocalPort()),
                                       "--journal-sync", "sometimes"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--journal-sync must be joint or per-file"), "\(refused.stderr)")

        let server = try harness.startServer(environment: ["JOURNAL_SYNC": "per-file"])
        let token = try ShopifyClient.login(port: server.port, email: Self.email, password: Self.password)
        try ShopifyClient.setSecret(port: server.port, token: token, secret: Self.secret)
        let trigger = try harness.cli(["trigger-order", "--data-dir", harness.dataDir, "--user-id", String(userID),
                                       "--url", "http://127.0.0.1:\(server.port)/"])
        #expect(trigger.stdout.contains("HTTP 200"), "\(trigger)")
        #expect(try ShopifyClient.listOrderIDs(port: server.port, token: token).count == 1)
        server.stop()
    }

    /// `serve` logs swift-log's text lines, or one JSON object per line with `LOG_FORMAT=json`;
    /// either way a refused webhook's request line carries the metadata set for the request.
    @Test func logLinesAreTextOrJSON() async throws {
        let harness = try SystemHarness()
        defer { harness.cleanup() }
        _ = try harness.initWithUser(email: Self.email, password: Self.password)
        for format in ["text", "json"] {
            let server = try harness.startServer(environment: ["LOG_FORMAT": format])
            let refused = try HTTPConnection(port: server.port).send(
                "POST", "/api/v1/webhooks/999999", headers: [("X-Request-Id", "log-test-\(format)")], body: Array("{}".utf8))
            #expect(refused.status == 404)
            server.stop()
            let line = server.log.split(separator: "\n").first { $0.contains("log-test-\(format)") }.map(String.init)
            #expect(line != nil, "no line with the request id in: \(server.log)")
            guard let line else { continue }
            if format == "json" {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                #expect(object?["msg"] as? String == "request")
                #expect(object?["level"] as? String == "notice")
                #expect(object?["status"] as? String == "404")
                #expect(object?["hb.request.id"] as? String == "log-test-json")
            } else {
                #expect(line.contains(" notice shopify-whatsapp: "), "\(line)")
                #expect(line.contains("hb.request.id=log-test-text"), "\(line)")
                #expect(line.contains("status=404"), "\(line)")
                #expect(line.hasSuffix("] request"), "\(line)")
            }
        }
    }
}
