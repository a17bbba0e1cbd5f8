import ApplianceCoding
import Foundation

extension WebDriverSession {
    /// Runs `script` as the body of a function in the page and returns what it returns.
    ///
    /// `arguments[i]` holds `args[i]`; pass elements as ``WebElement/jsonValue``. Returned DOM
    /// elements come back as references: turn them into ``WebElement`` with ``element(from:)``.
    /// A returned promise is awaited.
    ///
    /// ```swift
    /// let count = try await session.executeScript("return document.querySelectorAll(arguments[0]).length", args: ["li"])
    /// ```
    /// - Throws: `.javascriptError` when the script throws, `.scriptTimeout` past the script timeout.
    @discardableResult
    public func executeScript(_ script: String, args: [JSONValue] = []) async throws -> JSONValue {
        try await command(.post, "/execute/sync", ["script": .string(script), "args": .array(args)],
                          timeout: limit(outlasting: "script"))
    }

    /// Runs `script` with a callback as its last argument and returns the value passed to it:
    /// `arguments[arguments.length - 1](result)`.
    /// - Throws: `.scriptTimeout` when the callback is not called within the script timeout.
    @discardableResult
    public func executeAsyncScript(_ script: String, args: [JSONValue] = []) async throws -> JSONValue {
        try await command(.post, "/execute/async", ["script": .string(script), "args": .array(args)],
                          timeout: limit(outlasting: "script"))
    }

    /// Runs `script` (as ``executeScript(_:args:)``) and decodes its result as `T`.
    public func executeScript<T: Decodable>(_ script: String, args: [JSONValue] = [], as type: T.Type) async throws -> T {
        let value = try await executeScript(script, args: args)
        do {
            return try JSONDecoder().decode(T.self, from: value.encoded())
        } catch {
            throw WebDriverError(.invalidResponse, "script result \(value) is not a \(T.self): \(error)")
        }
    }
}
