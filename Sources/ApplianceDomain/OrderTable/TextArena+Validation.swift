extension TextArena {
    /// The kinds of record an ``OrderTable`` keeps.
    enum RecordKind {
        /// 11 string fields.
        case orderTexts
        /// 3 string fields.
        case messageTexts
        /// A count, then per entry: 8-byte time, status byte, 3 string fields (5 when the status byte has 0x80 set and is not 0xFF).
        case events
    }

    /// Whether `payload` parses as a record of `kind` and nothing more, every length in bounds.
    static func isWellFormed(_ payload: ArraySlice<UInt8>, as kind: RecordKind) -> Bool {
        var p = payload.startIndex
        let end = payload.endIndex
        func varint() -> UInt64? {
            var value: UInt64 = 0, shift: UInt64 = 0
            while p < end, shift < 64 {
                let b = payload[p]
                p += 1
                value |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return value }
                shift += 7
            }
            return nil
        }
        func strings(_ n: Int) -> Bool {
            for _ in 0..<n {
                guard let code = varint() else { return false }
                if code >= 2 {
                    guard code - 2 <= UInt64(end - p) else { return false }
                    p += Int(code - 2)
                }
            }
            return true
        }
        switch kind {
        case .orderTexts:
            guard strings(11) else { return false }
        case .messageTexts:
            guard strings(3) else { return false }
        case .events:
            guard let count = varint(), count <= UInt64(end - p) else { return false }
            for _ in 0..<count {
                guard end - p >= 9 else { return false }
                let status = payload[p + 8]
                guard status >= 0xFE || Int(status & 0x7F) < OrderStatus.allCases.count else { return false }
                p += 9
                guard strings(status != 0xFF && status & 0x80 != 0 ? 5 : 3) else { return false }
            }
        }
        return p == end
    }
}
