import ApplianceCoding

/// The tenant's account and settings.
extension Tenant {
    /// The account (nil only for a folder whose first record was lost).
    public var account: Account? { state.account }

    /// The settings.
    public var settings: Settings { state.settings }

    /// The shop domain of the latest delivery.
    public var shopDomain: String? { state.shopDomain }

    /// Writes the account record of a new tenant.
    func createAccount(_ account: Account) throws(DomainError) -> Commit {
        commit(try write(.account(account)))
    }

    /// Replaces the password hash; tokens issued before now stop working.
    func stagePassword(hash: String) throws(DomainError) -> Commit {
        guard state.account != nil else { throw DomainError(.notFound, "no account") }
        return commit(try write(.password(hash, at: context.clock.now())))
    }

    /// Applies a partial settings update (validated; all or nothing).
    func stageSettings(_ patch: [String: JSONValue]) throws(DomainError) -> (Settings, Commit) {
        var updated = try state.settings.applying(patch)
        // A PUT that sets a `shopify` field releases write-backs held by a refused token (the
        // merchant may have fixed the app's scopes in Shopify and saved the same token again).
        let shopifyFields = patch["shopify"]?.objectValue?.keys.filter { !Settings.Shopify.readOnlyFields.contains($0) } ?? []
        let releasesWriteBacks = !shopifyFields.isEmpty && updated.shopify.hold != nil
        if releasesWriteBacks { updated.shopify.hold = nil }
        defer { if releasesWriteBacks || !shopifyFields.isEmpty { context.writeBacks?.writeBacksReleased(tenantID: id) } }
        if updated == state.settings { return (updated, noChange()) }
        let before = whatsAppStatus
        // New settings may fix what put the jobs on hold (token, template): release them.
        let wasHeld = held != nil
        updated.providerHold = nil
        let seq = try write(.settings(updated))
        if wasHeld { armScheduled() }
        // One frame per change (releasing the hold must not publish a second one).
        if whatsAppStatus != before { publishWhatsAppStatus() }
        return (updated, commit(seq))
    }
}
