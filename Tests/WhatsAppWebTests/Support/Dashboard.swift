import ApplianceHTTPTestSupport
import Foundation
import HummingbirdTesting
import HummingbirdWSTesting
import NIOWebSocket
import WSCore

extension FrameQueue {
    /// The `whatsapp.status` frames so far.
    var statuses: [JSON] { all.filter { $0["type"].string == "whatsapp.status" }.map { $0["whatsapp"] } }
}

extension JSON {
    /// A `whatsapp.status` frame in `state`.
    func isStatus(_ state: String) -> Bool {
        self["type"].string == "whatsapp.status" && self["whatsapp"]["state"].string == state
    }
}

/// Connects a dashboard of `token` to `/ws/orders`, runs `body` with its frames, then closes it.
func withDashboard(_ client: any TestClientProtocol, token: String, seconds: Double = 120,
                   _ body: @escaping @Sendable (FrameQueue) async throws -> Void) async throws {
    let queue = FrameQueue(defaultSeconds: 20)
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
