import ApplianceStorage
import Testing
@testable import ApplianceDomain

@Suite struct DataDirectoryTests {
    @Test func initializingAnExistingRootMakesItPrivateThroughTheFileSystem() throws {
        let fs = MemoryFileSystem()
        try fs.createDirectory(at: "/data")
        try DataDirectory(root: "/data", fs: fs).initialize(now: 0)
        #expect(fs.permissions(at: "/data") == 0o700)
    }

    @Test func tenantFoldersAreCanonicalPositiveNumbers() throws {
        let fs = MemoryFileSystem()
        let data = DataDirectory(root: "/data", fs: fs)
        try data.initialize(now: 0)
        for name in ["7", "12", "007", "0", "-3", "x"] { try fs.createDirectory(at: "/data/" + name) }
        try fs.writeAtomically([1], to: "/data/9")
        #expect(try data.tenantIDs() == [7, 12])
        #expect(DataDirectory.tenantID(folder: "42") == 42)
        #expect(DataDirectory.tenantID(folder: "042") == nil)
        #expect(DataDirectory.tenantID(folder: "2147483647") == 2_147_483_647)
        for bad in ["", "0", "+1", "-1", " 1", "1 ", "2147483648", "99999999999", "1e3", "\u{FF11}"] {
            #expect(DataDirectory.tenantID(folder: bad) == nil, "\(bad)")
        }
    }
}
