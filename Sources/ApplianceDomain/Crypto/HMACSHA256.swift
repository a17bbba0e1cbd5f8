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

    /// The first 128 bits of the SHA-256 of `text`'s UTF-8, big-endian, without a heap allocation
    /// (every webhook's delivery id is digested this way).
    public static func sha256Prefix(of text: String) -> (hi: UInt64, lo: UInt64) {
        var text = text
        return text.withUTF8 { b in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { out -> (hi: UInt64, lo: UInt64) in
                _ = SHA256(b.baseAddress, b.count, out.baseAddress!)
                var hi: UInt64 = 0, lo: UInt64 = 0
                for i in 0..<8 { hi = hi << 8 | UInt64(out[i]) }
                for i in 8..<16 { lo = lo << 8 | UInt64(out[i]) }
                return (hi, lo)
            }
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
