import ApplianceCoding
import ArgumentParser
import Foundation
import ShopifyAdminFake

/// `bench writeback`: a backlog of queued Shopify write-backs drains at the Admin API's restore
/// rate, not slower, with the server nearly idle while it waits on the bucket. Writes one tenant
/// whose orders were all confirmed by hand (each with its `tagsAdd` journaled in the same record),
/// starts a local fake Admin API (a leaky bucket: `--bucket` points, refilled at
/// `--restore-rate` points/s, 10 points per mutation), boots the release `serve` against it and
/// follows the fake until every order is tagged.
struct WriteBackBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "writeback", abstract: "Rate and server CPU while serve drains queued Shopify write-backs against a throttling fake.")

    @Option(help: "Orders with a queued write-back.") var orders = 10_000
    @Option(help: "The fake's restore rate, points per second (Shopify: 100 Standard … 2,000 Enterprise).") var restoreRate = 500.0
    @Option(help: "The fake's bucket size (points).") var bucket = 1000.0
    @Flag(help: "Keep the generated data directory.") var keep = false
    @OptionGroup var binary: BinaryOption

    func run() async throws {
        let bin = try binary.resolve()
        let root = try makeTempDirectory("bench-writeback")
        defer { if !keep { try? FileManager.default.removeItem(atPath: root) } }
        let dataDir = root + "/data"
        let boot = try BootBench.parse(["--tenants", "1", "--orders-per-tenant", "\(orders)", "--confirmed-fraction", "1"])
        let started = ContinuousClock.now
        try await boot.generate(into: dataDir, settings: [
            "whatsapp_provider": "log", "confirmation_delay_minutes": 10_080,
            "shopify": ["admin_access_token": "shpat_fake_admin_token", "shop_domain": "bench-shop.myshopify.com"],
        ])
        print("generated \(orders) orders confirmed by hand, each with a queued tagsAdd, in \(ContinuousClock.now - started)")

        var configuration = ShopifyAdminFake.Configuration()
        configuration.restoreRate = restoreRate
        configuration.maximumAvailable = bucket
        let fake = try await ShopifyAdminFake.start(configuration)
        let server = try ServerRunner(binary: bin, dataDir: dataDir, port: try freePort(), logPath: root + "/serve.log",
                                      environment: ["LOG_LEVEL": "warning", "SHOPIFY_ADMIN_URL": fake.baseURL])
        defer { server.stop() }
        let ready = try server.waitHealthy(attempts: 60_000, intervalMicros: 1_000)
        let readyAt = ContinuousClock.now
        let cpuAtReady = server.cpuSeconds()
        // The burst the full bucket allows, then the paced part (the server waits on the bucket).
        let burst = Int(bucket / configuration.mutationCost)
        var pacedFrom: (at: ContinuousClock.Instant, cpu: Double, done: Int)?
        var done = 0
        let machineBefore = MachineCPU.sample()
        while done < orders {
            guard server.process.isRunning else { throw BenchError("serve exited:\n\(server.log.suffix(2000))") }
            done = fake.requests.lazy.filter { $0.answer == "ok" }.count
            if pacedFrom == nil, done >= burst + 10 {
                let cpu = server.cpuSeconds()
                pacedFrom = (.now, cpu.user + cpu.system, done)
            }
            if ContinuousClock.now - readyAt > .seconds(3600) { throw BenchError("only \(done) of \(orders) after an hour") }
            if done < orders { try await Task.sleep(for: .milliseconds(100)) }
        }
        let end = ContinuousClock.now
        let cpuEnd = server.cpuSeconds()
        let machine = MachineCPU.describe(machineBefore, MachineCPU.sample())
        let requests = fake.requests
        let throttled = requests.filter { $0.answer == "throttled" }.count
        let elapsed = (end - readyAt).seconds
        // The fastest the bucket allows: the burst, then (N − burst) × cost / restore rate.
        let floor = Double(max(0, orders - burst)) * configuration.mutationCost / restoreRate
        var paced = ""
        if let p = pacedFrom {
            let seconds = (end - p.at).seconds
            let cpu = cpuEnd.user + cpuEnd.system - p.cpu
            paced = """
            paced part (after the first \(p.done)): \(orders - p.done) write-backs in \(format(seconds)) s = \
            \(format(Double(orders - p.done) / seconds, 1))/s (the bucket allows \(format(restoreRate / configuration.mutationCost, 1))/s); \
            server CPU \(format(cpu)) s = \(format(cpu / seconds * 100, 1)) % of one core
            """
        }
        print("""

        == write-back drain (\(orders) queued tagsAdd, fake bucket \(Int(bucket)) points, restore \(Int(restoreRate)) points/s, 10 per mutation)
        serve ready (/healthz) after \(format(ready.seconds, 3)) s
        all \(orders) tagged \(format(elapsed)) s after ready; the bucket allows no less than \(format(floor)) s → \(format(floor / elapsed * 100, 1)) % of the restore rate
        \(paced)
        requests \(requests.count), THROTTLED answers \(throttled), most in flight at once \(fake.maxInFlight)
        server CPU over the whole drain \(format(cpuEnd.user + cpuEnd.system - cpuAtReady.user - cpuAtReady.system)) s; peak RSS (VmHWM) \((server.statusKiB("VmHWM") ?? 0) / 1024) MiB
        machine: \(machine)
        """)
        await fake.stop()
        if keep { print("kept \(root)") }
    }
}

/// `bench shopify-fake`: the fake Admin GraphQL API on its own, for demos
/// (`SHOPIFY_ADMIN_URL=http://127.0.0.1:<port> shopify-whatsapp serve`).
struct ShopifyFakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shopify-fake", abstract: "Run the local fake of Shopify's Admin GraphQL API (token shpat_fake_admin_token).")

    @Option(help: "Port on 127.0.0.1.") var port = 9090
    @Option(help: "Restore rate, points per second.") var restoreRate = 50.0
    @Option(help: "Bucket size, points.") var bucket = 1000.0
    @Option(help: "The accepted Admin API access token.") var token = "shpat_fake_admin_token"

    func run() async throws {
        var configuration = ShopifyAdminFake.Configuration()
        configuration.restoreRate = restoreRate
        configuration.maximumAvailable = bucket
        configuration.token = token
        let fake = try await ShopifyAdminFake.start(configuration, port: port)
        print("fake Shopify Admin API on \(fake.baseURL) (token \(token)); SHOPIFY_ADMIN_URL=\(fake.baseURL)")
        await fake.wait()
    }
}
