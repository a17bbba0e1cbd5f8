import ApplianceStorage
import Logging
import Synchronization

/// All tenants of a data directory: loads them at boot (in parallel), creates new ones, and
/// finds them by id or email. A tenant whose files are damaged is kept as unavailable: its
/// routes answer 503 while every other tenant works.
public final class TenantRegistry: Sendable {
    enum Slot: Sendable {
        case ready(Tenant)
        case unavailable(String)
    }

    struct Emails {
        var byEmail: [String: Int] = [:]
        var reserved: Set<String> = []
        var nextID = 1
    }

    public let data: DataDirectory
    let context: TenantContext
    /// Shopify deliveries in progress (``WebhookIngest`` counts them, the dispatcher gives way).
    public let ingestActivity: IngestActivity
    let slots = Mutex<[Int: Slot]>([:])
    let emails = Mutex(Emails())

    init(data: DataDirectory, context: TenantContext) {
        self.data = data
        self.context = context
        self.ingestActivity = IngestActivity(clock: context.clock)
    }

    /// Loads every tenant folder of `data` (which must be initialised).
    public static func open(data: DataDirectory, context: TenantContext, concurrency: Int = 2) async throws -> TenantRegistry {
        try data.checkFormat()
        let registry = TenantRegistry(data: data, context: context)
        let ids = try data.tenantIDs()
        for name in try data.unknownEntries() {
            context.logger.warning("ignored in the data directory: not a tenant folder or a known file; `check` reports it",
                                   metadata: ["entry": "\(name)"])
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var iterator = ids.makeIterator()
            func next() -> Bool {
                guard let id = iterator.next() else { return false }
                group.addTask { await registry.load(id) }
                return true
            }
            for _ in 0..<max(1, concurrency) where next() {}
            while try await group.next() != nil { _ = next() }
        }
        registry.emails.withLock { $0.nextID = (ids.max() ?? 0) + 1 }
        return registry
    }

    func load(_ id: Int) async {
        let path = data.tenantPath(id)
        do {
            let tenant = try TenantLoader.open(id: id, directory: path, context: context)
            let email = await tenant.account?.email
            slots.withLock { $0[id] = .ready(tenant) }
            if let email { emails.withLock { $0.byEmail[email] = id } }
        } catch let damaged as TenantLoader.Damaged {
            context.logger.critical("tenant stopped: its journal is damaged; run `check` for details",
                                    metadata: ["tenant": "\(id)", "path": "\(path)", "error": "\(damaged.error)"])
            slots.withLock { $0[id] = .unavailable("\(damaged.error)") }
            if let email = damaged.partial.account?.email { emails.withLock { $0.byEmail[email] = id } }
        } catch {
            context.logger.critical("tenant stopped: cannot open its journal",
                                    metadata: ["tenant": "\(id)", "path": "\(path)", "error": "\(error)"])
            slots.withLock { $0[id] = .unavailable("\(error)") }
        }
    }

    /// The tenant with `id`: `notFound` when there is none, `tenantUnavailable` when it is damaged.
    public func tenant(_ id: Int) throws(DomainError) -> Tenant {
        switch slots.withLock({ $0[id] }) {
        case .ready(let t): return t
        case .unavailable: throw DomainError(.tenantUnavailable, "this account's data is damaged and it is stopped; the operator has been told")
        case nil: throw DomainError(.notFound, "no such tenant")
        }
    }

    /// The tenant id registered for a normalised email.
    public func tenantID(forEmail email: String) -> Int? {
        emails.withLock { $0.byEmail[email] }
    }

    /// Ids of all tenants, ready or not.
    public var tenantIDs: [Int] { slots.withLock { $0.keys.sorted() } }

    /// The ready tenants.
    public var readyTenants: [Tenant] {
        slots.withLock { $0.values.compactMap { if case .ready(let t) = $0 { t } else { nil } } }
    }

    /// Why a tenant is unavailable, by id.
    public var unavailableTenants: [Int: String] {
        slots.withLock { s in s.compactMapValues { if case .unavailable(let why) = $0 { why } else { nil } } }
    }

    /// Creates tenant folder `data/<next id>/` with its account. Throws `emailTaken` if the
    /// (normalised) email is registered or being registered.
    /// With `onlyIfFirst`, refuses (`signupClosed`) unless the data directory has no account and
    /// no sign-up is under way, checked in the same step that reserves the id.
    public func create(email: String, passwordHash: String, onlyIfFirst: Bool = false) async throws(DomainError) -> Tenant {
        let id: Int = try emails.withLock { e throws(DomainError) in
            if onlyIfFirst, !(e.byEmail.isEmpty && e.reserved.isEmpty && slots.withLock({ $0.isEmpty })) {
                throw DomainError(.signupClosed, SignupRules.howToGetAnAccount)
            }
            if e.byEmail[email] != nil || e.reserved.contains(email) {
                throw DomainError(.emailTaken, "an account with this email already exists")
            }
            guard e.nextID <= DataDirectory.maxTenantID else {
                throw DomainError(.storageUnavailable, "no more account ids on this server")
            }
            e.reserved.insert(email)
            defer { e.nextID += 1 }
            return e.nextID
        }
        do throws(DomainError) {
            let path = data.tenantPath(id)
            do {
                try context.fs.createDirectory(at: path)
            } catch {
                throw DomainError(.storageUnavailable, "the account could not be stored; retry later", detail: "creating the account folder: \(error)")
            }
            let tenant: Tenant
            do {
                tenant = try TenantLoader.open(id: id, directory: path, context: context)
            } catch {
                throw DomainError(.storageUnavailable, "the account could not be stored; retry later", detail: "creating the account journal: \(error)")
            }
            let now = context.clock.now()
            let commit = try await tenant.createAccount(Account(id: id, email: email, passwordHash: passwordHash, createdAt: now, passwordChangedAt: now))
            try await commit.durable()
            slots.withLock { $0[id] = .ready(tenant) }
            emails.withLock { e in
                e.reserved.remove(email)
                e.byEmail[email] = id
            }
            return tenant
        } catch {
            emails.withLock { _ = $0.reserved.remove(email) }
            throw error
        }
    }

    /// Flushes and closes every journal.
    public func closeAll() async {
        for tenant in readyTenants { await tenant.close() }
    }
}
