import ApplianceCoding
import Foundation
import Testing
@testable import WebDriver

extension BrowserTests {
    @Suite struct Profiles {
        @Test func userDataDirectoryKeepsStorageAcrossSessions() async throws {
            let profile = try ChromeHarness.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: profile) }
            try await TestServer.with { server in
                try await ChromeHarness.withService { service, watch in
                    try await service.withSession(ChromeHarness.options(profile: profile)) { session in
                        #expect(session.userDataDirectory == profile)
                        try await session.navigate(to: server.url("/storage"))
                        try await session.executeScript("""
                            localStorage.setItem('tenant', 'acme');
                            document.cookie = 'remember=yes; max-age=3600; path=/';
                            """)
                        watch.record(service.processIDs())
                    }
                    // The first browser has quit, released the profile and flushed it.
                    #expect(!FileManager.default.fileExists(atPath: profile + "/SingletonLock"))
                    try await service.withSession(ChromeHarness.options(profile: profile)) { session in
                        try await session.navigate(to: server.url("/storage"))
                        #expect(try await session.executeScript("return localStorage.getItem('tenant')") == "acme")
                        #expect(try await session.executeScript("return document.cookie").stringValue?.contains("remember=yes") == true)
                        watch.record(service.processIDs())
                    }
                }
            }
        }

        @Test func staleSingletonLockFromAnotherHostIsCleared() async throws {
            let profile = try ChromeHarness.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: profile) }
            try await ChromeHarness.withService { service, watch in
                // A profile last used by a Chrome that crashed in a container with another hostname.
                try await service.withSession(ChromeHarness.options(profile: profile)) { _ in watch.record(service.processIDs()) }
                try plantLock(in: profile, target: "old-container-4242")

                let refused = await #expect(throws: WebDriverError.self) {
                    try await service.withSession(ChromeHarness.options(profile: profile)) { _ in }
                }
                #expect(refused?.code == .sessionNotCreated)
                #expect(refused?.message.contains("SingletonLock") == true)

                #expect(try ChromeProfileLock.clearStale(in: profile) == .lockedByOtherHost(host: "old-container", pid: 4242))
                #expect(lockExists(profile))
                #expect(try ChromeProfileLock.clearStale(in: profile, otherHosts: .assumeStale) == .removedStale(lock: "old-container-4242"))
                for name in ChromeProfileLock.fileNames { #expect(!lockExists(profile, name)) }

                try await service.withSession(ChromeHarness.options(profile: profile)) { session in
                    watch.record(service.processIDs())
                    let one = try await session.executeScript("return 1")
                    #expect(one == 1)
                }

                // The same, done by newSession when the options ask for it.
                try plantLock(in: profile, target: "old-container-4243")
                var options = ChromeHarness.options(profile: profile)
                options.clearsStaleProfileLock = .assumeStale
                try await service.withSession(options) { _ in watch.record(service.processIDs()) }
            }
        }

        @Test func lockHeldByALiveChromeIsKept() async throws {
            let profile = try ChromeHarness.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: profile) }
            try await ChromeHarness.withService { service, watch in
                try await service.withSession(ChromeHarness.options(profile: profile)) { session in
                    watch.record(service.processIDs())
                    let pid = try #require(session.browserProcessID)
                    #expect(try ChromeProfileLock.clearStale(in: profile, otherHosts: .assumeStale) == .inUse(pid: pid))
                    #expect(lockExists(profile))
                }
            }
        }

        @Test func sameHostLockWithDeadOrForeignPidIsStale() throws {
            let profile = try ChromeHarness.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: profile) }
            let host = ChromeProfileLock.currentHostName()
            #expect(try ChromeProfileLock.clearStale(in: profile) == .unlocked)

            // A pid that has exited.
            let done = Process()
            done.executableURL = URL(fileURLWithPath: "/bin/true")
            try done.run()
            done.waitUntilExit()
            try plantLock(in: profile, target: "\(host)-\(done.processIdentifier)")
            #expect(try ChromeProfileLock.clearStale(in: profile) == .removedStale(lock: "\(host)-\(done.processIdentifier)"))
            #expect(!lockExists(profile))

            // A live pid that is not a browser (the pid was reused): this test process.
            try plantLock(in: profile, target: "\(host)-\(getpid())")
            #expect(try ChromeProfileLock.clearStale(in: profile) == .removedStale(lock: "\(host)-\(getpid())"))
            #expect(!lockExists(profile))
        }
    }
}

/// Creates the three singleton symlinks as a crashed Chrome leaves them.
func plantLock(in profile: String, target: String) throws {
    let fm = FileManager.default
    try fm.createSymbolicLink(atPath: profile + "/SingletonLock", withDestinationPath: target)
    try fm.createSymbolicLink(atPath: profile + "/SingletonSocket", withDestinationPath: "/tmp/org.chromium.Chromium.gone/SingletonSocket")
    try fm.createSymbolicLink(atPath: profile + "/SingletonCookie", withDestinationPath: "1234567890")
}

/// True when the (possibly dangling) symlink `name` exists in `profile`.
func lockExists(_ profile: String, _ name: String = "SingletonLock") -> Bool {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: profile + "/" + name)) != nil
}
