import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whole-machine CPU use from /proc/stat, and this process's own CPU time, to show whether a
/// measurement had the machine to itself.
enum MachineCPU {
    struct Sample {
        var busy: Double
        var total: Double
    }

    static func sample() -> Sample {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return Sample(busy: 0, total: 0) }
        let v = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard v.count >= 5 else { return Sample(busy: 0, total: 0) }
        let total = v.prefix(8).reduce(0, +)
        let idle = v[3] + v[4]
        return Sample(busy: total - idle, total: total)
    }

    static func describe(_ a: Sample, _ b: Sample) -> String {
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        let busy = (b.busy - a.busy) / max(1, b.total - a.total)
        return "\(format(busy * 100, 0)) % busy over \(Int(cores)) cores (all processes)"
    }

    /// User + system seconds of this process.
    static func selfSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}
