/// Runs `operation` and returns its answer; when it takes longer than `limit` it is cancelled
/// and its answer to the cancellation is returned (operations here turn cancellation into a
/// result: a send not started is `notSent`, one after Enter `unconfirmed`).
func withDeadline<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async -> T) async -> T {
    await withTaskGroup(of: T?.self) { group in
        group.addTask { await operation() }
        group.addTask {
            try? await Task.sleep(for: limit)
            return nil
        }
        while let next = await group.next() {
            group.cancelAll()
            if let value = next { return value }
        }
        preconditionFailure("the operation of withDeadline returned nothing")
    }
}

/// Runs `operation`, cancelling it and throwing ``DeadlineExceeded`` when it takes longer than `limit`.
func withThrowingDeadline<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw DeadlineExceeded(limit: limit)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw CancellationError() }
        return first
    }
}
