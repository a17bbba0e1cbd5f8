import ApplianceDomain
import ApplianceStorage
import ArgumentParser
import Foundation

/// `bench heap`: loads tenants of a data directory in this process (the same loader `serve`
/// uses) and reports the resident memory they hold per order, with the share of the main parts.
/// Where `bench boot` says how much a booted server holds, this says what holds it.
struct HeapBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heap",
        abstract: "Heap bytes per stored order, loaded in process, with a breakdown.")

    @Option(help: "The data directory (e.g. one kept by `bench boot --keep`).") var dataDir: String
    @Option(help: "Tenants to load.") var tenants = 200

    func run() async throws {
        let data = DataDirectory(root: dataDir)
        let ids = try data.tenantIDs().prefix(tenants)
        let before = HeapUsage.residentAfterTrim()
        var states: [TenantState] = []
        for id in ids { states.append(try TenantLoader.readState(directory: data.tenantPath(id), fs: data.fs).0) }
        let after = HeapUsage.residentAfterTrim()
        let orders = states.reduce(0) { $0 + $1.orders.count }
        guard orders > 0 else { throw BenchError("no orders in \(dataDir)") }
        let breakdown = states.reduce(into: HeapBreakdown()) { $0.add($1) }
        let per = { (bytes: Int) in format(Double(bytes) / Double(orders), 1) }
        print("""
        \(states.count) tenants, \(orders) orders: \(per(after - before)) resident bytes per order (after malloc_trim)
          order tables (rows and texts): \(per(breakdown.orderTables))
          position index: \(per(breakdown.positionBytes)); delivery-id log: \(per(breakdown.webhookBytes))
        """)
        // A search that matches nothing reads every order: the cost of the orders API's `q=` per order.
        let started = ContinuousClock.now
        var matched = 0
        for state in states { matched += state.page(OrderQuery(limit: 50, text: "no such customer")).orders.count }
        let elapsed = ContinuousClock.now - started
        let micros = Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
        print("  text search (no match, every order read): \(format(micros * 1000 / Double(orders), 0)) ns per order, \(matched) matched")
        withExtendedLifetime(states) {}
    }
}
