import ApplianceDomain
import Hummingbird
import Logging

/// Turns every error a route throws into the JSON error shape: domain errors by their code,
/// Hummingbird's HTTP errors by their status, anything else as a 500 without internals.
public struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as DomainError {
            // The client gets the message; the log gets what lies behind it (paths, errno).
            if let detail = error.detail {
                context.logger.error("request failed", metadata: ["code": "\(error.code)", "detail": "\(detail)", "path": "\(request.uri.path)"])
            }
            throw APIError(error)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            let code = switch error.status {
            case .notFound: "not_found"
            case .contentTooLarge: "payload_too_large"
            case .unauthorized: "unauthorized"
            case .badRequest: "bad_request"
            case .methodNotAllowed: "method_not_allowed"
            default: "http_\(error.status.code)"
            }
            throw APIError(status: error.status, code: code, message: error.body ?? error.status.reasonPhrase)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            throw APIError(status: .internalServerError, code: "internal", message: "internal error")
        }
    }
}
