import ApplianceCoding

/// The session's own timeouts (W3C "timeouts" capability). Nil leaves a value unchanged.
///
/// Keep `script` and `pageLoad` below the client's ``WebDriverSession/commandTimeout``, or the
/// HTTP request gives up before the driver does.
public struct WebDriverTimeouts: Sendable, Hashable {
    /// Limit for `executeScript` / `executeAsyncScript`.
    public var script: Duration?
    /// Limit for navigation to finish loading.
    public var pageLoad: Duration?
    /// How long element lookups retry before `no such element`. Prefer 0 and explicit waits.
    public var implicit: Duration?

    public init(script: Duration? = nil, pageLoad: Duration? = nil, implicit: Duration? = nil) {
        self.script = script
        self.pageLoad = pageLoad
        self.implicit = implicit
    }

    /// Script 30 s, page load 30 s, implicit 0.
    public static let standard = WebDriverTimeouts(script: .seconds(30), pageLoad: .seconds(30), implicit: .zero)

    var json: JSONValue {
        var members: [String: JSONValue] = [:]
        if let script { members["script"] = .number(Double(script.milliseconds)) }
        if let pageLoad { members["pageLoad"] = .number(Double(pageLoad.milliseconds)) }
        if let implicit { members["implicit"] = .number(Double(implicit.milliseconds)) }
        return .object(members)
    }

    init(json: JSONValue) {
        func duration(_ key: String) -> Duration? { json[key]?.doubleValue.map { .milliseconds(Int64($0)) } }
        self.init(script: duration("script"), pageLoad: duration("pageLoad"), implicit: duration("implicit"))
    }
}
