import DequeModule
import ApplianceStorage
import Foundation

/// The snapshot payload of a tenant: a compact binary form of ``TenantState`` chosen for load
/// speed (orders field by field; account, settings and rejected deliveries as small JSON blobs).
public enum TenantSnapshotCodec {
    /// 2 added each message's provider id and first attempt time; 3 stores the packed rows of
    /// the ``OrderTable`` and their text records as they are; 4 adds the write-back state of
    /// the rows flagged with one (and timeline entries with an action). Versions 1 to 3 still decode.
    static let version: UInt8 = 4

    struct Header: Codable {
        var account: Account?
        var settings: Settings
        var shop: String?
        var rejected: [RejectedDelivery]
        var inbox: [InboxMessage]?
    }

    /// Encodes `state`.
    public static func encode(_ state: TenantState) -> [UInt8] {
        var w = BinaryWriter(capacity: 64 + state.orders.count * 160 + state.webhooks.count * 17)
        // Format 3 while no order has a write-back state: such a snapshot is the same bytes,
        // and a binary from before write-back can still load it (a rollback).
        w.write(state.orders.syncs.isEmpty ? 3 : version)
        let header = Header(account: state.account, settings: state.settings, shop: state.shopDomain, rejected: state.rejected,
                            inbox: state.inbox)
        w.write(bytes: Array((try? JSONEncoder().encode(header)) ?? Data()))
        w.write(UInt64(state.webhooks.count))
        for d in state.webhooks.digests {
            w.write(d.hi)
            w.write(d.lo)
        }
        state.orders.writeRows(to: &w)
        return w.bytes
    }

    /// Decodes a payload written by ``encode(_:)``.
    public static func decode(_ bytes: ArraySlice<UInt8>) throws -> TenantState {
        var r = BinaryReader(bytes)
        let format = try r.readByte()
        guard (1...version).contains(format) else { throw BinaryReader.Malformed() }
        let header = try JSONDecoder().decode(Header.self, from: Data(try r.readBytes()))
        var state = TenantState()
        state.account = header.account
        state.settings = header.settings
        state.shopDomain = header.shop
        var webhooks = WebhookLog()
        let digestCount = Int(try r.readUInt64())
        for _ in 0..<digestCount {
            webhooks.insert(WebhookLog.Digest(hi: try r.readUInt64(), lo: try r.readUInt64()))
        }
        if format >= 3 {
            state.restore(orders: try OrderTable.readRows(from: &r), webhooks: webhooks, rejected: header.rejected)
            state.inbox = header.inbox ?? []
            return state
        }
        let count = Int(try r.readUInt64())
        var orders = OrderTable()
        orders.reserveCapacity(count, textBytes: count * 128)
        let statuses = OrderStatus.allCases
        let states = MessageState.allCases
        let decoder = JSONDecoder()
        for _ in 0..<count {
            let id = try r.readUInt64()
            let number = try r.readString()
            let customer = try r.readString()
            let phone = try r.readOptionalString()
            let phoneRaw = try r.readOptionalString()
            let phoneCountry = try r.readOptionalString()
            let email = try r.readOptionalString()
            let total = try r.readString()
            let currency = try r.readString()
            let pTotal = try r.readOptionalString()
            let pCurrency = try r.readOptionalString()
            let statusIndex = Int(try r.readByte())
            guard statusIndex < statuses.count else { throw BinaryReader.Malformed() }
            let slot = try r.readOptionalString()
            let test = try r.readBool()
            let created = try r.readInt64()
            let sUpdated = try r.readInt64()
            let arrived = try r.readInt64()
            let updated = try r.readInt64()
            let stateIndex = Int(try r.readByte())
            guard stateIndex < states.count else { throw BinaryReader.Malformed() }
            let scheduled = try r.readOptionalInt64()
            let attempts = try r.readInt()
            let lastError = try r.readOptionalString()
            let provider = try r.readOptionalString()
            let messageID = format >= 2 ? try r.readOptionalString() : nil
            let firstAttemptAt = format >= 2 ? try r.readOptionalInt64() : nil
            var events: [OrderEvent]?
            if try r.readBool() {
                let blob = try r.readBytes()
                events = try OrderEvent.fastDecodeArray(blob) ?? decoder.decode([OrderEvent].self, from: Data(blob))
            }
            orders.append(Order(
                id: id, number: number, customerName: customer, phone: phone, phoneRaw: phoneRaw, phoneCountry: phoneCountry,
                email: email, totalPrice: total, currency: currency, presentmentTotal: pTotal, presentmentCurrency: pCurrency,
                status: statuses[statusIndex], slot: slot, test: test, createdAt: created, shopifyUpdatedAt: sUpdated,
                arrivedAt: arrived, updatedAt: updated,
                message: OrderMessage(state: states[stateIndex], scheduledAt: scheduled, attempts: attempts, lastError: lastError, provider: provider,
                                      messageID: messageID, firstAttemptAt: firstAttemptAt),
                events: events))
        }
        state.restore(orders: orders, webhooks: webhooks, rejected: header.rejected)
        state.inbox = header.inbox ?? []
        return state
    }
}
