import ApplianceStorage
import Testing

@Suite("RunQueue")
struct RunQueueTests {
    @Test("the first add starts a run, the run takes everything queued, an empty take ends it")
    func oneRunAtATime() {
        var queue = RunQueue<Int>()
        #expect(queue.add(1))
        #expect(!queue.add(2), "a run is going")
        var batch: [Int] = []
        #expect(queue.take(into: &batch))
        #expect(batch == [1, 2])
        batch.removeAll(keepingCapacity: true)
        queue.requeue(contentsOf: [3])
        #expect(!queue.add(4))
        #expect(queue.take(into: &batch))
        #expect(batch == [3, 4])
        batch.removeAll()
        #expect(!queue.take(into: &batch), "nothing left: the run is over")
        #expect(!queue.running)
        #expect(queue.add(5), "the next add starts a new run")
        #expect(queue.stop() == [5])
        #expect(!queue.running && queue.items.isEmpty)
    }
}
