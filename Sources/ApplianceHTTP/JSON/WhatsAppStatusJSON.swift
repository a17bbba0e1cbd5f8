import ApplianceDomain

/// The API shape of WhatsAppStatus: `{provider, state, qr_png?, qr_expires_at?, detail?}`.
struct WhatsAppStatusJSON: Encodable {
    let status: WhatsAppStatus

    enum Keys: String, CodingKey { case provider, state, qr_png, qr_expires_at, detail }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(status.provider.rawValue, forKey: .provider)
        try c.encode(status.state.rawValue, forKey: .state)
        try c.encodeIfPresent(status.qrPNG, forKey: .qr_png)
        try c.encodeIfPresent(status.qrExpiresAt.map(Timestamp.format), forKey: .qr_expires_at)
        try c.encodeIfPresent(status.detail, forKey: .detail)
    }
}

/// Renders `{"type": "whatsapp.status", "whatsapp": WhatsAppStatus}` frames.
public enum WhatsAppStatusFrame {
    struct Frame: Encodable {
        let type = "whatsapp.status"
        let whatsapp: WhatsAppStatusJSON
    }

    @Sendable public static func render(_ tenantID: Int, _ status: WhatsAppStatus) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(Frame(whatsapp: WhatsAppStatusJSON(status: status))) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

import Foundation
