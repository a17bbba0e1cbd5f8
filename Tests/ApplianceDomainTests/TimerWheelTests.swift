import Testing
@testable import ApplianceDomain

@Suite struct TimerWheelTests {
    struct RNG: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
    }

    @Test(arguments: [1 as UInt64, 2, 3, 4, 5])
    func firesEachTimerOnceNeverEarlyAndAtMostOneAdvanceLate(seed: UInt64) {
        var rng = RNG(state: seed &* 0x9E37_79B9_7F4A_7C15)
        var wheel = TimerWheel<Int>(startTick: 1000)
        var dueByID: [Int: Int64] = [:]
        var handles: [Int: TimerWheel<Int>.Handle] = [:]
        var cancelled = Set<Int>()
        var fired = Set<Int>()
        var nextID = 0
        let spans: [Int64] = [1, 63, 64, 65, 4095, 4096, 4097, 262_143, 262_144, 16_777_215, 16_777_216, 20_000_000]
        for _ in 0..<400 {
            for _ in 0..<Int.random(in: 0...20, using: &rng) {
                let span = spans.randomElement(using: &rng)!
                let due = wheel.currentTick + Int64.random(in: -5...span, using: &rng)
                handles[nextID] = wheel.insert(dueTick: due, nextID)
                dueByID[nextID] = due
                nextID += 1
            }
            if let victim = handles.keys.randomElement(using: &rng), !fired.contains(victim), Bool.random(using: &rng) {
                if wheel.cancel(handles[victim]!) != nil { cancelled.insert(victim) }
            }
            let before = wheel.currentTick
            let target = before + [1, 7, 64, 700, 5000, 300_000].randomElement(using: &rng)!
            wheel.advance(to: target) { id in
                #expect(!fired.contains(id), "fired twice")
                #expect(!cancelled.contains(id), "cancelled timer fired")
                #expect(dueByID[id]! <= target, "fired early")
                fired.insert(id)
            }
            // Everything due by the target has fired now (no lateness beyond this advance).
            for (id, due) in dueByID where due <= target && !cancelled.contains(id) {
                #expect(fired.contains(id), "timer due \(due) not fired by \(target)")
            }
        }
        #expect(wheel.count == nextID - fired.count - cancelled.count)
    }

    @Test func staleHandlesAreIgnored() {
        var wheel = TimerWheel<String>(startTick: 0)
        let h = wheel.insert(dueTick: 5, "a")
        var out: [String] = []
        wheel.advance(to: 5) { out.append($0) }
        #expect(out == ["a"])
        let h2 = wheel.insert(dueTick: 9, "b")  // reuses the slot of "a"
        #expect(wheel.cancel(h) == nil)
        #expect(wheel.cancel(h2) == "b")
        #expect(wheel.isEmpty)
    }

    @Test func pastDueFiresOnTheNextTick() {
        var wheel = TimerWheel<Int>(startTick: 100)
        wheel.insert(dueTick: 10, 1)
        var out: [Int] = []
        wheel.advance(to: 100) { out.append($0) }
        #expect(out.isEmpty)
        wheel.advance(to: 101) { out.append($0) }
        #expect(out == [1])
    }
}
