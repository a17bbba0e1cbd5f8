import ApplianceTestSupport
import Foundation
import Synchronization
import Testing

/// Sign-up policies and invites against the real binary (CONTRACT "Sign-up, limits and abuse").
@Suite(.serialized, .timeLimit(.minutes(10)))
struct SignupTests {
    static func signup(_ port: Int, _ email: String, invite: String? = nil, password: String = "a good password") throws -> HTTPResponse {
        var body: [String: Any] = ["email": email, "password": password]
        if let invite { body["invite"] = invite }
        return try HTTPConnection(port: port).json("POST", "/api/v1/auth/signup", body)
    }

    static func code(_ response: HTTPResponse) -> String? {
        (response.object?["error"] as? [String: Any])?["code"] as? String
    }

    /// `user invite` run beside the server; returns the code from its output.
    static func invite(_ harness: SystemHarness, email: String? = nil, days: Int = 7) throws -> String {
        var arguments = ["user", "invite", "--data-dir", harness.dataDir, "--days", String(days), "--public-url", "https://orders.example.com/"]
        if let email { arguments += ["--email", email] }
        let result = try harness.cli(arguments)
        try #require(result.status == 0, "\(result)")
        let line = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("invite code: ") })
        let code = String(line.dropFirst("invite code: ".count))
        #expect(result.stdout.contains("https://orders.example.com/?invite=\(code)"), "\(result)")
        return code
    }

    @Test func firstAccountOnlyThenInvites() throws {
        let harness = try SystemHarness()
        defer { harness.cleanup() }
        #expect(try harness.cli(["init", "--data-dir", harness.dataDir]).status == 0)
        var server = try harness.startServer(environment: ["SIGNUP": "first"])
        // The first account of an empty data directory signs up; the next is refused, saying how.
        #expect(try Self.signup(server.port, "owner@example.com").status == 201)
        let second = try Self.signup(server.port, "stranger@example.com")
        #expect(second.status == 403 && Self.code(second) == "signup_closed", "\(second.status) \(second.text)")
        #expect(second.text.contains("invite"), "\(second.text)")
        // 422 comes before 403, and 403 before 409.
        #expect(try Self.signup(server.port, "not an email").status == 422)
        #expect(Self.code(try Self.signup(server.port, "owner@example.com")) == "signup_closed")

        // An invite made while serve runs works at once, for its email only, once.
        let forAmina = try Self.invite(harness, email: "Amina@Example.com")
        let wrongEmail = try Self.signup(server.port, "someone@example.com", invite: forAmina)
        #expect(wrongEmail.status == 403 && Self.code(wrongEmail) == "invite_invalid", "\(wrongEmail.text)")
        #expect(try Self.signup(server.port, "amina@example.com", invite: forAmina).status == 201)
        let again = try Self.signup(server.port, "amina2@example.com", invite: forAmina)
        #expect(again.status == 403 && Self.code(again) == "invite_invalid")
        #expect(Self.code(try Self.signup(server.port, "x@example.com", invite: "not-a-code")) == "invite_invalid")

        // Invites survive a restart, made before or while the server ran; a used one stays used.
        let beforeRestart = try Self.invite(harness)
        server.stop()
        let whileStopped = try Self.invite(harness)
        server = try harness.startServer(environment: ["SIGNUP": "closed"])
        #expect(Self.code(try Self.signup(server.port, "walk-in@example.com")) == "signup_closed")
        #expect(try Self.signup(server.port, "b@example.com", invite: beforeRestart).status == 201)
        #expect(try Self.signup(server.port, "c@example.com", invite: whileStopped).status == 201)
        #expect(Self.code(try Self.signup(server.port, "amina3@example.com", invite: forAmina)) == "invite_invalid")
        // Only hashes are kept.
        let stored = try String(contentsOfFile: harness.dataDir + "/invites.jsonl", encoding: .utf8)
        for code in [forAmina, beforeRestart, whileStopped] { #expect(!stored.contains(code)) }
        server.stop()
        #expect(try harness.cli(["check", "--data-dir", harness.dataDir]).status == 0)
    }

    @Test func anInviteUsedConcurrentlyMakesOneAccount() throws {
        let harness = try SystemHarness()
        defer { harness.cleanup() }
        #expect(try harness.cli(["init", "--data-dir", harness.dataDir]).status == 0)
        let server = try harness.startServer(environment: ["SIGNUP": "closed"])
        let code = try Self.invite(harness)
        let statuses = Mutex<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 12) { i in
            let status = (try? Self.signup(server.port, "racer\(i)@example.com", invite: code).status) ?? -1
            statuses.withLock { $0.append(status) }
        }
        let all = statuses.withLock { $0 }.sorted()
        #expect(all.filter { $0 == 201 }.count == 1, "\(all)")
        #expect(all.filter { $0 == 403 }.count == 11, "\(all)")
    }

    @Test func openSignUpIsThrottledPerAddressButNotWithAnInvite() throws {
        let harness = try SystemHarness()
        defer { harness.cleanup() }
        #expect(try harness.cli(["init", "--data-dir", harness.dataDir]).status == 0)
        let server = try harness.startServer(environment: ["SIGNUP": "open", "SIGNUP_LIMIT": "3"])
        for i in 0..<3 { #expect(try Self.signup(server.port, "open\(i)@example.com").status == 201) }
        let fourth = try Self.signup(server.port, "open3@example.com")
        #expect(fourth.status == 429, "\(fourth.status) \(fourth.text)")
        #expect(fourth.headers.contains { $0.key.lowercased() == "retry-after" }, "\(fourth.headers)")
        #expect(try Self.signup(server.port, "invited@example.com", invite: try Self.invite(harness)).status == 201)
    }
}
