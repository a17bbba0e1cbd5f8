import ApplianceCoding
import ApplianceDomain

/// What the settings, preview and analytics routes need from the domain. An update returns
/// only once it is durable.
public protocol SettingsRepository: Sendable {
    /// The settings and the shop domain of the latest delivery.
    func settings(tenantID: Int) async throws(DomainError) -> (Settings, shopDomain: String?)
    /// Applies a partial update (validated; all or nothing); durable on return.
    func updateSettings(_ patch: [String: JSONValue], tenantID: Int) async throws(DomainError) -> (Settings, shopDomain: String?)
    /// Order and message figures over the last `days` days.
    func analytics(days: Int, tenantID: Int) async throws(DomainError) -> Analytics
    /// The message as the newest order would get it, with `template`/`mode` in place of the saved ones.
    func previewMessage(template: String?, mode: Settings.ConfirmationMode?, tenantID: Int) async throws(DomainError) -> MessagePreview
}
