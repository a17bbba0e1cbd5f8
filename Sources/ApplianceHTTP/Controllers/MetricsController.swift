import ApplianceDomain
import Foundation
import Hummingbird
import NIOCore
import Prometheus

/// `GET /metrics`: the Prometheus text format. Open to loopback clients that did not come
/// through the reverse proxy (no `X-Forwarded-For`), or to anyone with
/// `Authorization: Bearer <metrics token>`; 404 otherwise, so the route stays invisible.
struct MetricsController {
    let registry: PrometheusCollectorRegistry
    let token: String?
    let services: ApplianceServices
    let startedAt = Date()

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("metrics") { request, context in
            guard allowed(request, context) else {
                throw APIError(status: .notFound, code: "not_found", message: "Not Found")
            }
            sampleProcess()
            var buffer: [UInt8] = []
            buffer.reserveCapacity(16 << 10)
            registry.emit(into: &buffer)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
    }

    func allowed(_ request: Request, _ context: AppRequestContext) -> Bool {
        if let token, !token.isEmpty, let given = request.bearerToken,
           HMACSHA256.constantTimeEquals(Array(given.utf8), Array(token.utf8)) {
            return true
        }
        let loopback = context.remoteAddress.map { $0 == "127.0.0.1" || $0 == "::1" || $0.hasPrefix("127.") } ?? false
        return loopback && request.headers[.init("X-Forwarded-For")!] == nil && request.headers[.init("Forwarded")!] == nil
    }

    /// Process gauges read at scrape time (Linux `/proc`).
    func sampleProcess() {
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
           let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) {
            registry.makeGauge(name: "process_resident_memory_bytes").set(Double(pages * Int(sysconf(Int32(_SC_PAGESIZE)))))
        }
        if let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            registry.makeGauge(name: "process_open_fds").set(Double(fds.count))
        }
        registry.makeGauge(name: "process_start_time_seconds").set(startedAt.timeIntervalSince1970)
        registry.makeGauge(name: "tenants").set(Double(services.registry.tenantIDs.count))
    }
}
