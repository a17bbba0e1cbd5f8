extension WebDriverSession {
    /// Errors a wait treats as "not yet": the element is not there yet, or was replaced.
    public static let transientErrors: Set<WebDriverError.Code> = [.noSuchElement, .staleElementReference]

    /// Polls `condition` until it returns true.
    ///
    /// ```swift
    /// try await session.wait("the status to read Sent", timeout: .seconds(5)) {
    ///     try await session.findElement(.css("#status")).text == "Sent"
    /// }
    /// ```
    /// - Parameters:
    ///   - description: what is awaited, for the timeout message.
    ///   - timeout: how long to keep polling.
    ///   - poll: pause between checks.
    ///   - ignoring: ``WebDriverError`` codes that count as "not yet" instead of failing the wait.
    ///   - condition: the check; it runs at least once.
    /// - Throws: ``WebDriverError`` `.waitTimeout` naming `description`, the time waited and the last
    ///   ignored error; any other error `condition` throws; `CancellationError`.
    public func wait(_ description: String = "condition", timeout: Duration = .seconds(10), poll: Duration = .milliseconds(50),
                     ignoring: Set<WebDriverError.Code> = transientErrors, isolation: isolated (any Actor)? = #isolation,
                     until condition: () async throws -> Bool) async throws {
        _ = try await waitFor(description, timeout: timeout, poll: poll, ignoring: ignoring) {
            try await condition() ? true : nil
        }
    }

    /// Polls `produce` until it returns a value, and returns it.
    ///
    /// ```swift
    /// let row = try await session.waitFor("a row for order 1001") {
    ///     try await session.findElements(.css("tr[data-order='1001']")).first
    /// }
    /// ```
    /// - Throws: as ``wait(_:timeout:poll:ignoring:isolation:until:)``.
    public func waitFor<T>(_ description: String, timeout: Duration = .seconds(10), poll: Duration = .milliseconds(50),
                           ignoring: Set<WebDriverError.Code> = transientErrors, isolation: isolated (any Actor)? = #isolation,
                           _ produce: () async throws -> T?) async throws -> T {
        let clock = ContinuousClock()
        let start = clock.now, deadline = start + timeout
        var checks = 0
        var lastError: WebDriverError?
        while true {
            checks += 1
            do {
                if let value = try await produce() { return value }
            } catch let error as WebDriverError where ignoring.contains(error.code) {
                lastError = error
            }
            let now = clock.now
            if now >= deadline {
                var message = "timed out after \(Self.format(now - start)) waiting for \(description) (\(checks) checks"
                if let lastError { message += "; last error: \(lastError.code): \(lastError.message)" }
                throw WebDriverError(.waitTimeout, message + ")")
            }
            try await Task.sleep(for: min(poll, deadline - now))
        }
    }

    /// Waits for an element matching `locator` to exist (and, if `visible`, to be displayed).
    public func waitForElement(_ locator: Locator, visible: Bool = true, timeout: Duration = .seconds(10),
                               poll: Duration = .milliseconds(50)) async throws -> WebElement {
        try await waitFor(visible ? "visible element \(locator)" : "element \(locator)", timeout: timeout, poll: poll) {
            let element = try await findElement(locator)
            if visible, try await !element.isDisplayed { return nil }
            return element
        }
    }

    static func format(_ duration: Duration) -> String {
        let s = duration.seconds
        return s < 10 ? "\((s * 1000).rounded() / 1000) s" : "\(Int(s.rounded())) s"
    }
}
