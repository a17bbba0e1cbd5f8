/// An order's write-backs to Shopify (CONTRACT "Shopify write-back"): the outbox of jobs still
/// to do, in order, and what the appliance has written so far. Journaled with the order, so a
/// job is created in the same record as the status change that causes it.
public struct ShopifySync: Codable, Sendable, Equatable {
    /// The state the API shows: `off` (no admin token set), `pending`, `done` (also when nothing
    /// is left to write back), `failed`, `held` (the tenant's token was refused).
    public enum State: String, Codable, Sendable, CaseIterable { case off, pending, done, failed, held }

    /// One write-back.
    public struct Job: Codable, Sendable, Equatable {
        public enum Action: String, Codable, Sendable { case tagsAdd = "tags_add", tagsRemove = "tags_remove", orderCancel = "order_cancel" }
        public var action: Action
        /// The tag (`tagsAdd`, `tagsRemove`).
        public var tag: String?
        /// `orderCancel`: restock, as the settings said when the job was made.
        public var restock: Bool?
        /// `orderCancel`: the staff note (who cancelled, where).
        public var note: String?
        /// Failed attempts so far (connection errors, 429, 5xx, THROTTLED).
        public var attempts: Int
        /// When the first failed attempt ran (ms): the start of the 24-hour retry window.
        public var firstFailureAt: Int64?

        public init(action: Action, tag: String? = nil, restock: Bool? = nil, note: String? = nil) {
            self.action = action
            self.tag = tag
            self.restock = restock
            self.note = note
            self.attempts = 0
        }

        /// The timeline's name of the action.
        public var timelineAction: String {
            switch action {
            case .tagsAdd: "tag"
            case .tagsRemove: "untag"
            case .orderCancel: "cancel"
            }
        }

        enum CodingKeys: String, CodingKey { case action = "a", tag, restock, note, attempts = "n", firstFailureAt = "first_failure" }
    }

    public var state: State
    public var lastError: String?
    /// Jobs still to do, oldest first; the first is the one tried next.
    public var jobs: [Job]
    /// The confirm tag the appliance added (or queued) and has not removed since.
    public var confirmTag: String?
    /// The cancel tag the appliance added (or queued) and has not removed since.
    public var cancelTag: String?
    /// An `orderCancel` was queued (or done): never a second one.
    public var cancelRequested: Bool

    public init(state: State = .done, lastError: String? = nil, jobs: [Job] = [], confirmTag: String? = nil, cancelTag: String? = nil,
                cancelRequested: Bool = false) {
        self.state = state
        self.lastError = lastError
        self.jobs = jobs
        self.confirmTag = confirmTag
        self.cancelTag = cancelTag
        self.cancelRequested = cancelRequested
    }

    enum CodingKeys: String, CodingKey {
        case state, lastError = "last_error", jobs, confirmTag = "confirm_tag", cancelTag = "cancel_tag", cancelRequested = "cancel_requested"
    }
}
