import ApplianceDomain
import Foundation

/// Renders live events as the WebSocket text frames dashboards receive:
/// `{"type": "order.created"|"order.updated", "order": Order, "seq": n}`.
public enum LiveFrame {
    struct Frame: Encodable {
        let type: String
        let order: OrderJSON
        let seq: UInt64
    }

    /// The frame for `event`.
    @Sendable public static func render(_ event: LiveEvent) -> String {
        let frame = Frame(type: event.kind.rawValue, order: OrderJSON(order: event.order), seq: event.seq)
        guard let data = try? JSONEncoder().encode(frame) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
