import Foundation

/// Maps a Graph API answer to a ``SendOutcome`` (reference C6): throughput and pair rate limits
/// (130429, 131056, HTTP 429) and 5xx with a Graph error body are retried; 131026 and invalid
/// recipients fail for good; an expired token (190) or a rejected template (132000, 132001,
/// 132018) holds the tenant's jobs until the settings change; a timeout is `unknown`.
public enum CloudErrorMapper {
    static let retryCodes: Set<Int> = [130429, 131056, 131000, 1, 2]
    static let holdCodes: Set<Int> = [190, 132000, 132001, 132005, 132007, 132012, 132015, 132016, 132018, 131030, 131031, 368, 10, 200]
    static let permanentCodes: Set<Int> = [131026, 131009, 131008, 131021, 131051, 131047, 131049, 131048, 100]

    /// The outcome of one transport result.
    public static func outcome(_ result: TransportResult) -> SendOutcome {
        switch result {
        case .notSent(let why):
            return .retry(reason: why)
        case .lost(let why):
            return .unknown(reason: "no answer from the Cloud API (\(why)); the message may have been sent")
        case .response(let status, let body):
            let json = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
            if (200..<300).contains(status) {
                let id = ((json?["messages"] as? [[String: Any]])?.first?["id"]) as? String
                return .sent(messageID: id)
            }
            guard let error = json?["error"] as? [String: Any] else {
                // No Graph error body: a proxy or the network answered; Meta may or may not have it.
                return status == 429 ? .retry(reason: "HTTP 429") : .unknown(reason: "HTTP \(status) without a Graph error body")
            }
            let code = (error["code"] as? NSNumber)?.intValue ?? (error["code"] as? Int) ?? 0
            let message = (error["message"] as? String) ?? "error"
            let details = ((error["error_data"] as? [String: Any])?["details"] as? String).map { ": \($0)" } ?? ""
            let reason = "Cloud API error \(code): \(message)\(details)"
            if holdCodes.contains(code) { return .hold(reason: reason) }
            if retryCodes.contains(code) || status == 429 || status >= 500 { return .retry(reason: reason) }
            if permanentCodes.contains(code) || (400..<500).contains(status) { return .failed(reason: reason) }
            return .failed(reason: reason)
        }
    }
}
