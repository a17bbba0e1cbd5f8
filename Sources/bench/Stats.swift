/// Exact percentiles over a full set of samples (sorted once; nearest-rank).
struct LatencySummary {
    let count: Int
    let sortedNanos: [UInt64]

    init(_ samples: [UInt64]) {
        sortedNanos = samples.sorted()
        count = samples.count
    }

    /// The nearest-rank percentile `p` (0...100), in milliseconds.
    func percentileMs(_ p: Double) -> Double {
        guard count > 0 else { return 0 }
        let rank = Int((p / 100 * Double(count)).rounded(.up))
        return Double(sortedNanos[max(0, min(count - 1, rank - 1))]) / 1e6
    }

    var maxMs: Double { Double(sortedNanos.last ?? 0) / 1e6 }
    var meanMs: Double { count == 0 ? 0 : Double(sortedNanos.reduce(0, &+)) / Double(count) / 1e6 }

    var line: String {
        "p50 \(format(percentileMs(50), 3)) ms, p90 \(format(percentileMs(90), 3)) ms, p99 \(format(percentileMs(99), 3)) ms, "
            + "p99.9 \(format(percentileMs(99.9), 3)) ms, max \(format(maxMs, 3)) ms (mean \(format(meanMs, 3)) ms)"
    }
}
