/// Work waiting for a single run to take it, kept under its owner's lock: the shape of every
/// queue with one drainer (the journals' flusher, a tenant's order inbox, the inbox drainer).
/// The first ``add(_:)`` while no run is going tells the caller to start one; the run takes
/// everything queued at each ``take(into:)`` and ends when a take finds nothing.
public struct RunQueue<Element> {
    /// What waits for the run.
    public private(set) var items: [Element] = []
    /// A run is started and has not yet found the queue empty.
    public private(set) var running = false

    public init() {}

    /// Queues `element`; true when no run is going and the caller must start one.
    public mutating func add(_ element: Element) -> Bool {
        items.append(element)
        if running { return false }
        running = true
        return true
    }

    /// Hands everything queued to the run, swapped into `batch` (empty, its capacity reused);
    /// false, and the run is over, when nothing is queued.
    public mutating func take(into batch: inout [Element]) -> Bool {
        if items.isEmpty {
            running = false
            return false
        }
        swap(&batch, &items)
        return true
    }

    /// Puts elements back for the run's next ``take(into:)``.
    public mutating func requeue(contentsOf elements: [Element]) {
        items.append(contentsOf: elements)
    }

    /// Ends the run and returns what was still queued (the run can no longer take it).
    public mutating func stop() -> [Element] {
        running = false
        defer { items = [] }
        return items
    }
}

extension RunQueue: Sendable where Element: Sendable {}
