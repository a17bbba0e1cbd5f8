import NIOPosix
import ApplianceDomain
import ApplianceServer
import ApplianceStorage
import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `user add|list|reset-password`: tenant accounts from the shell.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage merchant accounts.",
        subcommands: [Add.self, List.self, ResetPassword.self, InviteCommand.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account (refused while serve runs).")
        @OptionGroup var options: DataDirOption
        @Option var email: String
        @Option var password: String

        func run() async throws {
            try await refusingOnError {
                let (appliance, lock) = try await Runtime.openOffline(dataDir: options.dataDir, label: "user", initialize: true)
                let session: AccountService.Session
                do {
                    session = try await appliance.accounts.signup(email: email, password: password)
                } catch {
                    await appliance.close()
                    throw error
                }
                await appliance.close()
                withExtendedLifetime(lock) {}
                print("created user \(session.account.id) <\(session.account.email)>")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts (works while serve runs).")
        @OptionGroup var options: DataDirOption

        func run() async throws {
            try await refusingOnError {
                let data = DataDirectory(root: options.dataDir)
                try data.checkFormat()
                print("id\temail\torders\tstatus")
                for id in try data.tenantIDs() {
                    do {
                        let (state, _) = try TenantLoader.readState(directory: data.tenantPath(id), fs: data.fs)
                        print("\(id)\t\(state.account?.email ?? "-")\t\(state.orders.count)\tok")
                    } catch {
                        print("\(id)\t-\t-\tdamaged: \(error)")
                    }
                }
            }
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Set a new password (read from stdin without --password; refused while serve runs).")
        @OptionGroup var options: DataDirOption
        @Option var email: String
        @Option var password: String?

        func run() async throws {
            try await refusingOnError {
                let newPassword = try password ?? Self.readPassword()
                let (appliance, lock) = try await Runtime.openOffline(dataDir: options.dataDir, label: "user", initialize: false)
                do {
                    try await appliance.accounts.resetPassword(email: email, password: newPassword)
                } catch {
                    await appliance.close()
                    throw error
                }
                await appliance.close()
                withExtendedLifetime(lock) {}
                print("password changed for \(email.lowercased().trimmingCharacters(in: .whitespaces))")
            }
        }

        /// The first line of stdin; at a terminal, asked twice without echo.
        static func readPassword() throws -> String {
            if isatty(0) != 0 {
                guard let first = getpass("New password: ").map({ String(cString: $0) }),
                      let second = getpass("Repeat it: ").map({ String(cString: $0) }) else { throw CLIFailure("no password given") }
                guard first == second else { throw CLIFailure("the two passwords differ") }
                return first
            }
            guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw CLIFailure("no password on stdin") }
            return line
        }
    }
}
