import SeededRandom
import Testing
@testable import ApplianceDomain

/// The scheduler's key → wheel slot table, held against a dictionary through random arms,
/// cancels and firings (growth, tombstones and their sweeps included).
@Suite struct JobSlotsTests {
    @Test func agreesWithADictionaryThroughRandomOperations() {
        var rng = SplitMix(seed: 2026)
        var wheel = TimerWheel<JobKey>(startTick: 0)
        var slots = JobSlots()
        var model: [JobKey: TimerWheel<JobKey>.Handle] = [:]
        func randomKey() -> JobKey {
            JobKey(tenantID: Int(rng.next() % 7), orderID: rng.next() % 3000)
        }
        for step in 0..<60_000 {
            switch rng.next() % 10 {
            case 0..<6:  // arm (or re-arm)
                let key = randomKey()
                if let old = slots.slot(of: key, in: wheel) {
                    #expect(model[key]?.index == old)
                    slots.remove(old, for: key)
                    wheel.cancel(wheel.handle(atSlot: old)!)
                } else {
                    #expect(model[key] == nil)
                }
                let handle = wheel.insert(dueTick: wheel.currentTick + 1 + Int64(rng.next() % 50), key)
                slots.insert(handle.index, for: key, in: wheel)
                model[key] = handle
            case 6..<9:  // disarm
                let key = randomKey()
                let slot = slots.slot(of: key, in: wheel)
                #expect(slot == model[key]?.index)
                if let slot {
                    slots.remove(slot, for: key)
                    wheel.cancel(wheel.handle(atSlot: slot)!)
                    model[key] = nil
                    slots.shrinkIfSparse(in: wheel)
                }
            default:  // fire what is due
                var fired: [(Int32, JobKey)] = []
                wheel.advance(to: wheel.currentTick + Int64(rng.next() % 5)) { handle, key in fired.append((handle.index, key)) }
                for (slot, key) in fired {
                    #expect(model[key]?.index == slot)
                    slots.remove(slot, for: key)
                    model[key] = nil
                }
                slots.shrinkIfSparse(in: wheel)
            }
            if step % 5000 == 0 {
                #expect(slots.count == model.count)
                #expect(wheel.count == model.count)
                for (key, handle) in model { #expect(slots.slot(of: key, in: wheel) == handle.index) }
            }
        }
        #expect(slots.count == model.count)
        for (key, handle) in model { #expect(slots.slot(of: key, in: wheel) == handle.index) }
        // Sparse tables shrink: at most 8 buckets of 4 bytes per live job (plus the allocator's
        // rounding), where the dictionary it replaces took about 50 bytes per job.
        #expect(slots.storageBytes <= max(16, model.count * 8) * 4 + 64)
    }

    @Test func aMillionArmedJobsTakeAFewBytesEach() {
        var wheel = TimerWheel<JobKey>(startTick: 0)
        var slots = JobSlots()
        for i in 0..<1_000_000 {
            let key = JobKey(tenantID: i % 1000, orderID: UInt64(i))
            let handle = wheel.insert(dueTick: 10 + Int64(i % 100), key)
            slots.insert(handle.index, for: key, in: wheel)
        }
        #expect(slots.count == 1_000_000)
        #expect(slots.storageBytes <= 16 * 1_000_000)
        #expect(slots.slot(of: JobKey(tenantID: 7, orderID: 7), in: wheel) != nil)
        #expect(slots.slot(of: JobKey(tenantID: 8, orderID: 7), in: wheel) == nil)
    }
}
