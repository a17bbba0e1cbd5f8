import ApplianceBackup
import ApplianceDomain
import ApplianceStorage
import Testing

/// Backup and restore through the FileSystem seam alone: a data directory on a
/// MemoryFileSystem is backed up, restored next to it and read back.
@Suite struct MemoryBackupTests {
    @Test func aBackupOnAMemoryFileSystemRestoresAndVerifies() async throws {
        let fs = MemoryFileSystem()
        let fixture = try await DataFixture.open("/data", fs: fs)
        let tenant = try await fixture.addTenant("memory@example.com")
        for id in UInt64(1)...3 { try await DataFixture.addOrder(tenant, id: id) }
        await fixture.close()

        try fs.createDirectory(at: "/backups")
        let made = try BackupMaker(dataRoot: "/data", fs: fs).write(to: "/backups/b.tar.gz")
        #expect(made.tenants == 1)
        #expect(fs.kind(of: "/backups/b.tar.gz") == .file)
        #expect(try fs.contentsOfDirectory(at: "/backups") == ["b.tar.gz"])

        let restored = try BackupRestorer(archivePath: "/backups/b.tar.gz", dataRoot: "/restored", fs: fs).restore()
        #expect(restored.tenants == 1)
        #expect(restored.orders == 3)
        #expect(try DataFixture.orderIDs(in: "/restored", tenant: tenant.id, fs: fs) == [1, 2, 3])
        #expect(!DataDirectoryLock.isHeld(root: "/restored", fs: fs))

        #expect(throws: BackupError.self) {
            try BackupRestorer(archivePath: "/backups/b.tar.gz", dataRoot: "/restored", fs: fs).restore()
        }
    }
}
