import CZlib

/// CRC-32 (the zlib/IEEE polynomial) through zlib's `crc32`.
public enum CRC32 {
    /// The CRC-32 of the bytes in `raw`, continuing from `seed` (0 to start).
    public static func checksum(_ raw: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        guard let base = raw.baseAddress, raw.count > 0 else { return seed }
        return UInt32(crc32(UInt(seed), base.assumingMemoryBound(to: Bytef.self), UInt32(raw.count)))
    }

    /// The CRC-32 of `bytes`, continuing from `seed` (0 to start).
    public static func checksum(_ bytes: [UInt8], seed: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, seed: seed) }
    }

    /// The CRC-32 of `bytes`, continuing from `seed` (0 to start).
    public static func checksum(_ bytes: ArraySlice<UInt8>, seed: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, seed: seed) }
    }
}
