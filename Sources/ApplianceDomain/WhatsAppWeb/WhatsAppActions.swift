import ApplianceStorage
import Foundation
import PhoneNumbers

/// What the merchant can do with their WhatsApp connection (connect, disconnect, send a test
/// message), whichever provider they use. The HTTP layer calls this; the WhatsApp Web work is
/// delegated to the browser module's ``WhatsAppLinker`` when the server has one.
public struct WhatsAppActions: Sendable {
    /// The WhatsApp Web module; nil when it is not wired (WhatsApp Web is then unavailable).
    public var linker: (any WhatsAppLinker)?
    /// The browser profiles folder (`chrome_data/`), for `disconnect` without a linker.
    public var chromeDataDir: String
    /// The providers of the running messaging system, for test messages over the Cloud API
    /// and the log provider.
    public var providers: [Settings.Provider: any MessageProvider]
    /// The file system `chrome_data/` is on.
    public var fs: any FileSystem

    public init(linker: (any WhatsAppLinker)? = nil, chromeDataDir: String = "./chrome_data",
                providers: [Settings.Provider: any MessageProvider] = [:], fs: any FileSystem = PosixFileSystem()) {
        self.linker = linker
        self.chromeDataDir = chromeDataDir
        self.providers = providers
        self.fs = fs
    }

    /// `connect`: starts linking when the tenant uses WhatsApp Web; otherwise (or when a link is
    /// in progress or done) starts nothing. Returns the status to show.
    public func connect(_ tenant: Tenant) async throws(DomainError) -> WhatsAppStatus {
        guard await tenant.settings.whatsappProvider == .web, let linker else { return await tenant.whatsAppStatus }
        return try await linker.connect(tenant)
    }

    /// `disconnect`: ends any browser of the tenant and removes `chrome_data/<id>/`.
    public func disconnect(_ tenant: Tenant) async -> WhatsAppStatus {
        if let linker { return await linker.disconnect(tenant) }
        let profile = chromeDataDir + "/\(tenant.id)"
        try? fs.removeTree(at: profile)
        var status = await tenant.whatsAppStatus
        if status.provider == .web { status = WhatsAppStatus(provider: .web, state: .disconnected, detail: status.detail) }
        return status
    }

    /// "Send a test message to my own number": `phone` in international format (`+49…`).
    /// Queues the message and returns the normalised number.
    /// - Throws: `invalid` (422) for an unusable number; `conflict` (409) when the provider
    ///   cannot send now (WhatsApp Web not connected, Cloud API not set up).
    public func sendTest(_ tenant: Tenant, phone raw: String) async throws(DomainError) -> String {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("+") || trimmed.hasPrefix("00") else {
            throw DomainError(.invalid, "phone must be in international format with the country code, e.g. +49 151 23456789")
        }
        let phone: String
        switch PhoneNumberNormalizer.shared.normalize(trimmed, region: nil) {
        case .success(let e164): phone = e164
        case .failure(let error): throw DomainError(.invalid, "phone is not a usable number: \(error)")
        }
        let message = await tenant.testMessage(to: phone)
        let settings = await tenant.settings
        switch settings.whatsappProvider {
        case .web:
            guard let linker else {
                throw DomainError(.conflict, "WhatsApp Web is not available on this server; use the Cloud API or the log provider")
            }
            try await linker.sendTest(tenant, to: phone, text: message.text)
        case .cloud:
            guard settings.cloud.phoneNumberID != nil, settings.cloud.accessToken != nil, settings.cloud.templateName != nil else {
                throw DomainError(.conflict, "the Cloud API is not set up: set cloud.phone_number_id, cloud.access_token and cloud.template_name")
            }
            guard let provider = providers[.cloud] else { throw DomainError(.conflict, "the Cloud API provider is not running") }
            Task { _ = await provider.send(message, settings: settings) }
        case .log:
            if let provider = providers[.log] { Task { _ = await provider.send(message, settings: settings) } }
        }
        return phone
    }
}
