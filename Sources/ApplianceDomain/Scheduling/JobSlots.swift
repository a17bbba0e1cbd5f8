/// Finds an armed job's timer by its key, without keeping the key a second time: an
/// open-addressing table (linear probing, tombstones on removal) of wheel slot numbers, whose
/// keys are read from the wheel itself. 4 bytes per bucket at most half full, where a
/// `[JobKey: Handle]` dictionary would keep every key a second time beside its handle.
///
/// Positions come from Swift's per-process seeded `Hasher`, so order ids chosen by a shop
/// cannot be crafted to collide. Not thread-safe: the scheduler's lock guards it.
struct JobSlots {
    private static let empty: Int32 = -1
    private static let deleted: Int32 = -2

    private var buckets = [Int32](repeating: JobSlots.empty, count: 16)
    /// Buckets not empty (live and deleted), which bound probe lengths.
    private var used = 0
    /// Live entries.
    private(set) var count = 0

    init() {}

    private static func home(_ key: JobKey, mask: Int) -> Int {
        var hasher = Hasher()
        hasher.combine(key)
        return hasher.finalize() & mask
    }

    /// The slot recorded for `key`; keys are read from `wheel`.
    func slot(of key: JobKey, in wheel: TimerWheel<JobKey>) -> Int32? {
        let mask = buckets.count - 1
        var b = Self.home(key, mask: mask)
        while true {
            let v = buckets[b]
            if v == Self.empty { return nil }
            if v >= 0, wheel.payload(atSlot: v) == key { return v }
            b = (b + 1) & mask
        }
    }

    /// Records `slot` for `key`, which must not be recorded already.
    mutating func insert(_ slot: Int32, for key: JobKey, in wheel: TimerWheel<JobKey>) {
        if (used + 1) * 2 > buckets.count {
            // Grow when live entries fill a quarter; otherwise only sweep the tombstones.
            rehash(capacity: (count + 1) * 4 > buckets.count ? buckets.count * 2 : buckets.count, in: wheel)
        }
        let mask = buckets.count - 1
        var b = Self.home(key, mask: mask)
        while buckets[b] >= 0 { b = (b + 1) & mask }
        if buckets[b] == Self.empty { used += 1 }
        buckets[b] = slot
        count += 1
    }

    /// Forgets `slot`, recorded for `key` (the wheel may have released the slot already).
    mutating func remove(_ slot: Int32, for key: JobKey) {
        let mask = buckets.count - 1
        var b = Self.home(key, mask: mask)
        while buckets[b] != slot {
            if buckets[b] == Self.empty { return }
            b = (b + 1) & mask
        }
        buckets[b] = Self.deleted
        count -= 1
    }

    /// Gives memory back once live entries fill less than an eighth of the table (after a
    /// drain of a million jobs, say).
    mutating func shrinkIfSparse(in wheel: TimerWheel<JobKey>) {
        guard buckets.count > 16, count * 8 < buckets.count else { return }
        var capacity = 16
        while capacity < count * 4 { capacity *= 2 }
        rehash(capacity: capacity, in: wheel)
    }

    /// Bytes held.
    var storageBytes: Int { buckets.capacity * MemoryLayout<Int32>.stride }

    private mutating func rehash(capacity: Int, in wheel: TimerWheel<JobKey>) {
        let old = buckets
        buckets = [Int32](repeating: Self.empty, count: capacity)
        used = 0
        count = 0
        let mask = capacity - 1
        for v in old where v >= 0 {
            guard let key = wheel.payload(atSlot: v) else { continue }
            var b = Self.home(key, mask: mask)
            while buckets[b] != Self.empty { b = (b + 1) & mask }
            buckets[b] = v
            used += 1
            count += 1
        }
    }
}
