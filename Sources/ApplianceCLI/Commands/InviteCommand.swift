import ApplianceDomain
import ArgumentParser
import Foundation

/// `user invite [--email E] [--days D]`: a one-time sign-up code and the dashboard link that
/// carries it. Works while `serve` runs (the invite is on disk before this prints; the server
/// reads the invites when a code is presented). Only the code's hash is kept.
struct InviteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite", abstract: "Print a one-time sign-up invite (works while serve runs).")

    @OptionGroup var options: DataDirOption
    @Option(help: "Only this email may use it.") var email: String?
    @Option(help: "Days it stays valid, 1 to 90.") var days: Int = 7
    @Option(help: "Base URL merchants reach the server at, for the link (env PUBLIC_URL).")
    var publicURL: String = Environment.string("PUBLIC_URL", "http://127.0.0.1:\(Environment.int("PORT", 8000))")

    func run() async throws {
        try await refusingOnError {
            guard (1...90).contains(days) else { throw CLIFailure("--days must be from 1 to 90") }
            let data = DataDirectory(root: options.dataDir)
            try data.checkFormat()
            let normalized = try email.map { try AccountService.normalize(email: $0) }
            let code = try InviteBook(root: data.root, fs: data.fs).create(email: normalized, days: days, now: SystemWallClock().now())
            var base = publicURL
            while base.hasSuffix("/") { base.removeLast() }
            print("invite code: \(code)")
            print("link: \(base)/?invite=\(code)")
            print("valid for \(days) day(s)" + (normalized.map { " for \($0)" } ?? " for any email") + "; it works once")
        }
    }
}
