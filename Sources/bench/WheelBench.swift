import ApplianceDomain
import ArgumentParser
import Foundation
import Logging

/// `bench wheel`: the timer wheel alone: inserts/s, cancels/s, bytes per pending job, and a
/// million jobs firing over a week of simulated 1 s ticks with no early and no late fire.
struct WheelBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "wheel", abstract: "Timer wheel throughput, memory and accuracy.")

    @Option(help: "Jobs.") var jobs = 1_000_000
    @Option(help: "Largest delay in ticks (1 s ticks; default 7 days).") var maxDelay: Int64 = 7 * 86_400

    func run() async throws {
        var rng = SystemRandomNumberGenerator()
        let dues = (0..<jobs).map { _ in Int64.random(in: 1...maxDelay, using: &rng) }
        let keys = (0..<jobs).map { JobKey(tenantID: $0 % 1000 + 1, orderID: UInt64(7_000_000_000_000_000_000) + UInt64($0)) }

        let rss0 = residentBytes()
        var wheel = TimerWheel<JobKey>(startTick: 0)
        var handles: [TimerWheel<JobKey>.Handle] = []
        handles.reserveCapacity(jobs)
        let t0 = ContinuousClock.now
        for i in 0..<jobs { handles.append(wheel.insert(dueTick: dues[i], keys[i])) }
        let insertTime = seconds(ContinuousClock.now - t0)
        let rss1 = residentBytes()
        let perJob = Double(rss1 - rss0 - jobs * MemoryLayout<TimerWheel<JobKey>.Handle>.stride) / Double(jobs)

        let t1 = ContinuousClock.now
        for h in handles { wheel.cancel(h) }
        let cancelTime = seconds(ContinuousClock.now - t1)
        precondition(wheel.isEmpty)

        // Firing: a fresh wheel, advanced tick by tick over the whole span.
        var firing = TimerWheel<Int>(startTick: 0)
        for i in 0..<jobs { firing.insert(dueTick: dues[i], i) }
        var early = 0, late = 0, fired = 0
        var maxLateness: Int64 = 0
        let t2 = ContinuousClock.now
        var tick: Int64 = 0
        while tick < maxDelay {
            tick += 1
            firing.advance(to: tick) { i in
                fired += 1
                if dues[i] > tick { early += 1 }
                let lateness = tick - dues[i]
                if lateness > 1 { late += 1 }
                maxLateness = max(maxLateness, lateness)
            }
        }
        let drainTime = seconds(ContinuousClock.now - t2)

        // The server's scheduler: the wheel behind its lock plus the key → slot table, armed a
        // tenant's batch at a time as at boot, then disarmed one by one by key.
        let rss2 = residentBytes()
        let scheduler = MessageScheduler(clock: ManualClock(now: 0), logger: Logger(label: "bench-wheel"))
        let t3 = ContinuousClock.now
        var batch: [(key: JobKey, dueAt: Int64)] = []
        for i in 0..<jobs {
            batch.append((keys[i], dues[i] * 1000))
            if batch.count == 1000 || i == jobs - 1 {
                scheduler.arm(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        let armTime = seconds(ContinuousClock.now - t3)
        let schedulerPerJob = Double(residentBytes() - rss2) / Double(jobs)
        let t4 = ContinuousClock.now
        for key in keys { scheduler.disarm(key) }
        let disarmTime = seconds(ContinuousClock.now - t4)
        precondition(scheduler.pendingCount == 0)
        print("""
        == timer wheel, \(jobs) jobs, delays 1…\(maxDelay) ticks (1 s ticks)
        insert:   \(format(Double(jobs) / insertTime / 1e6, 2)) M/s (\(format(insertTime * 1000, 0)) ms)
        cancel:   \(format(Double(jobs) / cancelTime / 1e6, 2)) M/s (\(format(cancelTime * 1000, 0)) ms)
        memory:   \(format(perJob, 1)) bytes per pending job (RSS growth, without the benchmark's own handle array)
        firing:   \(fired) fired over \(maxDelay) ticks in \(format(drainTime * 1000, 0)) ms; early \(early), later than 1 tick \(late), max lateness \(maxLateness) tick(s)

        == the server's scheduler (wheel + key index behind a lock), \(jobs) jobs
        arm:      \(format(Double(jobs) / armTime / 1e6, 2)) M/s in batches of 1000 (\(format(armTime * 1000, 0)) ms)
        disarm:   \(format(Double(jobs) / disarmTime / 1e6, 2)) M/s by key (\(format(disarmTime * 1000, 0)) ms)
        memory:   \(format(schedulerPerJob, 1)) bytes per armed job (RSS growth)
        """)
    }

    func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

    func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let parts = text.split(separator: " ")
        return (Int(parts.count > 1 ? parts[1] : "0") ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
