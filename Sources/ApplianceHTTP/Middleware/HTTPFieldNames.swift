import Hummingbird

/// Header names the server sets that HTTPTypes does not name.
extension HTTPFields.Element.Name {
    static let xFrameOptions = Self("X-Frame-Options")!
    static let permissionsPolicy = Self("Permissions-Policy")!
    static let crossOriginOpenerPolicy = Self("Cross-Origin-Opener-Policy")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let requestID = Self("X-Request-Id")!
}
