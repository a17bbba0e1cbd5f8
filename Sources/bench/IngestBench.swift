import ArgumentParser
import Foundation
import NIOCore

/// `bench ingest`: signed ~8 KB `orders/create` deliveries over keep-alive connections against
/// the release binary's `serve`, then `GET /healthz` over the same connections.
struct IngestBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Acknowledged orders/s and latency of Shopify webhook ingest, compared with /healthz.")

    @Option(help: "Keep-alive HTTP/1.1 connections.") var connections = 32
    @Option(help: "Seconds of measured ingest (and of the limit's run before it).") var duration: Double = 10
    @Option(help: "Tenants the deliveries are spread over.") var tenants = 1
    @Option(help: "Seconds of unmeasured ingest before the measurement.") var warmup: Double = 2
    @Option(help: "Seconds of measured GET /healthz.") var healthzDuration: Double = 10
    @Option(help: "Distinct deliveries pre-generated (the run ends early if they run out).") var orders = 250_000
    @Option(help: "Approximate body size in bytes.") var bodyBytes = 8 * 1024
    @Flag(help: "Keep the temporary data directory.") var keep = false
    @Option(help: "WhatsApp provider of the tenants (log sends every confirmation through the log provider).") var provider = "web"
    @Option(help: "confirmation_delay_minutes of the tenants (0 = send right away).") var delay: Double = 30
    @Option(help: "Start from a copy of this data directory (e.g. one `bench boot --keep` made) instead of an empty one.")
    var seedDir: String?
    @Flag(help: "After the measured ingest, measure it again while `backup` runs back to back, and compare the p99s.")
    var backupDuring = false
    @Flag(inversion: .prefixedNo, help: "Measure the stack's own limit first (`bench limit-server`, hb-limit's equivalent) and print the ratio.")
    var limit = true
    @Option(help: "Other processes may use at most this share of the machine's CPU (0–1) during a measured run; above it the run is refused.")
    var maxOtherLoad = 0.1
    @Flag(help: "Report a run that other processes disturbed instead of refusing it (flagged NOISY).") var allowNoise = false
    @OptionGroup var binary: BinaryOption

    func run() async throws {
        let bin = try binary.resolve()
        let root = try makeTempDirectory("bench-ingest")
        let dataDir = root + "/data"
        print("binary: \(bin)\ndata:   \(dataDir)")
        // The stack's limit first, before the appliance runs (a seeded appliance starts working off
        // its due confirmations at once): the same client, connections, duration and kind of
        // deliveries, spread over as many tenants.
        var limitRun: LimitRun?
        if limit {
            let limitAccounts = (1...tenants).map { (id: $0, secret: Array("shpss_limit_\($0)_\(UUID().uuidString)".utf8)) }
            let factory = OrderFactory(targetBytes: bodyBytes)
            let requests = (0..<min(orders, 40_000)).map { i in
                let account = limitAccounts[i % limitAccounts.count]
                return ByteBuffer(bytes: factory.request(index: i, userID: account.id, id: 6_000_000_000_000_000_000 + UInt64(i),
                                                         number: 1_000_000 + i, secret: account.secret, webhookID: UUID().uuidString.lowercased()))
            }
            limitRun = try await measureLimit(root: root, accounts: limitAccounts, requests: requests[...])
        }
        if let seedDir {
            let started = ContinuousClock.now
            try runTool("/bin/cp", ["-a", seedDir, dataDir])
            print("copied \(seedDir) in \(ContinuousClock.now - started)")
        } else {
            try runCLI(bin, ["init", "--data-dir", dataDir])
        }
        let server = try ServerRunner(binary: bin, dataDir: dataDir, port: try freePort(), logPath: root + "/serve.log")
        defer {
            server.stop()
            if !keep { try? FileManager.default.removeItem(atPath: root) }
        }
        _ = try server.waitHealthy()

        // Tenants with their Shopify secrets.
        var accounts: [(id: Int, secret: [UInt8])] = []
        for t in 1...tenants {
            let http = try BlockingHTTP(port: server.port)
            let signup = try http.send("POST", "/api/v1/auth/signup", json: ["email": "bench\(t)@example.com", "password": "bench password \(t)"])
            guard signup.status == 201, let token = signup.body["access_token"] as? String,
                  let user = signup.body["user"] as? [String: Any], let id = user["id"] as? Int else {
                throw BenchError("signup failed: \(signup)")
            }
            let secret = "shpss_bench_secret_\(t)_\(UUID().uuidString)"
            let put = try http.send("PUT", "/api/v1/admin/settings", json: ["shopify_webhook_secret": secret, "confirmation_mode": "ask",
                                                                          "whatsapp_provider": provider, "confirmation_delay_minutes": delay], token: token)
            guard put.status == 200 else { throw BenchError("PUT settings failed: \(put)") }
            accounts.append((id, Array(secret.utf8)))
        }

        // Distinct signed deliveries, built before anything is measured.
        let genStart = ContinuousClock.now
        let factory = OrderFactory(targetBytes: bodyBytes)
        let total = orders
        let accountList = accounts
        let requests = Array(unsafeUninitializedCapacity: total) { (buffer: inout UnsafeMutableBufferPointer<ByteBuffer>, count: inout Int) in
            let base = buffer.baseAddress!
            let box = UnsafeSendable(base)
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                let allocator = ByteBufferAllocator()
                var i = part
                while i < total {
                    let account = accountList[i % accountList.count]
                    let bytes = factory.request(index: i, userID: account.id, id: 7_000_000_000_000_000_000 + UInt64(i),
                                                number: 1_000_000 + i % 9_000_000, secret: account.secret,
                                                webhookID: UUID().uuidString.lowercased())
                    (box.pointer + i).initialize(to: allocator.buffer(bytes: bytes))
                    i += 2
                }
            }
            count = total
        }
        let avgBody = requests.prefix(64).reduce(0) { $0 + $1.readableBytes } / min(64, requests.count)
        print("generated \(total) distinct signed deliveries (average request \(avgBody) bytes incl. headers) in \(ContinuousClock.now - genStart)")

        let pool = RequestPool(requests)
        let client = try await LoadClient.connect(port: server.port, connections: connections)
        let perConnection = total / connections + 1
        if warmup > 0 {
            let (w, _) = try await client.run(source: pool, seconds: warmup, expectedPerConnection: perConnection)
            print("warm-up: \(w.ok) acknowledged in \(warmup) s")
        }
        let cpu0 = server.cpuSeconds()
        let machine0 = MachineCPU.sample(), self0 = MachineCPU.selfSeconds()
        let others0 = MachineCPU.othersSeconds(excluding: [server.pid])
        let sent0 = (try? DrainBench.metric(port: server.port, "messages_total")) ?? 0
        let commits0 = (try? DrainBench.metric(port: server.port, "journal_group_commits_total")) ?? 0
        let syncs0 = (try? DrainBench.metric(port: server.port, "journal_syncs_total")) ?? 0
        let ingestStart = ContinuousClock.now
        let (ingest, ingestElapsed) = try await client.run(source: pool, seconds: duration, expectedPerConnection: perConnection)
        let sentDuring = ((try? DrainBench.metric(port: server.port, "messages_total")) ?? 0) - sent0
        let commits = ((try? DrainBench.metric(port: server.port, "journal_group_commits_total")) ?? 0) - commits0
        let syncs = ((try? DrainBench.metric(port: server.port, "journal_syncs_total")) ?? 0) - syncs0
        let cpu1 = server.cpuSeconds()
        let machine1 = MachineCPU.sample(), self1 = MachineCPU.selfSeconds()
        let othersLoad = (MachineCPU.othersSeconds(excluding: [server.pid]) - others0) / ingestElapsed / MachineCPU.cores
        let ran = ingestElapsed
        let rate = Double(ingest.ok) / ran
        let lat = LatencySummary(ingest.latencies)
        let non2xx = ingest.statuses.filter { !(200..<300).contains($0.key) }
        print("""

        == ingest: POST /api/v1/webhooks/<id> (orders/create), \(connections) connections, \(tenants) tenant(s), \(format(ran)) s\(pool.handedOut >= total ? " (pool of deliveries ran out)" : "")
        acknowledged:  \(ingest.ok) → \(format(rate, 0)) orders/s
        latency:       \(lat.line)
        errors:        non-2xx \(non2xx.isEmpty ? "none" : "\(non2xx)"), connection errors \(ingest.errors.count)\(ingest.errors.isEmpty ? "" : " e.g. \(ingest.errors.prefix(3))")
        server CPU:    user \(format(cpu1.user - cpu0.user)) s + system \(format(cpu1.system - cpu0.system)) s \
        = \(format((cpu1.user - cpu0.user + cpu1.system - cpu0.system) / ran * 100, 0)) % of one core, \
        \(format((cpu1.user - cpu0.user + cpu1.system - cpu0.system) / Double(max(ingest.ok, 1)) * 1e6, 1)) µs per order
        bench CPU:     \(format((self1 - self0) / ran * 100, 0)) % of one core (client, all threads)
        machine:       \(MachineCPU.describe(machine0, machine1))
        group commits: \(Int(commits)) journal batches made durable by \(Int(syncs)) syncs (one fdatasync, or one syncfs for several journals) → \(format(Double(ingest.ok) / max(syncs, 1), 1)) orders per sync
        confirmations: \(Int(sentDuring)) sent meanwhile (all providers and outcomes) → \(format(sentDuring / ran, 0)) messages/s
        other processes: \(format(othersLoad * 100, 1)) % of the machine
        """)
        if let limitRun {
            let noisy = max(othersLoad, limitRun.othersLoad) > maxOtherLoad
            print("""

            == ratio ingest / limit: \(format(rate / limitRun.rate, 2))\(noisy ? "  NOISY" : "") \
            (appliance \(format(rate, 0))/s p99 \(format(lat.percentileMs(99), 2)) ms, limit \(format(limitRun.rate, 0))/s p99 \(format(limitRun.p99, 2)) ms)
            """)
            if noisy {
                let message = "other processes used \(format(max(othersLoad, limitRun.othersLoad) * 100, 1)) % of the machine during a measured run (at most \(format(maxOtherLoad * 100, 0)) % allowed): the figures are not comparable"
                guard allowNoise else { throw BenchError("refused: \(message); rerun on a quiet machine, or pass --allow-noise to see them flagged") }
                print("NOISY: \(message)")
            }
        }

        if backupDuring {
            try await ingestDuringBackups(bin: bin, dataDir: dataDir, root: root, client: client, pool: pool,
                                          perConnection: perConnection, baselineP99: lat.percentileMs(99))
        }

        let healthzRequest = ByteBuffer(string: "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n")
        let source = RepeatedRequest(healthzRequest)
        _ = try await client.run(source: source, seconds: 1, expectedPerConnection: 100_000)
        let hcpu0 = server.cpuSeconds()
        let hm0 = MachineCPU.sample(), hs0 = MachineCPU.selfSeconds()
        let (health, healthElapsed) = try await client.run(source: source, seconds: healthzDuration, expectedPerConnection: 100_000)
        let hcpu1 = server.cpuSeconds()
        let hm1 = MachineCPU.sample(), hs1 = MachineCPU.selfSeconds()
        let healthRate = Double(health.ok) / healthElapsed
        let hl = LatencySummary(health.latencies)
        print("""

        == GET /healthz, same \(connections) connections, \(format(healthElapsed)) s
        answered:      \(health.ok) → \(format(healthRate, 0)) requests/s
        latency:       \(hl.line)
        errors:        non-2xx \(health.statuses.filter { !(200..<300).contains($0.key) }), connection errors \(health.errors.count)
        server CPU:    \(format((hcpu1.user - hcpu0.user + hcpu1.system - hcpu0.system) / healthElapsed * 100, 0)) % of one core, \
        \(format((hcpu1.user - hcpu0.user + hcpu1.system - hcpu0.system) / Double(max(health.ok, 1)) * 1e6, 1)) µs per request
        bench CPU:     \(format((hs1 - hs0) / healthElapsed * 100, 0)) % of one core
        machine:       \(MachineCPU.describe(hm0, hm1))

        == ratio ingest / healthz: \(format(rate / healthRate, 3))
        """)
        await client.close()

        // Every acknowledged delivery must be stored: compare with the server's own count.
        var stored = 0
        for t in 1...tenants {
            let http = try BlockingHTTP(port: server.port)
            let login = try http.send("POST", "/api/v1/auth/login", json: ["email": "bench\(t)@example.com", "password": "bench password \(t)"])
            guard let token = login.body["access_token"] as? String else { throw BenchError("login failed") }
            let analytics = try http.send("GET", "/api/v1/admin/analytics", token: token)
            stored += analytics.body["total_orders"] as? Int ?? 0
        }
        print("stored orders (analytics total_orders over tenants): \(stored); handed-out deliveries: \(pool.handedOut)")
        if provider == "log" && delay == 0 {
            // Drain: wait until every stored order's confirmation went out through the log provider.
            var sent = 0
            var polls = 0
            while polls < 6000 {
                sent = 0
                for t in 1...tenants {
                    let http = try BlockingHTTP(port: server.port)
                    let login = try http.send("POST", "/api/v1/auth/login", json: ["email": "bench\(t)@example.com", "password": "bench password \(t)"])
                    guard let token = login.body["access_token"] as? String else { throw BenchError("login failed") }
                    let analytics = try http.send("GET", "/api/v1/admin/analytics", token: token)
                    sent += ((analytics.body["messages"] as? [String: Any])?["sent"] as? Int) ?? 0
                }
                if sent >= stored { break }
                polls += 1
                try await Task.sleep(for: .milliseconds(100))
            }
            let drained = ContinuousClock.now - ingestStart
            let seconds = Double(drained.components.seconds) + Double(drained.components.attoseconds) / 1e18
            print("drain: \(sent) of \(stored) confirmations sent (log provider, delay 0) \(format(seconds)) s after ingest began → \(format(Double(sent) / seconds, 0)) messages/s overall")
        }
        print("server peak RSS (VmHWM): \((server.statusKiB("VmHWM") ?? 0) / 1024) MiB")
    }
}

/// What the stack's limit did in this run.
struct LimitRun {
    var rate: Double
    var p99: Double
    /// The share of the machine other processes used meanwhile.
    var othersLoad: Double
}

extension IngestBench {
    /// The stack's own limit (``LimitServer``) under the same client, connections and
    /// deliveries, for `duration` seconds after the same warm-up.
    func measureLimit(root: String, accounts: [(id: Int, secret: [UInt8])], requests: ArraySlice<ByteBuffer>) async throws -> LimitRun {
        let dir = root + "/limit"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // Each tenant's signing secret, so the limit checks the very signatures the appliance checks.
        let secrets = accounts.map { "\($0.id) \(String(decoding: $0.secret, as: UTF8.self))" }.joined(separator: "\n")
        try secrets.write(toFile: dir + "/secrets", atomically: true, encoding: .utf8)
        let port = try freePort()
        let server = try ServerRunner(binary: CommandLine.arguments[0], dataDir: dir, port: port, logPath: root + "/limit.log",
                                      arguments: ["limit-server", "--port", String(port), "--dir", dir, "--secrets-file", dir + "/secrets"])
        defer { server.stop() }
        _ = try server.waitHealthy()
        let client = try await LoadClient.connect(port: port, connections: connections)
        let pool = CyclingPool(requests)
        if warmup > 0 { _ = try await client.run(source: pool, seconds: warmup, expectedPerConnection: Int(max(duration, warmup) * 40_000) / connections + 1) }
        let others0 = MachineCPU.othersSeconds(excluding: [server.pid])
        let (run, elapsed) = try await client.run(source: pool, seconds: duration, expectedPerConnection: Int(max(duration, warmup) * 40_000) / connections + 1)
        let othersLoad = (MachineCPU.othersSeconds(excluding: [server.pid]) - others0) / elapsed / MachineCPU.cores
        await client.close()
        let rate = Double(run.ok) / elapsed
        let lat = LatencySummary(run.latencies)
        let non2xx = run.statuses.filter { !(200..<300).contains($0.key) }
        guard non2xx.isEmpty, run.errors.isEmpty else { throw BenchError("the limit server answered \(non2xx), errors \(run.errors.prefix(3))") }
        print("""

        == the stack's limit (`bench limit-server`: Hummingbird + HMAC + id scan + group-committed fdatasync), \(connections) connections, \(format(elapsed)) s
        acknowledged:  \(run.ok) → \(format(rate, 0)) orders/s
        latency:       \(lat.line)
        other processes: \(format(othersLoad * 100, 1)) % of the machine
        """)
        return LimitRun(rate: rate, p99: lat.percentileMs(99), othersLoad: othersLoad)
    }

    /// The same ingest again while `backup` runs back to back on the served data directory.
    func ingestDuringBackups(bin: String, dataDir: String, root: String, client: LoadClient, pool: RequestPool,
                             perConnection: Int, baselineP99: Double) async throws {
        let stop = ManagedAtomicFlag()
        let backups = Task.detached { () -> [Double] in
            var seconds: [Double] = []
            var n = 0
            while !stop.isSet {
                n += 1
                let out = root + "/backup-\(n).tar.gz"
                let started = ContinuousClock.now
                try runCLI(bin, ["backup", "--data-dir", dataDir, "--out", out])
                let took = ContinuousClock.now - started
                seconds.append(Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18)
                try? FileManager.default.removeItem(atPath: out)
            }
            return seconds
        }
        try await Task.sleep(for: .milliseconds(200))
        let (during, elapsed) = try await client.run(source: pool, seconds: duration, expectedPerConnection: perConnection)
        stop.set()
        let times = try await backups.value
        let lat = LatencySummary(during.latencies)
        print("""

        == ingest while backups run back to back (\(times.count) backups of the whole data directory, \(times.map { format($0, 1) }.joined(separator: ", ")) s each)
        acknowledged:  \(during.ok) → \(format(Double(during.ok) / elapsed, 0)) orders/s
        latency:       \(lat.line)
        p99 during backups / p99 without: \(format(lat.percentileMs(99) / baselineP99, 2))
        """)
    }
}

/// A flag set once from one task and read from another.
final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

/// Runs a tool and fails on a non-zero exit.
func runTool(_ path: String, _ arguments: [String]) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = arguments
    try p.run()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw BenchError("\(path) \(arguments.joined(separator: " ")) exited \(p.terminationStatus)") }
}

/// Runs a CLI command of the binary and fails on a non-zero exit.
func runCLI(_ bin: String, _ arguments: [String]) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: bin)
    p.arguments = arguments
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw BenchError("\(arguments.joined(separator: " ")) exited \(p.terminationStatus)") }
}

/// Lets disjoint parts of one buffer be filled from `concurrentPerform` workers.
struct UnsafeSendable<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}
