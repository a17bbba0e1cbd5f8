import ApplianceCoding

extension WebDriverSession {
    /// The first element matching `locator` in the current page.
    /// - Throws: ``WebDriverError`` `.noSuchElement` when nothing matches (after the implicit wait).
    public func findElement(_ locator: Locator) async throws -> WebElement {
        try element(from: try await command(.post, "/element", locator.body), for: locator)
    }

    /// All elements matching `locator`, in document order; empty when nothing matches.
    public func findElements(_ locator: Locator) async throws -> [WebElement] {
        try elements(from: try await command(.post, "/elements", locator.body), for: locator)
    }

    /// The element that has focus (or `body`).
    public func activeElement() async throws -> WebElement {
        try element(from: try await command(.get, "/element/active"), for: nil)
    }

    /// The element a script returned (a W3C element reference), or nil if `value` is not one.
    public func element(from value: JSONValue) -> WebElement? {
        value[WebElement.referenceKey]?.stringValue.map { WebElement(id: $0, session: self) }
    }

    func element(from value: JSONValue, for locator: Locator?) throws -> WebElement {
        guard let element = element(from: value) else {
            throw WebDriverError(.invalidResponse, "expected an element reference for \(locator?.description ?? "element"), got \(value)")
        }
        return element
    }

    func elements(from value: JSONValue, for locator: Locator) throws -> [WebElement] {
        guard let list = value.arrayValue else {
            throw WebDriverError(.invalidResponse, "expected a list of elements for \(locator), got \(value)")
        }
        return try list.map { try element(from: $0, for: locator) }
    }
}
