import ApplianceDomain
import CoreMetrics
import Dispatch
import Hummingbird

/// Shopify deliveries by outcome and how long each took to answer (swift-metrics; a no-op
/// until `serve` bootstraps the Prometheus backend).
enum WebhookMetrics {
    /// The outcomes counted, as the `outcome` label of `webhooks_total`.
    enum Outcome: String, CaseIterable {
        case accepted, rejected, unauthorized, unknownTenant = "unknown_tenant", tooLarge = "too_large"
        case unavailable, invalid, error
    }

    static let counters: [Outcome: Counter] = Dictionary(uniqueKeysWithValues: Outcome.allCases.map {
        ($0, Counter(label: "webhooks_total", dimensions: [("outcome", $0.rawValue)]))
    })
    static let duration = CoreMetrics.Timer(label: "webhook_ingest_seconds")

    /// Creates every series now, so a scrape lists them (at zero) before the first delivery.
    static func register() {
        _ = (counters, duration)
    }

    /// Runs a delivery's handler, then counts its outcome and records its latency.
    static func measure(_ body: () async throws -> (Response, Outcome)) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            let (response, outcome) = try await body()
            record(outcome, start: start)
            return response
        } catch {
            record(Self.outcome(of: error), start: start)
            throw error
        }
    }

    /// Counts a delivery's outcome and records its latency from `start` (`DispatchTime` ns).
    static func record(_ outcome: Outcome, start: UInt64) {
        counters[outcome]?.increment()
        duration.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start))
    }

    static func outcome(of error: any Error) -> Outcome {
        let status: HTTPResponse.Status
        switch error {
        case let e as APIError: status = e.status
        case let e as DomainError: status = APIError(e).status
        case let e as HTTPError: status = e.status
        default: return .error
        }
        switch status.code {
        case 401: return .unauthorized
        case 404: return .unknownTenant
        case 413: return .tooLarge
        case 503: return .unavailable
        case 400..<500: return .invalid
        default: return .error
        }
    }
}
