import Foundation

/// One raw HTTP/1.1 request (already serialised) on a new loopback connection; returns the
/// response's status code.
enum RawRequest {
    static func send(port: Int, _ bytes: [UInt8], timeoutSeconds: Int = 30) throws -> Int {
        try BlockingHTTP(port: port, timeoutSeconds: timeoutSeconds).exchange(bytes).status
    }
}
