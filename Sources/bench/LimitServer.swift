import ApplianceDomain
import ArgumentParser
import Foundation
import Hummingbird
#if canImport(Glibc)
import Glibc
#endif

/// `bench limit-server`: the stack's own limit for durable webhook ingest, the equivalent of
/// `../shared/tools/hb-limit` in its `scan` mode, so `bench ingest` can measure it in the same
/// run with the same client: Hummingbird 2, the HMAC-SHA256 check through libcrypto, a scan for
/// the order id, and one group-committed `write` + `fdatasync` per batch, answering 200 only
/// after the sync. Nothing else: no parsing, no state. A measuring stick, not a design.
struct LimitServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limit-server", abstract: "The stack's limit for durable ingest (used by `bench ingest`).",
        shouldDisplay: false)

    @Option var port: Int
    @Option(help: "Directory of its journal file.") var dir: String
    @Option(help: "Lines `<user_id> <secret>`: each tenant's Shopify signing secret.") var secretsFile: String

    func run() async throws {
        let commit = try GroupCommit(path: dir + "/journal.jsonl")
        var keys: [Int: [UInt8]] = [:]
        for line in try String(contentsOfFile: secretsFile, encoding: .utf8).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2, let id = Int(parts[0]) { keys[id] = Array(parts[1].utf8) }
        }
        let secrets = keys
        let router = Router()
        router.get("/healthz") { _, _ in "{\"status\":\"ok\"}" }
        router.post("/api/v1/webhooks/:uid") { request, context -> Response in
            guard let key = context.parameters.get("uid").flatMap(Int.init).flatMap({ secrets[$0] }) else { return Response(status: .notFound) }
            let body = try await request.body.collect(upTo: 5 << 20)
            let expected = body.withUnsafeReadableBytes { HMACSHA256.authenticationCode(for: $0, key: key) }
            guard let header = request.headers[.init("X-Shopify-Hmac-Sha256")!], let provided = Data(base64Encoded: header),
                  HMACSHA256.constantTimeEquals(expected, Array(provided)) else { return Response(status: .unauthorized) }
            let webhookID = request.headers[.init("X-Shopify-Webhook-Id")!] ?? ""
            let id = body.withUnsafeReadableBytes(Self.scanID) ?? 0
            await commit.append(Array("{\"t\":\"order\",\"id\":\(id),\"w\":\"\(webhookID)\"}\n".utf8))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{\"ok\":true}")))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await app.runService()
    }

    /// The first `"id":` number of the body.
    static func scanID(_ p: UnsafeRawBufferPointer) -> UInt64? {
        let key = Array("\"id\":".utf8)
        var i = 0
        while i + key.count < p.count {
            if p[i] == key[0], p[i + 1] == key[1], p[i + 2] == key[2], p[i + 3] == key[3], p[i + 4] == key[4] {
                var j = i + 5
                var v: UInt64 = 0
                while j < p.count, p[j] == 32 { j += 1 }
                while j < p.count, p[j] >= 48, p[j] <= 57 { v = v &* 10 &+ UInt64(p[j] - 48); j += 1 }
                return v
            }
            i += 1
        }
        return nil
    }
}

/// One thread that writes whatever accumulated and syncs it, then resumes everyone who was in
/// that batch (hb-limit's group commit).
final class GroupCommit: @unchecked Sendable {
    let condition = NSCondition()
    var buffer: [UInt8] = []
    var waiters: [CheckedContinuation<Void, Never>] = []
    let fd: Int32

    init(path: String) throws {
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { throw BenchError("cannot open \(path)") }
        Thread { self.loop() }.start()
    }

    func append(_ line: [UInt8]) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            condition.lock()
            buffer.append(contentsOf: line)
            waiters.append(c)
            condition.signal()
            condition.unlock()
        }
    }

    private func loop() {
        var local: [UInt8] = []
        var ready: [CheckedContinuation<Void, Never>] = []
        while true {
            condition.lock()
            while buffer.isEmpty { condition.wait() }
            swap(&local, &buffer)
            swap(&ready, &waiters)
            condition.unlock()
            local.withUnsafeBytes { p in
                var off = 0
                while off < p.count {
                    let n = write(fd, p.baseAddress! + off, p.count - off)
                    precondition(n > 0, "write failed")
                    off += n
                }
            }
            precondition(fdatasync(fd) == 0, "fdatasync failed")
            for w in ready { w.resume() }
            local.removeAll(keepingCapacity: true)
            ready.removeAll(keepingCapacity: true)
        }
    }
}
