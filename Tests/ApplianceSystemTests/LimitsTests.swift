import ApplianceDomain
import ApplianceTestSupport
import Foundation
import Synchronization
import Testing

/// What one signed Shopify delivery can cost the box: a stranger with a tenant of their own
/// sends validly signed orders with multi-megabyte fields. Every kept text is cut to 255
/// characters, so memory and disk grow with the number of orders, not with their size.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct LimitsTests {
    /// Resident memory of process `pid` in bytes (`VmRSS`).
    static func residentBytes(_ pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        let kib = try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
        return kib * 1024
    }

    /// Bytes of every file under `path`.
    static func folderBytes(_ path: String) throws -> Int {
        var total = 0
        let enumerator = try #require(FileManager.default.enumerator(atPath: path))
        while let name = enumerator.nextObject() as? String {
            let attributes = try FileManager.default.attributesOfItem(atPath: path + "/" + name)
            if attributes[.type] as? FileAttributeType == .typeRegular { total += (attributes[.size] as? Int) ?? 0 }
        }
        return total
    }

    /// An order whose customer name (the shipping address's) is `size` bytes and whose email is a quarter of that.
    static func hugeOrder(id: UInt64, size: Int) -> [UInt8] {
        let name = "Jessica " + String(repeating: "Ä", count: size / 2)
        var json = String(decoding: ShopifyClient.orderBody(id: id, number: 1000 + Int(id % 1000)), as: UTF8.self)
        if let shipping = json.range(of: "\"name\":\"Jessica Smith\"") {
            json.replaceSubrange(shipping, with: "\"name\":\"\(name)\"")
        }
        json = json.replacingOccurrences(of: "\"email\":\"jessica.smith@example.com\"",
                                         with: "\"email\":\"\(String(repeating: "x", count: size / 4))@example.com\"")
        return Array(json.utf8)
    }

    @Test func hugeFieldsKeepMemoryAndDiskBounded() throws {
        let harness = try SystemHarness()
        defer { harness.cleanup() }
        var running = try SystemTests.startMerchant(harness)
        let folder = harness.dataDir + "/\(running.userID)"
        let connection = try HTTPConnection(port: running.server.port)
        func post(_ id: UInt64, _ body: [UInt8]) throws {
            let response = try connection.send("POST", "/api/v1/webhooks/\(running.userID)/orders/create", headers: [
                ("Content-Type", "application/json"), ("X-Shopify-Topic", "orders/create"),
                ("X-Shopify-Webhook-Id", "huge-\(id)"), ("X-Shopify-Shop-Domain", "demo-shop.myshopify.com"),
                ("X-Shopify-Hmac-Sha256", ShopifySignature.sign(body: body, secret: SystemTests.secret)),
            ], body: body)
            try #require(response.status == 200, "order \(id): \(response.status) \(response.text)")
        }
        // Warm up with ordinary orders, so what is measured is the huge ones.
        for id in 1...20 as ClosedRange<UInt64> { try post(id, ShopifyClient.orderBody(id: id, number: 1000 + Int(id))) }
        let memoryBefore = try Self.residentBytes(running.server.process.processIdentifier)
        let diskBefore = try Self.folderBytes(folder)
        // 100 orders of about 2.5 MB each (a 2 MB name, a 0.5 MB email): 250 MB if they were kept whole.
        for id in 101...200 as ClosedRange<UInt64> { try post(id, Self.hugeOrder(id: id, size: 2 << 20)) }
        let memoryGrowth = try Self.residentBytes(running.server.process.processIdentifier) - memoryBefore
        let diskGrowth = try Self.folderBytes(folder) - diskBefore
        connection.close()
        #expect(diskGrowth < 1 << 20, "the tenant folder grew by \(diskGrowth) bytes for 100 orders")
        #expect(memoryGrowth < 16 << 20, "resident memory grew by \(memoryGrowth) bytes for 100 orders")

        let order = try HTTPConnection(port: running.server.port).json("GET", "/api/v1/admin/orders/150", token: running.token)
        let stored = try #require(try JSONSerialization.jsonObject(with: Data(order.body)) as? [String: Any])
        #expect((stored["customer_name"] as? String)?.count == 255)
        #expect(((stored["email"] as? String)?.count ?? 0) <= 255)

        // After a restart the server loads what was kept: the same small orders.
        running.server.stop()
        running.server = try harness.startServer()
        let reloaded = try HTTPConnection(port: running.server.port).json("GET", "/api/v1/admin/orders/150", token: running.token)
        #expect(reloaded.status == 200)
        let afterRestart = try Self.residentBytes(running.server.process.processIdentifier)
        #expect(afterRestart < memoryBefore + (16 << 20), "a restarted server holds \(afterRestart) bytes (before the huge orders: \(memoryBefore))")
    }

    @Test func concurrentWrongPasswordsGetAtMostFiveTries() throws {
        let harness = try SystemHarness()
        defer { harness.cleanup() }
        let running = try SystemTests.startMerchant(harness)
        let port = running.server.port
        // An email over 254 characters is refused first (422) and never counted.
        let long = String(repeating: "a", count: 250) + "@example.com"
        for _ in 0..<6 {
            let r = try HTTPConnection(port: port).json("POST", "/api/v1/auth/login", ["email": long, "password": "whatever-it-is"])
            #expect(r.status == 422, "\(r.status) \(r.text)")
        }
        // 40 wrong passwords at once for one email: each is counted when it starts.
        let statuses = Mutex<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 40) { _ in
            let status = (try? HTTPConnection(port: port).json("POST", "/api/v1/auth/login",
                                                               ["email": SystemTests.email, "password": "wrong password!"]).status) ?? -1
            statuses.withLock { $0.append(status) }
        }
        let all = statuses.withLock { $0 }
        #expect(all.count == 40 && !all.contains(-1), "\(all)")
        #expect(all.filter { $0 != 429 }.count <= 5, "answers: \(all.sorted())")
        #expect(all.filter { $0 == 401 }.count >= 1, "answers: \(all.sorted())")
    }

    @Test func errorBodiesCarryNoPathsOrErrno() throws {
        let harness = try SystemHarness()
        defer { harness.cleanup() }
        var running = try SystemTests.startMerchant(harness)
        running.server.stop()
        // The next account's folder cannot be made: a plain file stands where it would go.
        try Data("in the way".utf8).write(to: URL(fileURLWithPath: harness.dataDir + "/\(running.userID + 1)"))
        running.server = try harness.startServer()
        let response = try HTTPConnection(port: running.server.port).json(
            "POST", "/api/v1/auth/signup", ["email": "second@example.com", "password": "another password"])
        #expect(response.status == 503, "\(response.status) \(response.text)")
        #expect(response.object?["error"] != nil, "\(response.text)")
        for leak in [harness.dataDir, harness.root, "errno", "No such file", "File exists", "Not a directory", ".swift"] {
            #expect(!response.text.contains(leak), "the error body carries \(leak): \(response.text)")
        }
        // The operator's log has what lies behind it.
        running.server.stop()
        let log = try String(contentsOfFile: running.server.logPath, encoding: .utf8)
        #expect(log.contains(harness.dataDir), "the log should name the path")
    }

    @Test func oddDataRootEntriesAreSkippedAndTenantIDsAreCanonical() throws {
        let harness = try SystemHarness()
        defer { harness.cleanup() }
        var running = try SystemTests.startMerchant(harness)
        running.server.stop()
        // A copy of tenant 1 under an id past 2^31−1, a non-canonical one, and a stray file.
        let tenant = harness.dataDir + "/\(running.userID)"
        for name in ["2147483648", "01"] {
            try FileManager.default.copyItem(atPath: tenant, toPath: harness.dataDir + "/" + name)
        }
        try Data("stray".utf8).write(to: URL(fileURLWithPath: harness.dataDir + "/notes.txt"))
        running.server = try harness.startServer()
        let port = running.server.port
        // The real tenant is served; the odd entries are not tenants.
        let ok = try ShopifyClient.postOrder(try HTTPConnection(port: port), userID: running.userID, secret: SystemTests.secret,
                                             id: 42, number: 1042)
        #expect(ok.status == 200, "\(ok.status) \(ok.text)")
        for path in ["2147483648", "01", "+1", "4294967297", "-1", "1.0"] {
            let r = try ShopifyClient.postOrder(try HTTPConnection(port: port), userID: 0, secret: SystemTests.secret, id: 43, number: 1043,
                                                path: "/api/v1/webhooks/\(path)/orders/create")
            #expect(r.status == 404, "\(path): \(r.status) \(r.text)")
        }
        running.server.stop()
        let log = try String(contentsOfFile: running.server.logPath, encoding: .utf8)
        for name in ["2147483648", "01", "notes.txt"] { #expect(log.contains(name), "the boot log should name \(name)") }
        let check = try harness.cli(["check", "--data-dir", harness.dataDir])
        #expect(check.status == 1, "\(check)")
        for name in ["2147483648", "01", "notes.txt"] { #expect(check.stdout.contains(name), "\(check)") }
    }

    static func openFileDescriptors(_ pid: Int32) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count
    }

    @Test func slowClientsAreCutOffAtTheRequestAndIdleTimeouts() throws {
        let harness = try SystemHarness()
        defer { harness.cleanup() }
        let userID = try harness.initWithUser(email: SystemTests.email, password: SystemTests.password)
        let server = try harness.startServer(environment: ["REQUEST_TIMEOUT": "2", "IDLE_TIMEOUT": "4"])
        let port = server.port
        let pid = server.process.processIdentifier
        let before = try Self.openFileDescriptors(pid)
        let slowHeader = Array(("X-Slow: " + String(repeating: "a", count: 200)).utf8)
        let closedAfter = Mutex<[String: Double?]>([:])
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            guard let c = try? HTTPConnection(port: port) else { return }
            let result: (String, Double?)
            switch i {
            case 0:  // headers trickled, a byte every 250 ms, never ending
                try? c.sendRaw(Array("POST /api/v1/webhooks/\(userID)/orders/create HTTP/1.1\r\nHost: x\r\n".utf8))
                result = ("trickled head", c.secondsUntilClosed(limit: 10, trickle: slowHeader))
            case 1:  // a complete head, a body that never completes
                try? c.sendRaw(Array(("POST /api/v1/webhooks/\(userID)/orders/create HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nX-Shopify-Topic: orders/create\r\nContent-Length: 5000\r\n\r\n{").utf8))
                result = ("unfinished body", c.secondsUntilClosed(limit: 10, trickle: Array(repeating: UInt8(ascii: " "), count: 200)))
            case 2:  // a new connection that sends nothing
                result = ("silent", c.secondsUntilClosed(limit: 12))
            default:  // idle keep-alive after a complete request
                let ok = (try? c.send("GET", "/healthz").status) == 200
                result = ("idle keep-alive", ok ? c.secondsUntilClosed(limit: 12) : -1)
            }
            closedAfter.withLock { $0[result.0] = result.1 }
        }
        let closed = closedAfter.withLock { $0 }
        for name in ["trickled head", "unfinished body"] {
            let t = closed[name] ?? nil
            #expect(t.map { $0 >= 1.5 && $0 < 3.9 } == true, "\(name): closed after \(String(describing: t)) s (request timeout 2 s)")
        }
        for name in ["silent", "idle keep-alive"] {
            let t = closed[name] ?? nil
            #expect(t.map { $0 >= 3 && $0 < 8 } == true, "\(name): closed after \(String(describing: t)) s (idle timeout 4 s)")
        }
        // A hundred slow clients at once hold nothing once cut off.
        let slow = try (0..<100).map { _ in
            let c = try HTTPConnection(port: port)
            try c.sendRaw(Array("POST /api/v1/webhooks/\(userID) HTTP/1.1\r\nHost: x\r\nX-Slow: a".utf8))
            return c
        }
        for c in slow { #expect(c.secondsUntilClosed(limit: 12) != nil) }
        // The server's sockets are closed asynchronously: wait for its table to settle.
        var after = try Self.openFileDescriptors(pid)
        for _ in 0..<50 where after > before + 2 {
            Thread.sleep(forTimeInterval: 0.1)
            after = try Self.openFileDescriptors(pid)
        }
        #expect(after <= before + 2, "file descriptors: \(before) before, \(after) after the slow clients")
        // The server still works.
        #expect(try HTTPConnection(port: port).send("GET", "/healthz").status == 200)
    }
}
