import ApplianceDomain
import ApplianceStorage
import Metrics
import Prometheus

/// Makes Prometheus the swift-metrics backend of this process (once, before anything records)
/// and returns the registry `/metrics` reads.
enum MetricsBootstrap {
    static func prometheus() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Ingest and fsync live in the sub-millisecond to tens-of-milliseconds range.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(5),
        ]
        MetricsSystem.bootstrap(factory)
        StorageMetrics.register()
        DomainMetrics.register()
        return registry
    }
}
