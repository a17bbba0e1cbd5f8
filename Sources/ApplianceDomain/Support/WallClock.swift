import Foundation

/// The wall clock, behind a protocol so tests can set the time.
public protocol WallClock: Sendable {
    /// Milliseconds since 1970 UTC.
    func now() -> Int64
}

/// The system's real-time clock.
public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}
