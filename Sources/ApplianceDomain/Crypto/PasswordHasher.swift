import CArgon2

/// Argon2id password hashing through libargon2, with at least OWASP's parameters
/// (m = 19 MiB, t = 2, p = 1). Hashing is slow by design: call it off the event loop.
public struct PasswordHasher: Sendable {
    public var memoryKiB: UInt32
    public var iterations: UInt32
    public var parallelism: UInt32

    /// OWASP's minimum for Argon2id: 19 MiB, 2 iterations, 1 lane.
    public static let owasp = PasswordHasher(memoryKiB: 19 * 1024, iterations: 2, parallelism: 1)

    public init(memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32) {
        self.memoryKiB = memoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
    }

    /// The encoded hash (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`) of `password`.
    public func hash(_ password: String) -> String {
        let salt = SecureRandom.bytes(16)
        let pwd = Array(password.utf8)
        let encodedLength = argon2_encodedlen(iterations, memoryKiB, parallelism, UInt32(salt.count), 32, Argon2_id)
        var encoded = [CChar](repeating: 0, count: encodedLength)
        let rc = pwd.withUnsafeBytes { p in
            salt.withUnsafeBytes { s in
                argon2id_hash_encoded(iterations, memoryKiB, parallelism, p.baseAddress, p.count,
                                      s.baseAddress, s.count, 32, &encoded, encodedLength)
            }
        }
        precondition(rc == ARGON2_OK.rawValue, "argon2id_hash_encoded failed: \(rc)")
        return String(decoding: encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `password` matches the encoded hash.
    public func verify(_ password: String, hash: String) -> Bool {
        let pwd = Array(password.utf8)
        return pwd.withUnsafeBytes { p in
            argon2id_verify(hash, p.baseAddress, p.count) == ARGON2_OK.rawValue
        }
    }
}
