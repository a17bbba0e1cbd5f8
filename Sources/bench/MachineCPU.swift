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

    /// The machine's cores.
    static var cores: Double { Double(ProcessInfo.processInfo.activeProcessorCount) }

    /// CPU seconds (user + system) of every process but this one and `pids`, from /proc: what
    /// else used the machine during a measurement (processes that ended count through their parent
    /// once it reaped them, so it is a lower bound).
    static func othersSeconds(excluding pids: [Int32]) -> Double {
        let skip = Set(pids + [getpid()])
        let tick = Double(sysconf(Int32(_SC_CLK_TCK)))
        var total = 0.0
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), !skip.contains(pid),
                  let text = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = text.lastIndex(of: ")") else { continue }
            let fields = text[text.index(after: close)...].split(separator: " ")
            // Kernel threads (children of kthreadd) do the load's own disk and network work.
            guard fields.count > 14, pid != 2, fields[1] != "2" else { continue }
            // utime + stime, and cutime + cstime of children that ended meanwhile (compilers).
            total += fields[11...14].reduce(0) { $0 + (Double($1) ?? 0) } / tick
        }
        return total
    }

    /// User + system seconds of this process.
    static func selfSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}
