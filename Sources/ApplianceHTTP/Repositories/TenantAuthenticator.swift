import ApplianceDomain

/// Who a bearer token belongs to: the tenant id, or `unauthorized`.
public protocol TenantAuthenticator: Sendable {
    func tenantID(token: String) async throws(DomainError) -> Int
}

extension AccountService: TenantAuthenticator {
    public func tenantID(token: String) async throws(DomainError) -> Int {
        try await authenticate(token: token).0.id
    }
}
