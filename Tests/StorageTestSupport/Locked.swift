import Synchronization

/// A mutable value shared between test tasks (results collected from many at once).
public final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: Value) { mutex = Mutex(value) }

    public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T { try mutex.withLock { try body(&$0) } }

    public var value: Value { mutex.withLock { $0 } }
}
