import COpenSSL

/// HMAC-SHA256 and constant-time comparison through OpenSSL's libcrypto.
public enum HMACSHA256 {
    /// The 32-byte HMAC-SHA256 of `message` under `key`.
    public static func authenticationCode(for message: UnsafeRawBufferPointer, key: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 32
        key.withUnsafeBytes { k in
            out.withUnsafeMutableBytes { o in
                _ = HMAC(EVP_sha256(), k.baseAddress, Int32(k.count),
                         message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count,
                         o.baseAddress!.assumingMemoryBound(to: UInt8.self), &length)
            }
        }
        return out
    }

    /// The HMAC-SHA256 of `message` under `key`.
    public static func authenticationCode(for message: [UInt8], key: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { authenticationCode(for: $0, key: key) }
    }

    /// Compares two byte strings in time independent of where they differ.
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { pa in
            b.withUnsafeBytes { pb in CRYPTO_memcmp(pa.baseAddress, pb.baseAddress, a.count) == 0 }
        }
    }

    /// The SHA-256 digest of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        bytes.withUnsafeBytes { b in
            out.withUnsafeMutableBytes { o in
                _ = SHA256(b.baseAddress?.assumingMemoryBound(to: UInt8.self), b.count, o.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        return out
    }
}
