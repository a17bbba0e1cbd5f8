import ApplianceStorage
import Testing

/// Recovery makes durable what it keeps: a record that reached the file but not the disk (the
/// process died, or its `fdatasync` failed fatally) is synced before the journal is used again,
/// so a later redelivery acknowledged as "already stored" is really stored.
@Suite("Recovery syncs what it keeps")
struct RecoverySyncTests {
    @Test func aRecordWrittenButNotSyncedIsSyncedWhenTheJournalReopens() async throws {
        let fs = MemoryFileSystem()
        let dir = "/data/7"
        let (journal, _) = try openJournal(fs, dir)
        let first = try journal.enqueue(makeRecord(1, size: 80))
        try await journal.waitDurable(first)
        // The next record is written, but its fdatasync fails (the server exits on that).
        fs.setFault { op, _ in op == .sync }
        let second = try journal.enqueue(makeRecord(2, size: 80))
        await #expect(throws: StorageError.self) { try await journal.waitDurable(second) }
        fs.setFault(nil)

        // The restarted server finds the record in the file (the page cache still has it) and
        // will treat its delivery id as stored: recovery must make it durable now.
        let (reopened, recovered) = try openJournal(fs, dir)
        #expect(recovered.records.map(\.seq) == [first, second])
        // Then the machine loses power: nothing synced is lost, and the record was synced.
        fs.crash()
        let afterCrash = try recover(fs, dir, mode: .readOnly)
        #expect(afterCrash.records.map(\.seq) == [first, second], "recovery kept a record it never synced")
        _ = reopened
    }
}
