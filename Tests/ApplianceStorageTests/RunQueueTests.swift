import ApplianceStorage
import Testing

@Suite("RunQueue")
struct RunQueueTests {
    @Test("the first add starts a run, the run takes everything queued, an empty take ends it")
    func oneRunAtATime() {
        var queue = RunQueue<Int>()
        let first = queue.add(1)
        let second = queue.add(2)
        #expect(first)
        #expect(!second, "a run is going")
        var batch: [Int] = []
        let took = queue.take(into: &batch)
        #expect(took)
        #expect(batch == [1, 2])
        batch.removeAll(keepingCapacity: true)
        queue.requeue(contentsOf: [3])
        let during = queue.add(4)
        #expect(!during)
        let tookAgain = queue.take(into: &batch)
        #expect(tookAgain)
        #expect(batch == [3, 4])
        batch.removeAll()
        let empty = queue.take(into: &batch)
        #expect(!empty, "nothing left: the run is over")
        #expect(!queue.running)
        let restart = queue.add(5)
        #expect(restart, "the next add starts a new run")
        let left = queue.stop()
        #expect(left == [5])
        #expect(!queue.running && queue.items.isEmpty)
    }
}
