import ApplianceStorage
import Foundation

extension OrderTable {
    /// Writes every row and its text records as they are (snapshot format 3): loading them
    /// back is copying bytes, with no string built or freed per field.
    func writeRows(to w: inout BinaryWriter) {
        w.write(UInt64(rows.count))
        for (index, row) in rows.enumerated() {
            w.write(row.id)
            w.write(row.createdAt)
            w.write(row.shopifyUpdatedAt)
            w.write(row.arrivedAt)
            w.write(row.updatedAt)
            w.write(row.scheduledAt)
            w.write(row.firstAttemptAt)
            w.write(row.attempts)
            w.write(row.status)
            w.write(row.messageState)
            w.write(row.flags.rawValue)
            w.write(bytes: arena.payload(row.texts))
            w.write(row.messageTexts != OrderRow.none)
            if row.messageTexts != OrderRow.none { w.write(bytes: arena.payload(row.messageTexts)) }
            w.write(row.events != OrderRow.none)
            if row.events != OrderRow.none { w.write(bytes: arena.payload(row.events)) }
            // Format 4: a write-back state follows when the row's flag says so (JSON; few orders have one).
            if row.flags.contains(.hasSync) {
                w.write(bytes: Array((try? JSONEncoder().encode(syncs[Int32(index)])) ?? Data("null".utf8)))
            }
        }
    }

    /// Reads rows written by ``writeRows(to:)``, checking every text record's structure (the
    /// table reads records without bounds checks, so nothing malformed may get in).
    static func readRows(from r: inout BinaryReader) throws -> OrderTable {
        let count = Int(try r.readUInt64())
        var table = OrderTable()
        guard count <= r.remaining else { throw BinaryReader.Malformed() }
        table.reserveCapacity(count, textBytes: r.remaining)
        for _ in 0..<count {
            let id = try r.readUInt64()
            let created = try r.readInt64(), sUpdated = try r.readInt64(), arrived = try r.readInt64(), updated = try r.readInt64()
            let scheduled = try r.readInt64(), firstAttempt = try r.readInt64()
            let attempts = try r.readInt()
            let status = try r.readByte(), state = try r.readByte(), flags = try r.readByte()
            guard Int(status) < OrderStatus.allCases.count, Int(state) < MessageState.allCases.count else { throw BinaryReader.Malformed() }
            let texts = try r.readBytes()
            guard TextArena.isWellFormed(texts, as: .orderTexts) else { throw BinaryReader.Malformed() }
            var messageTexts = OrderRow.none, events = OrderRow.none
            let textsOffset = table.arena.store(texts)
            if try r.readBool() {
                let payload = try r.readBytes()
                guard TextArena.isWellFormed(payload, as: .messageTexts) else { throw BinaryReader.Malformed() }
                messageTexts = table.arena.store(payload)
            }
            if try r.readBool() {
                let payload = try r.readBytes()
                guard TextArena.isWellFormed(payload, as: .events) else { throw BinaryReader.Malformed() }
                events = table.arena.store(payload)
            }
            if OrderRow.Flags(rawValue: flags).contains(.hasSync) {
                guard let sync = try? JSONDecoder().decode(ShopifySync.self, from: Data(try r.readBytes())) else { throw BinaryReader.Malformed() }
                table.syncs[Int32(table.rows.count)] = sync
            }
            table.rows.append(OrderRow(
                id: id, createdAt: created, shopifyUpdatedAt: sUpdated, arrivedAt: arrived, updatedAt: updated,
                scheduledAt: scheduled, firstAttemptAt: firstAttempt, attempts: attempts, texts: textsOffset,
                messageTexts: messageTexts, events: events, status: status, messageState: state,
                flags: OrderRow.Flags(rawValue: flags)))
        }
        return table
    }
}
