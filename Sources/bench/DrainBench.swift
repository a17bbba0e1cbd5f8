import ApplianceCoding
import ApplianceDomain
import ArgumentParser
import Foundation

/// `bench drain`: how fast the server works off a backlog of due confirmations. Writes tenants
/// whose orders all have their confirmation due (provider `log`, delay 0) with the real storage
/// code, boots the release `serve` on them and reads its `/metrics` until every confirmation is
/// journaled as sent: the timer wheel firing, the dispatcher, rendering, the provider and the
/// durable `sent` record of each order.
struct DrainBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drain", abstract: "Rate at which serve sends a backlog of due confirmations (log provider).")

    @Option(help: "Tenants to create.") var tenants = 100
    @Option(help: "Orders per tenant, each with its confirmation due.") var ordersPerTenant = 1000
    @Flag(help: "Keep the generated data directory.") var keep = false
    @Flag(help: "Only write the data directory (kept), for `bench ingest --seed-dir` to measure ingest during the drain.")
    var generateOnly = false
    @OptionGroup var binary: BinaryOption

    func run() async throws {
        let bin = try binary.resolve()
        let root = try makeTempDirectory("bench-drain")
        defer { if !keep && !generateOnly { try? FileManager.default.removeItem(atPath: root) } }
        let dataDir = root + "/data"
        let boot = try BootBench.parse(["--tenants", "\(tenants)", "--orders-per-tenant", "\(ordersPerTenant)", "--confirmed-fraction", "0"])
        let started = ContinuousClock.now
        try await boot.generate(into: dataDir, settings: ["whatsapp_provider": .string("log"), "confirmation_delay_minutes": .number(0)])
        let total = tenants * ordersPerTenant
        print("generated \(tenants) tenants × \(ordersPerTenant) orders with their confirmation due in \(ContinuousClock.now - started)")
        if generateOnly {
            print("kept \(dataDir)")
            return
        }

        let server = try ServerRunner(binary: bin, dataDir: dataDir, port: try freePort(), logPath: root + "/serve.log",
                                      environment: ["LOG_LEVEL": "warning"])
        defer { server.stop() }
        let ready = try server.waitHealthy(attempts: 60_000, intervalMicros: 1_000)
        let readyAt = ContinuousClock.now
        var samples: [(at: Duration, sent: Int)] = []
        var sent = 0
        while sent < total {
            guard server.process.isRunning else { throw BenchError("serve exited:\n\(server.log.suffix(2000))") }
            sent = try Self.sentCount(port: server.port)
            samples.append((ContinuousClock.now - readyAt, sent))
            if let last = samples.last, last.at > .seconds(600) { throw BenchError("only \(sent) of \(total) sent after 10 minutes") }
            if sent < total { try await Task.sleep(for: .milliseconds(20)) }
        }
        let done = ContinuousClock.now - readyAt
        let firstAt = samples.first { $0.sent > 0 }?.at ?? .zero
        let seconds = done.seconds, sendingSeconds = (done - firstAt).seconds
        print("""

        == drain summary (\(total) confirmations due at boot, log provider)
        serve ready (/healthz) after \(format(ready.seconds, 3)) s
        all \(sent) sent \(format(seconds, 2)) s after ready → \(format(Double(total) / seconds, 0)) messages/s \
        (\(format(Double(total) / sendingSeconds, 0)) messages/s from the first one sent)
        server CPU in all: \(format(server.cpuSeconds().user + server.cpuSeconds().system)) s; peak RSS (VmHWM) \((server.statusKiB("VmHWM") ?? 0) / 1024) MiB
        """)
        if keep { print("kept \(root)") }
    }

    /// The sum of the samples of `name` in `/metrics` (loopback needs no token).
    static func metric(port: Int, _ name: String) throws -> Double {
        let http = try BlockingHTTP(port: port)
        let (status, body) = try http.sendRaw("GET", "/metrics")
        guard status == 200 else { throw BenchError("/metrics answered \(status)") }
        var sum = 0.0
        for line in String(decoding: body, as: UTF8.self).split(separator: "\n")
        where line.hasPrefix(name + " ") || line.hasPrefix(name + "{") {
            sum += Double(line.split(separator: " ").last ?? "") ?? 0
        }
        return sum
    }

    /// `messages_total{outcome="sent",provider="log"}` from `/metrics` (loopback needs no token).
    static func sentCount(port: Int) throws -> Int {
        let http = try BlockingHTTP(port: port)
        let (status, body) = try http.sendRaw("GET", "/metrics")
        guard status == 200 else { throw BenchError("/metrics answered \(status)") }
        var sent = 0
        for line in String(decoding: body, as: UTF8.self).split(separator: "\n")
        where line.hasPrefix("messages_total{") && line.contains(#"outcome="sent""#) && line.contains(#"provider="log""#) {
            sent += Int(Double(line.split(separator: " ").last ?? "") ?? 0)
        }
        return sent
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
