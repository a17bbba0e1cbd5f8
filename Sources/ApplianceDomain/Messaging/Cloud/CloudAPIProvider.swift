import Foundation

/// The WhatsApp Cloud API provider: sends the confirmation as an approved **template** message
/// (business-initiated messages must be templates) to `POST {graph}/{phone_number_id}/messages`,
/// with body parameters {{1}} customer, {{2}} order number, {{3}} total, {{4}} slot, {{5}} shop,
/// and in ask mode two quick-reply buttons whose payloads identify the order.
public struct CloudAPIProvider: MessageProvider {
    public var name: String { "cloud" }
    /// e.g. `https://graph.facebook.com/v21.0` (`WHATSAPP_GRAPH_URL`).
    public let graphURL: String
    let transport: any HTTPTransport
    let timeoutMillis: Int64

    public init(graphURL: String, transport: any HTTPTransport, timeoutMillis: Int64 = 15_000) {
        var url = graphURL
        while url.hasSuffix("/") { url.removeLast() }
        self.graphURL = url
        self.transport = transport
        self.timeoutMillis = timeoutMillis
    }

    public func send(_ message: OutboundMessage, settings: Settings) async -> SendOutcome {
        let cloud = settings.cloud
        guard let phoneNumberID = cloud.phoneNumberID, let token = cloud.accessToken else {
            return .hold(reason: "set cloud.phone_number_id and cloud.access_token to send with the Cloud API")
        }
        guard let template = cloud.templateName else {
            return .hold(reason: "set cloud.template_name (an approved utility template) to send with the Cloud API")
        }
        let body = Self.requestBody(message, template: template, language: cloud.templateLanguage ?? "en_US")
        let result = await transport.post(
            url: "\(graphURL)/\(phoneNumberID)/messages",
            headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
            body: body, timeoutMillis: timeoutMillis)
        return CloudErrorMapper.outcome(result)
    }

    /// The JSON body of a template message.
    public static func requestBody(_ message: OutboundMessage, template: String, language: String) -> [UInt8] {
        var components: [[String: Any]] = [[
            "type": "body",
            "parameters": message.templateParameters.map { ["type": "text", "text": $0] },
        ]]
        if message.mode == .ask {
            for (index, payload) in message.replyPayloads.enumerated() {
                components.append(["type": "button", "sub_type": "quick_reply", "index": String(index),
                                   "parameters": [["type": "payload", "payload": payload]]])
            }
        }
        let object: [String: Any] = [
            "messaging_product": "whatsapp", "recipient_type": "individual", "to": message.to, "type": "template",
            "template": ["name": template, "language": ["code": language], "components": components],
        ]
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }
}
