import Foundation
import Synchronization

/// Fires signed `orders/create` deliveries from many threads at once (each on its own
/// keep-alive connection, distinct order ids and webhook ids) and records exactly which order
/// ids were answered 2xx. After `triggerAfter` acknowledgements it calls `trigger` once, from
/// the worker that saw the last of them, while the other workers have requests in flight (a
/// SIGKILL or SIGTERM of the server, or just `stop`).
final class OrderStorm: Sendable {
    struct Result: Sendable {
        /// Order ids answered with a 2xx.
        var acknowledged: [UInt64]
        /// Responses other than 2xx, by status.
        var otherStatuses: [Int: Int]
        /// Errors and non-2xx answers seen before the trigger fired (none are expected).
        var unexpected: [String]
        /// Requests that ended in an error after the trigger (the server went away).
        var cutOff: Int
        var triggered: Bool
    }

    struct State {
        var acknowledged: [UInt64] = []
        var otherStatuses: [Int: Int] = [:]
        var unexpected: [String] = []
        var cutOff = 0
        var triggered = false
        var stop = false
    }

    let port: Int
    let userID: Int
    let secret: String
    let triggerAfter: Int
    let state = Mutex(State())
    let nextID: Atomic<UInt64>

    /// - Parameter firstID: the first order id to use; ids are handed out consecutively.
    init(port: Int, userID: Int, secret: String, firstID: UInt64, triggerAfter: Int) {
        self.port = port
        self.userID = userID
        self.secret = secret
        self.triggerAfter = triggerAfter
        self.nextID = Atomic(firstID)
    }

    /// The next unused order id (for a following storm).
    var followingID: UInt64 { nextID.load(ordering: .relaxed) }

    /// Runs `workers` threads until the trigger has fired and every worker has stopped.
    /// `trigger` nil means: stop sending after `triggerAfter` acknowledgements.
    func run(workers: Int, trigger: (@Sendable () -> Void)?) async -> Result {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let remaining = Atomic(workers)
            for _ in 0..<workers {
                let thread = Thread { [self] in
                    self.work(trigger: trigger)
                    if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { continuation.resume() }
                }
                thread.start()
            }
        }
        return state.withLock {
            Result(acknowledged: $0.acknowledged, otherStatuses: $0.otherStatuses, unexpected: $0.unexpected,
                   cutOff: $0.cutOff, triggered: $0.triggered)
        }
    }

    private func work(trigger: (@Sendable () -> Void)?) {
        let connection: HTTPConnection
        do {
            connection = try HTTPConnection(port: port)
        } catch {
            note(error: "\(error)")
            return
        }
        defer { connection.close() }
        while !state.withLock({ $0.stop }) {
            let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
            let number = 1000 + Int(id % 1_000_000)
            do {
                let response = try ShopifyClient.postOrder(connection, userID: userID, secret: secret, id: id, number: number)
                if (200..<300).contains(response.status) {
                    let fire = state.withLock { s -> Bool in
                        s.acknowledged.append(id)
                        guard !s.triggered, s.acknowledged.count >= triggerAfter else { return false }
                        s.triggered = true
                        if trigger == nil { s.stop = true }
                        return true
                    }
                    if fire { trigger?() }
                } else {
                    state.withLock { s in
                        s.otherStatuses[response.status, default: 0] += 1
                        if !s.triggered { s.unexpected.append("order \(id): HTTP \(response.status) \(response.text.prefix(200))") }
                    }
                }
            } catch {
                note(error: "order \(id): \(error)")
                return
            }
        }
    }

    private func note(error: String) {
        state.withLock { s in
            if s.triggered { s.cutOff += 1 } else { s.unexpected.append(error) }
        }
    }
}
