import ApplianceStorage
import Foundation
import Logging

/// Rebuilds a tenant's state from its folder: newest valid snapshot, then the journal records
/// after it (repairing a torn tail), and opens its journal for writing.
public enum TenantLoader {
    /// A tenant that could not be loaded, with whatever was salvaged before the damage.
    public struct Damaged: Error, Sendable {
        public let error: StorageError
        /// State rebuilt from the records before the damage (the account, usually).
        public let partial: TenantState
    }

    /// Recovers the state in `directory` without changing any file (for `check` and tools that
    /// run beside `serve`).
    public static func readState(directory: String, fs: any FileSystem) throws -> (TenantState, RecoveryReport) {
        var state = TenantState()
        let report = try replay(directory: directory, fs: fs, mode: .readOnly, logger: nil, into: &state)
        return (state, report)
    }

    static func replay(directory: String, fs: any FileSystem, mode: JournalReader.Mode, logger: Logger?, into state: inout TenantState) throws -> RecoveryReport {
        let decoder = JSONDecoder()
        var local = TenantState()
        defer {
            local.releaseSpareCapacity()
            state = local
        }
        return try JournalReader.recover(
            directory: directory, fs: fs, mode: mode, logger: logger,
            onSnapshot: { seq, payload in
                do {
                    local = try TenantSnapshotCodec.decode(payload)
                } catch {
                    throw StorageError(.badSnapshot, "snapshot \(seq) payload does not decode", path: directory)
                }
            },
            onRecord: { seq, raw in
                let record: TenantRecord
                do {
                    // Order records (nearly all of them) through the fast reader; the rest, and
                    // anything it is not sure of, through JSONDecoder as before.
                    record = try TenantRecord.fastDecodeOrderRecord(raw) ?? decoder.decode(TenantRecord.self, from: Data(raw))
                } catch {
                    throw StorageError(.corrupt, "record \(seq) is not a valid tenant record", path: directory)
                }
                local.apply(record)
            })
    }

    /// Recovers `directory` (repair mode) and opens its journal.
    public static func open(id: Int, directory: String, context: TenantContext) throws -> Tenant {
        let (state, journal) = try recoverJournal(directory: directory, context: context, tenantID: id)
        return Tenant(id: id, directory: directory, state: state, journal: journal, context: context)
    }

    static func recoverJournal(directory: String, context: TenantContext, tenantID: Int) throws -> (TenantState, Journal) {
        var logger = context.logger
        logger[metadataKey: "tenant"] = "\(tenantID)"
        var state = TenantState()
        let report: RecoveryReport
        do {
            report = try replay(directory: directory, fs: context.fs, mode: .repair, logger: logger, into: &state)
        } catch let error as StorageError {
            throw Damaged(error: error, partial: state)
        }
        let journal = try Journal(directory: directory, fs: context.fs, report: report, pool: context.pool,
                                  group: context.syncGroup, logger: logger, onFatal: context.onFatal)
        return (state, journal)
    }
}
