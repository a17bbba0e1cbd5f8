/// A hierarchical timing wheel (Varghese & Lauck scheme 7, cascading like the classic Linux
/// timer): 4 levels of 64 slots, so with a 1 s tick it spans 64⁴ s ≈ 194 days; later timers wait
/// in an overflow list. Insert and cancel are O(1); each tick costs O(1) plus the timers it
/// fires or cascades. Timers never fire early: a timer fires at the first ``advance(to:)`` whose
/// tick is at or past its due tick.
///
/// Timers live in parallel index-linked arrays (no per-timer allocation): about 24 bytes plus
/// the payload per pending timer. Not thread-safe; an actor owns it.
public struct TimerWheel<Payload>: Sendable where Payload: Sendable {
    /// Identifies an inserted timer for ``cancel(_:)``; stale handles are ignored.
    public struct Handle: Hashable, Sendable {
        let index: Int32
        let generation: UInt32
    }

    static var levels: Int { 4 }
    static var bits: Int64 { 6 }
    static var slots: Int64 { 64 }

    /// The last tick processed.
    public private(set) var currentTick: Int64
    private var due: [Int64] = []
    private var next: [Int32] = []
    private var prev: [Int32] = []
    /// The list a node is on: 0..<256 a wheel slot, 256 overflow, -1 free.
    private var list: [Int16] = []
    private var generation: [UInt32] = []
    /// Not optional (an optional `JobKey` takes 24 bytes, the key 16): a released slot keeps
    /// its last payload until reused; `list` says whether a slot is live.
    private var payloads: [Payload] = []
    private var heads = [Int32](repeating: -1, count: 4 * 64 + 1)
    private var freeHead: Int32 = -1
    /// Pending timers.
    public private(set) var count = 0

    static var overflowList: Int { 256 }

    /// A wheel whose time starts at `tick`.
    public init(startTick: Int64) {
        currentTick = startTick
    }

    /// Adds a timer due at `tick`. A tick in the past fires at the next ``advance(to:)``.
    @discardableResult
    public mutating func insert(dueTick tick: Int64, _ payload: Payload) -> Handle {
        let i: Int32
        if freeHead >= 0 {
            i = freeHead
            freeHead = next[Int(i)]
            due[Int(i)] = tick
            payloads[Int(i)] = payload
            generation[Int(i)] &+= 1
        } else {
            i = Int32(due.count)
            due.append(tick)
            next.append(-1)
            prev.append(-1)
            list.append(-1)
            generation.append(0)
            payloads.append(payload)
        }
        place(i, earliest: currentTick + 1)
        count += 1
        return Handle(index: i, generation: generation[Int(i)])
    }

    /// Removes a pending timer; returns its payload, or nil when it already fired or was cancelled.
    @discardableResult
    public mutating func cancel(_ handle: Handle) -> Payload? {
        let i = Int(handle.index)
        guard i < list.count, generation[i] == handle.generation, list[i] >= 0 else { return nil }
        detach(handle.index)
        let payload = payloads[i]
        release(handle.index)
        return payload
    }

    /// Processes every tick up to and including `tick`, returning the payloads that fell due, in
    /// due order (ties in insertion order within a tick are not guaranteed).
    public mutating func advance(to tick: Int64, _ fire: (Payload) -> Void) {
        advance(to: tick) { _, payload in fire(payload) }
    }

    /// ``advance(to:_:)`` that also gives each fired timer's (now stale) handle.
    public mutating func advance(to tick: Int64, _ fire: (Handle, Payload) -> Void) {
        // Timers placed in the past (due < currentTick + 1) sit in the current level-0 slot.
        while currentTick < tick {
            currentTick += 1
            let t = currentTick
            // Cascade the higher levels whose period starts at this tick, highest first.
            var level = 0
            while level < Self.levels - 1, t & ((Int64(1) << (Self.bits * Int64(level + 1))) - 1) == 0 { level += 1 }
            if level == Self.levels - 1, t & ((Int64(1) << (Self.bits * Int64(Self.levels))) - 1) == 0 {
                cascade(list: Self.overflowList)
            }
            while level >= 1 {
                let slot = Int((t >> (Self.bits * Int64(level))) & (Self.slots - 1))
                cascade(list: level * 64 + slot)
                level -= 1
            }
            let slot0 = Int(t & (Self.slots - 1))
            var i = heads[slot0]
            heads[slot0] = -1
            while i >= 0 {
                let n = next[Int(i)]
                list[Int(i)] = -1
                if due[Int(i)] <= t {
                    fire(Handle(index: i, generation: generation[Int(i)]), payloads[Int(i)])
                    release(i)
                } else {
                    place(i, earliest: t + 1)  // defensive: never fire early
                }
                i = n
            }
        }
    }

    /// The pending timer stored at `slot` (a handle's index), if any.
    public func handle(atSlot slot: Int32) -> Handle? {
        let i = Int(slot)
        guard i >= 0, i < list.count, list[i] >= 0 else { return nil }
        return Handle(index: slot, generation: generation[i])
    }

    /// The payload of the pending timer at `slot`.
    public func payload(atSlot slot: Int32) -> Payload? {
        handle(atSlot: slot) == nil ? nil : payloads[Int(slot)]
    }

    /// The earliest tick at which something may fire, or nil when nothing is pending (a hint
    /// for sleeping: the service still ticks at least this often).
    public var isEmpty: Bool { count == 0 }

    // MARK: lists

    /// Links timer `i` into the list for its due tick; `earliest` is the first tick whose
    /// level-0 slot is still to be processed.
    private mutating func place(_ i: Int32, earliest: Int64) {
        let d = max(due[Int(i)], earliest)
        let delta = d - currentTick
        let target: Int
        if delta < Self.slots {
            target = Int(d & (Self.slots - 1))
        } else if delta < Self.slots << Self.bits {
            target = 64 + Int((d >> Self.bits) & (Self.slots - 1))
        } else if delta < Self.slots << (2 * Self.bits) {
            target = 128 + Int((d >> (2 * Self.bits)) & (Self.slots - 1))
        } else if delta < Self.slots << (3 * Self.bits) {
            target = 192 + Int((d >> (3 * Self.bits)) & (Self.slots - 1))
        } else {
            target = Self.overflowList
        }
        list[Int(i)] = Int16(target)
        prev[Int(i)] = -1
        next[Int(i)] = heads[target]
        if heads[target] >= 0 { prev[Int(heads[target])] = i }
        heads[target] = i
    }

    private mutating func detach(_ i: Int32) {
        let l = Int(list[Int(i)])
        let p = prev[Int(i)], n = next[Int(i)]
        if p >= 0 { next[Int(p)] = n } else { heads[l] = n }
        if n >= 0 { prev[Int(n)] = p }
        list[Int(i)] = -1
    }

    private mutating func release(_ i: Int32) {
        list[Int(i)] = -1
        next[Int(i)] = freeHead
        freeHead = i
        count -= 1
    }

    private mutating func cascade(list l: Int) {
        var i = heads[l]
        heads[l] = -1
        while i >= 0 {
            let n = next[Int(i)]
            place(i, earliest: currentTick)
            i = n
        }
    }
}
