import ApplianceCoding
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// JSON-over-HTTP transport to one WebDriver endpoint (chromedriver, or any W3C remote end).
///
/// Every request has a time limit (``commandTimeout`` unless a call passes its own), covering the
/// connection, the answer and its body. Sessions keep a copy of the client they were made with.
public struct WebDriverClient: Sendable {
    /// HTTP methods WebDriver uses.
    public enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
        case delete = "DELETE"
    }

    /// The driver's base URL, e.g. `http://127.0.0.1:9515` (no trailing slash).
    public let baseURL: String
    /// Default time limit of one request.
    public let commandTimeout: Duration
    let httpClient: HTTPClient
    let logger: Logger
    /// Runs after each answer (a test seam; nil in production).
    let answerHook: AnswerHook?

    /// Largest response body accepted (screenshots of big pages are a few MB of base64).
    static let maxBodyBytes = 64 << 20

    /// - Parameters:
    ///   - baseURL: the driver's URL, e.g. `http://127.0.0.1:9515`.
    ///   - httpClient: the client to send with; ``defaultHTTPClient`` unless given.
    ///   - commandTimeout: default time limit of one request.
    ///   - logger: commands are logged at debug level.
    ///   - answerHook: see ``AnswerHook``; nil outside tests.
    public init(baseURL: String, httpClient: HTTPClient = WebDriverClient.defaultHTTPClient,
                commandTimeout: Duration = .seconds(60), logger: Logger = Logger(label: "WebDriver"),
                answerHook: AnswerHook? = nil) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.httpClient = httpClient
        self.commandTimeout = commandTimeout
        self.logger = logger
        self.answerHook = answerHook
    }

    /// Sends one command and returns the `value` member of the answer.
    ///
    /// - Parameters:
    ///   - method: HTTP method.
    ///   - path: path below ``baseURL``, starting with `/`, already percent-encoded.
    ///   - body: JSON body; POST without a body sends `{}` as the specification requires.
    ///   - timeout: time limit for this request; ``commandTimeout`` when nil.
    /// - Throws: ``WebDriverError`` with the driver's code for a WebDriver error, `.transport`
    ///   when the exchange fails or times out, `.invalidResponse` for a non-WebDriver answer, and
    ///   `CancellationError` when the task is cancelled.
    @discardableResult
    public func send(_ method: Method, _ path: String, _ body: JSONValue? = nil, timeout: Duration? = nil) async throws -> JSONValue {
        let command = "\(method.rawValue) \(path)"
        let limit = timeout ?? commandTimeout
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = HTTPMethod(rawValue: method.rawValue)
        request.headers.add(name: "Accept", value: "application/json")
        if method == .post {
            let data = try (body ?? .object([:])).encoded()
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            request.body = .bytes(ByteBuffer(bytes: data))
        }
        let started = ContinuousClock.now
        let (status, bytes): (Int, [UInt8])
        do {
            (status, bytes) = try await withTimeLimit(limit) { [httpClient, request, answerHook] in
                let response = try await httpClient.execute(request, timeout: .milliseconds(limit.milliseconds))
                let buffer = try await response.body.collect(upTo: Self.maxBodyBytes)
                try await answerHook?(method, path, body)
                return (Int(response.status.code), Array(buffer.readableBytesView))
            }
        } catch is TimeLimitExceeded {
            throw WebDriverError(.transport, "no answer from \(baseURL) within \(limit.seconds) s", command: command)
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw WebDriverError(.transport, "request to \(baseURL) failed: \(error)", command: command)
        }
        logger.debug("webdriver command", metadata: [
            "command": "\(command)", "status": "\(status)",
            "ms": "\((ContinuousClock.now - started).milliseconds)",
        ])
        return try Self.decode(status: status, body: bytes, command: command)
    }

    /// Turns an answer into its `value`, or into the ``WebDriverError`` it describes.
    static func decode(status: Int, body: [UInt8], command: String) throws -> JSONValue {
        guard let json = try? JSONValue(parsing: Data(body)) else {
            let text = String(decoding: body.prefix(300), as: UTF8.self)
            throw WebDriverError(.invalidResponse, "not JSON (HTTP \(status)): \(text)", httpStatus: status, command: command)
        }
        let value = json["value"] ?? .null
        if let code = value["error"]?.stringValue {
            let message = value["message"]?.stringValue ?? code
            throw WebDriverError(WebDriverError.Code(code), message, httpStatus: status, command: command)
        }
        guard (200..<300).contains(status) else {
            throw WebDriverError(.unknownError, "HTTP \(status) without an error code: \(json)", httpStatus: status, command: command)
        }
        return value
    }
}
