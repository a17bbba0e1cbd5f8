import ApplianceCoding
import ApplianceDomain
import ApplianceServer
import ApplianceStorage
import ArgumentParser
import Foundation
import Logging
import NIOPosix

/// `bench boot`: builds a data directory with the real storage code (tenants, accounts,
/// settings, orders through the tenant actor and its journal, compaction snapshots plus a
/// journal tail), then times the release `serve` until `/healthz` answers and reads its RSS;
/// the same on an empty data directory gives the baseline.
struct BootBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boot",
        abstract: "Boot time and resident memory of serve on a large data directory.")

    @Option(help: "Tenants to create.") var tenants = 1000
    @Option(help: "Orders per tenant.") var ordersPerTenant = 1000
    @Option(help: "Orders per tenant written after the last snapshot (replayed from the JSON journal at boot).") var journalTail = 100
    @Option(help: "Fraction of orders the merchant confirmed (each adds a journal record and a timeline event).")
    var confirmedFraction = 0.5
    @Option(help: "Boots measured on each directory.") var runs = 3
    @Option(help: "Reuse this generated data directory instead of generating one.") var dataDir: String?
    @Flag(help: "Keep the generated data directory.") var keep = false
    @OptionGroup var binary: BinaryOption

    func run() async throws {
        let bin = try binary.resolve()
        let root = try makeTempDirectory("bench-boot")
        defer { if !keep { try? FileManager.default.removeItem(atPath: root) } }
        let full: String
        if let dataDir {
            full = dataDir
        } else {
            full = root + "/data"
            let started = ContinuousClock.now
            try await generate(into: full)
            print("generated \(tenants) tenants × \(ordersPerTenant) orders in \(ContinuousClock.now - started): \(describe(full))")
        }
        let empty = root + "/empty"
        try runCLI(bin, ["init", "--data-dir", empty])

        print("\nbinary: \(bin)")
        let baseline = try measure(bin: bin, dataDir: empty, label: "empty data dir", root: root)
        let loaded = try measure(bin: bin, dataDir: full, label: "\(tenants) × \(ordersPerTenant) orders", root: root,
                                 expectedOrders: tenants * ordersPerTenant)
        let orders = Double(tenants * ordersPerTenant)
        let perOrderReady = Double(loaded.rssReadyKiB - baseline.rssReadyKiB) * 1024 / orders
        let perOrderSettled = Double(loaded.rssSettledKiB - baseline.rssSettledKiB) * 1024 / orders
        print("""

        == boot summary (median of \(runs))
        time to /healthz:   \(format(loaded.readySeconds, 3)) s (empty dir: \(format(baseline.readySeconds, 3)) s); server CPU until then \(format(loaded.cpuSeconds)) s
        "data loaded" took: \(loaded.took)
        VmRSS at ready:     \(loaded.rssReadyKiB / 1024) MiB (empty dir: \(baseline.rssReadyKiB / 1024) MiB) → \(format(perOrderReady, 0)) bytes per order above baseline
        VmRSS settled (1 s): \(loaded.rssSettledKiB / 1024) MiB (empty dir: \(baseline.rssSettledKiB / 1024) MiB) → \(format(perOrderSettled, 0)) bytes per order above baseline
        VmHWM (peak):       \(loaded.hwmKiB / 1024) MiB (empty dir: \(baseline.hwmKiB / 1024) MiB)
        """)
        if keep { print("kept \(root)") }
    }

    struct Measurement {
        var readySeconds: Double
        var took: String
        var rssReadyKiB: Int
        var rssSettledKiB: Int
        var hwmKiB: Int
        var cpuSeconds: Double = 0
    }

    func measure(bin: String, dataDir: String, label: String, root: String, expectedOrders: Int? = nil) throws -> Measurement {
        var all: [Measurement] = []
        for run in 1...max(1, runs) {
            let server = try ServerRunner(binary: bin, dataDir: dataDir, port: try freePort(), logPath: root + "/serve-\(label.hashValue)-\(run).log")
            defer { server.stop() }
            let ready = try server.waitHealthy(attempts: 60_000, intervalMicros: 1_000)
            let rssReady = server.statusKiB("VmRSS") ?? 0
            if let expected = expectedOrders {
                // A boot that skipped tenants (damaged, unreadable) would look fast and small: refuse it.
                let orders = server.dataLoadedField("orders"), unavailable = server.dataLoadedField("unavailable")
                guard orders == String(expected), unavailable == "0" else {
                    throw BenchError("serve loaded orders=\(orders ?? "?") unavailable=\(unavailable ?? "?"), expected \(expected) orders and no unavailable tenant; run `check`")
                }
            }
            let cpu = server.cpuSeconds()
            usleep(1_000_000)
            let rssSettled = server.statusKiB("VmRSS") ?? 0
            let m = Measurement(readySeconds: Double(ready.components.seconds) + Double(ready.components.attoseconds) / 1e18,
                                took: (server.dataLoadedTook).map { $0 + " s" } ?? "?", rssReadyKiB: rssReady, rssSettledKiB: rssSettled,
                                hwmKiB: server.statusKiB("VmHWM") ?? 0, cpuSeconds: cpu.user + cpu.system)
            print("\(label) run \(run): /healthz after \(format(m.readySeconds, 3)) s (CPU \(format(m.cpuSeconds)) s), data loaded took \(m.took), "
                + "VmRSS \(m.rssReadyKiB / 1024) MiB at ready, \(m.rssSettledKiB / 1024) MiB 1 s later, VmHWM \(m.hwmKiB / 1024) MiB")
            all.append(m)
        }
        func median<T: Comparable>(_ f: (Measurement) -> T) -> T { all.map(f).sorted()[all.count / 2] }
        return Measurement(readySeconds: median(\.readySeconds), took: all.sorted { $0.readySeconds < $1.readySeconds }[all.count / 2].took,
                           rssReadyKiB: median(\.rssReadyKiB), rssSettledKiB: median(\.rssSettledKiB), hwmKiB: median(\.hwmKiB),
                           cpuSeconds: median(\.cpuSeconds))
    }

    func describe(_ dir: String) -> String {
        var bytes = 0, files = 0, snapshots = 0, segments = 0
        if let e = FileManager.default.enumerator(atPath: dir) {
            while let name = e.nextObject() as? String {
                if let size = (try? FileManager.default.attributesOfItem(atPath: dir + "/" + name))?[.size] as? Int {
                    bytes += size
                    files += 1
                }
                if name.hasSuffix(".bin") { snapshots += 1 }
                if name.hasSuffix(".jsonl") { segments += 1 }
            }
        }
        return "\(files) files (\(snapshots) snapshots, \(segments) journal segments), \(bytes / 1_048_576) MiB"
    }

    /// Writes the data directory through the real domain and storage code, as a server that
    /// has been running would have: accounts, settings, orders (some confirmed by the merchant),
    /// two compactions (the newest snapshot, the one before, the segment between) and a journal tail.
    func generate(into dir: String, settings extra: [String: JSONValue] = [:]) async throws {
        var logger = Logger(label: "bench-boot")
        logger.logLevel = .warning
        var options = ApplianceOptions.offline(dataDir: dir)
        options.storageThreads = 2
        let appliance = try await Appliance.open(options, ApplianceDependencies(logger: logger, onFatal: { error in fatalError("fsync failed: \(error)") }))
        let registry = appliance.registry
        let hash = PasswordHasher.owasp.hash("bench password")
        let factory = OrderFactory(targetBytes: 4096)
        let mapper = ShopifyOrderMapper()
        var templates: [IncomingOrder] = []
        for i in 0..<factory.templates.count {
            templates.append(try mapper.map(body: factory.body(index: i, id: 7_000_000_000_000_000_000, number: 1_000_000),
                                            shopDomain: "bench-shop.myshopify.com"))
        }
        let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
        let tenants = self.tenants, perTenant = ordersPerTenant, tail = min(journalTail, ordersPerTenant), fraction = confirmedFraction
        let templatesCopy = templates
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 1
            func add() {
                guard next <= tenants else { return }
                let t = next
                next += 1
                group.addTask {
                    try await Self.fill(registry: registry, tenant: t, orders: perTenant, tail: tail, confirmedFraction: fraction,
                                        hash: hash, templates: templatesCopy, nowMs: nowMs, settings: extra)
                }
            }
            add()
            add()
            var done = 0
            while try await group.next() != nil {
                done += 1
                if done % 100 == 0 { print("  \(done) tenants written") }
                add()
            }
        }
        await appliance.close()
    }

    static let firstNames = ["Amina", "Jessica", "Lucas", "Priya", "Mateo", "Olena", "Chloé", "Omar", "Noah", "Sofia", "Yusuf", "Mei",
                             "Fatima", "Liam", "Aisha", "Carlos", "Ingrid", "Kwame", "Hana", "Diego"]
    static let lastNames = ["Haddad", "Smith", "Martin", "Sharma", "García", "Kovalenko", "Dubois", "Farouk", "Nguyen", "Rossi",
                            "Okafor", "Tanaka", "Müller", "Silva", "Johansson", "Kowalski", "Benali", "Fernández", "Park", "Mensah"]
    static let windows = ["09:00-11:00", "11:00-13:00", "14:00-16:00", "16:00-18:00", "18:00-20:00"]
    static let dayFormatter: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f
    }()

    static func fill(registry: TenantRegistry, tenant t: Int, orders: Int, tail: Int, confirmedFraction: Double,
                     hash: String, templates: [IncomingOrder], nowMs: Int64, settings extra: [String: JSONValue] = [:]) async throws {
        let tenant = try await registry.create(email: "merchant\(t)@bench.example.com", passwordHash: hash)
        try await tenant.updateSettings([
            "shopify_webhook_secret": .string("shpss_\(UUID().uuidString)"), "shop_name": .string("Bench Shop \(t)"),
            "confirmation_mode": .string("ask"), "timezone": .string("Europe/Paris"),
        ].merging(extra) { $1 })
        let lastSnapshotAt = orders - tail
        // Writes go in chunks of concurrent writes, so the journal syncs a chunk at a time;
        // a chunk ends at each compaction point.
        var cuts = Set(stride(from: 200, to: orders, by: 200))
        for cut in [lastSnapshotAt / 2, lastSnapshotAt] where cut > 0 && cut < orders { cuts.insert(cut) }
        var start = 0
        for end in cuts.sorted() + [orders] where end > start {
            if start > 0 && (start == lastSnapshotAt / 2 || start == lastSnapshotAt) {
                try await tenant.startCompaction()?.value
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in start..<end {
                    let o = Self.order(templates[(t * 7 + i) % templates.count], tenant: t, index: i, of: orders, nowMs: nowMs)
                    let confirm = Double.random(in: 0..<1) < confirmedFraction
                    group.addTask {
                        try await tenant.apply(order: o, topic: .ordersCreate, webhookID: UUID().uuidString.lowercased())
                        if confirm { try await tenant.changeStatus(of: o.id, to: .confirmed) }
                    }
                }
                try await group.waitForAll()
            }
            start = end
        }
    }

    /// Order `i` of tenant `t`, made from a template with realistic variety: every customer has
    /// an own email address; delivery slots are a few windows per day; amounts differ.
    static func order(_ template: IncomingOrder, tenant t: Int, index i: Int, of orders: Int, nowMs: Int64) -> IncomingOrder {
        var o = template
        o.id = 7_000_000_000_000_000_000 + UInt64(t) * 10_000_000 + UInt64(i)
        o.number = "#\(1001 + i)"
        let created = nowMs - Int64(orders - i) * 600_000
        let (given, family) = (Self.firstNames[(t + i) % Self.firstNames.count], Self.lastNames[(t * 3 + i * 7) % Self.lastNames.count])
        o.customerName = "\(given) \(family)"
        o.email = "\(given.lowercased()).\(family.lowercased())\(i % 97)@example.com"
        let day = Date(timeIntervalSince1970: Double(created) / 1000 + 86_400)
        o.slot = "\(Self.dayFormatter.string(from: day)) \(Self.windows[i % Self.windows.count])"
        o.totalPrice = "\(10 + (i * 37) % 240).\(String(format: "%02d", (i * 13) % 100))"
        o.presentmentTotal = o.totalPrice
        o.createdAt = created
        o.updatedAt = created
        return o
    }
}
