/// A WhatsApp Web step that failed: an element none of whose selectors matched in time, or a
/// browser error. Carries the failure screenshot's file name when one was saved.
struct WebStepError: Error, CustomStringConvertible {
    /// What was being done ("waiting for the chat with +33…").
    let step: String
    /// The elements that were not found (empty for other failures).
    let missing: [WebSelectors.Key]
    /// The underlying problem.
    let reason: String
    /// The screenshot saved in the tenant folder, if any.
    var screenshot: String?

    var description: String {
        var text = "WhatsApp Web: \(step): \(reason)"
        if !missing.isEmpty { text += " (no selector of \(missing.map(\.rawValue).joined(separator: ", ")) matched)" }
        if let screenshot { text += "; screenshot \(screenshot)" }
        return text
    }
}
