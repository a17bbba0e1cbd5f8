import ApplianceCoding

extension WebElement {
    /// The rendered text (`innerText`-like: hidden parts excluded).
    public var text: String {
        get async throws { try await string("/text") }
    }

    /// Lower-case tag name, e.g. `button`.
    public var tagName: String {
        get async throws { try await string("/name") }
    }

    /// True when the element is rendered visibly (ChromeDriver's displayedness check).
    public var isDisplayed: Bool {
        get async throws { try await bool("/displayed") }
    }

    /// False for disabled form controls.
    public var isEnabled: Bool {
        get async throws { try await bool("/enabled") }
    }

    /// True for checked checkboxes/radios and selected options.
    public var isSelected: Bool {
        get async throws { try await bool("/selected") }
    }

    /// Position and size on the page.
    public var rect: ElementRect {
        get async throws { try ElementRect(json: try await command(.get, "/rect")) }
    }

    /// The HTML attribute `name` as written in the markup (nil when absent). For live state
    /// such as an input's current value use ``property(_:)``.
    public func attribute(_ name: String) async throws -> String? {
        let value = try await command(.get, "/attribute/\(Self.pathComponent(name))")
        return value.isNull ? nil : (value.stringValue ?? value.description)
    }

    /// The DOM property `name` (e.g. `value`, `checked`, `dataset`) as JSON.
    public func property(_ name: String) async throws -> JSONValue {
        try await command(.get, "/property/\(Self.pathComponent(name))")
    }

    /// The computed CSS value of `property`, e.g. `color` → `rgba(0, 0, 0, 1)`.
    public func cssValue(_ property: String) async throws -> String {
        try await string("/css/\(Self.pathComponent(property))")
    }

    func string(_ suffix: String) async throws -> String {
        let value = try await command(.get, suffix)
        guard let s = value.stringValue else { throw WebDriverError(.invalidResponse, "expected a string from \(suffix), got \(value)") }
        return s
    }

    func bool(_ suffix: String) async throws -> Bool {
        let value = try await command(.get, suffix)
        guard let b = value.boolValue else { throw WebDriverError(.invalidResponse, "expected a boolean from \(suffix), got \(value)") }
        return b
    }
}
