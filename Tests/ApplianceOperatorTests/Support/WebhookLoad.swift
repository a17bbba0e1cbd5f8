import Foundation
import Synchronization

/// Signed `orders/create` deliveries sent without pause from several threads (each on its own
/// keep-alive connection, consecutive order ids) until ``stop()``; records exactly which order
/// ids were answered 2xx, so a test can take the set acknowledged up to a moment.
final class WebhookLoad: Sendable {
    struct State {
        var acknowledged: [UInt64] = []
        var failures: [String] = []
        var stop = false
        var running = 0
    }

    let port: Int
    let userID: Int
    let secret: String
    let nextID: Atomic<UInt64>
    let state = Mutex(State())

    init(port: Int, userID: Int, secret: String, firstID: UInt64) {
        self.port = port
        self.userID = userID
        self.secret = secret
        self.nextID = Atomic(firstID)
    }

    /// Starts `workers` sending threads.
    func start(workers: Int) {
        state.withLock { $0.running = workers }
        for _ in 0..<workers {
            Thread { [self] in
                self.work()
                self.state.withLock { $0.running -= 1 }
            }.start()
        }
    }

    /// Order ids answered 2xx so far.
    var acknowledged: [UInt64] { state.withLock { $0.acknowledged } }
    var failures: [String] { state.withLock { $0.failures } }

    /// Waits (polling, bounded) until at least `count` deliveries were acknowledged.
    func waitForAcknowledged(_ count: Int, timeout: Duration = .seconds(120)) throws {
        let deadline = ContinuousClock.now + timeout
        while acknowledged.count < count {
            if let failure = failures.first { throw HarnessError("load failed: \(failure)") }
            guard ContinuousClock.now < deadline else { throw HarnessError("only \(acknowledged.count) of \(count) deliveries acknowledged in time") }
            usleep(10_000)
        }
    }

    /// Stops the workers and waits for them.
    func stop() {
        state.withLock { $0.stop = true }
        let deadline = ContinuousClock.now + .seconds(60)
        while state.withLock({ $0.running > 0 }) && ContinuousClock.now < deadline { usleep(5_000) }
    }

    private func work() {
        guard let connection = try? HTTPConnection(port: port) else {
            state.withLock { $0.failures.append("cannot connect") }
            return
        }
        defer { connection.close() }
        while !state.withLock({ $0.stop }) {
            let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
            do {
                let response = try ShopifyClient.postOrder(connection, userID: userID, secret: secret, id: id, number: 1000 + Int(id % 1_000_000))
                if (200..<300).contains(response.status) {
                    state.withLock { $0.acknowledged.append(id) }
                } else {
                    state.withLock { $0.failures.append("order \(id): HTTP \(response.status) \(response.text.prefix(200))") }
                }
            } catch {
                state.withLock { $0.failures.append("order \(id): \(error)") }
                return
            }
        }
    }
}
