import Foundation
import HummingbirdTesting
import HummingbirdWSTesting
import NIOWebSocket
import WSCore

/// Frames a test dashboard received, awaited in order.
actor FrameQueue {
    private(set) var all: [JSON] = []
    private var cursor = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func push(_ frame: JSON) {
        all.append(frame)
        wake()
    }

    private func wake() {
        let w = waiters
        waiters = []
        for c in w { c.resume() }
    }

    /// The next frame after the last one returned that matches `predicate` (frames skipped are
    /// passed). Fails after `seconds`.
    func next(_ what: String, seconds: Double = 20, where predicate: @Sendable (JSON) -> Bool = { _ in true }) async throws -> JSON {
        let deadline = ContinuousClock.now + .seconds(seconds)
        let timer = Task { [weak self] in
            try? await Task.sleep(until: deadline)
            await self?.wakeForTimeout()
        }
        defer { timer.cancel() }
        while true {
            while cursor < all.count {
                let frame = all[cursor]
                cursor += 1
                if predicate(frame) { return frame }
            }
            guard ContinuousClock.now < deadline else { throw TestFailure("no frame: \(what) (got \(all.map(\.summary)))") }
            await withCheckedContinuation { waiters.append($0) }
        }
    }

    private func wakeForTimeout() { wake() }

    /// The `whatsapp.status` frames so far.
    var statuses: [JSON] { all.filter { $0["type"].string == "whatsapp.status" }.map { $0["whatsapp"] } }
}

extension JSON {
    /// A short form for failure messages (QR images cut).
    var summary: String {
        guard self["type"].string == "whatsapp.status" else { return self["type"].string ?? description }
        let w = self["whatsapp"]
        return "status(\(w["state"].string ?? "?")\(w["qr_png"].exists ? " +qr" : "")\(w["detail"].string.map { ": " + $0 } ?? ""))"
    }

    /// A `whatsapp.status` frame in `state`.
    func isStatus(_ state: String) -> Bool {
        self["type"].string == "whatsapp.status" && self["whatsapp"]["state"].string == state
    }
}

/// Connects a dashboard of `token` to `/ws/orders`, runs `body` with its frames, then closes it.
func withDashboard(_ client: any TestClientProtocol, token: String, seconds: Double = 120,
                   _ body: @escaping @Sendable (FrameQueue) async throws -> Void) async throws {
    let queue = FrameQueue()
    try await withTimeout(seconds: seconds) {
        try await client.ws("/ws/orders?token=\(token)") { inbound, outbound, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await message in inbound.messages(maxSize: 4 << 20) {
                        guard case .text(let text) = message else { continue }
                        await queue.push(try JSON(parsing: Array(text.utf8)))
                    }
                }
                do {
                    try await body(queue)
                } catch {
                    try? await outbound.close(.normalClosure, reason: nil)
                    throw error
                }
                try await outbound.close(.normalClosure, reason: nil)
                try await group.waitForAll()
            }
        }
    }
}
