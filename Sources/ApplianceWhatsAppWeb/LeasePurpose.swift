/// What a browser is wanted for. When the pool is full the next free slot goes to the most
/// urgent waiter (then the longest waiting): a merchant linking, then sends, then health checks.
enum LeasePurpose: Int, Sendable, Comparable {
    case health = 0, send = 1, link = 2

    static func < (lhs: LeasePurpose, rhs: LeasePurpose) -> Bool { lhs.rawValue < rhs.rawValue }
}
