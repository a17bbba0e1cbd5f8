import ApplianceDomain
import ApplianceHTTP
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Auth")
struct AuthTests {
    @Test func signupAnswers201WithTokenAndNormalisedEmail() async throws {
        try await withRouterClient { _, client in
            let r = try await client.signupResponse("  Alice.Merchant@Example.COM \n", "correct horse battery")
            #expect(r.status == .created)
            #expect(r.json.keys == ["access_token", "token_type", "user"])
            #expect(r.json["token_type"].string == "bearer")
            #expect(r.json["user"]["id"].int == 1)
            #expect(r.json["user"]["email"].string == "alice.merchant@example.com")
            #expect(r.json["access_token"].string?.split(separator: ".").count == 3)
            // The token works right away.
            let me = try await client.get("/api/v1/auth/me", token: r.json["access_token"].string)
            #expect(me.status == .ok)
            #expect(me.json["email"].string == "alice.merchant@example.com")
        }
    }

    @Test func duplicateEmailInOtherCaseOrWhitespaceIs409() async throws {
        try await withRouterClient { _, client in
            try await client.signup("bob@example.com")
            for variant in ["bob@example.com", "BOB@Example.com", "  bob@example.com  "] {
                let r = try await client.signupResponse(variant, "another password")
                #expect(r.status == .conflict, "\(variant)")
                #expect(r.errorCode == "email_taken")
            }
        }
    }

    @Test func invalidSignupsAre422() async throws {
        try await withRouterClient { app, client in
            let cases: [(String, String, String)] = [
                ("not-an-email", "correct horse battery", "email"),
                ("", "correct horse battery", "email"),
                ("a@b", "correct horse battery", "email"),
                ("carol@example.com", "1234567", "password"),  // 7 characters
                ("carol@example.com", String(repeating: "p", count: 1025), "password"),
            ]
            for (email, password, field) in cases {
                let r = try await client.signupResponse(email, password)
                #expect(r.status == .unprocessableContent, "\(email) / \(password.count) chars")
                #expect(r.errorCode == "invalid")
                #expect(r.errorMessage.contains(field), "\(r.errorMessage)")
            }
            // A body that is not the expected JSON.
            let bad = try await client.send(.post, "/api/v1/auth/signup", json: #"{"email": 1}"#)
            #expect(bad.status == .unprocessableContent)
            // The limits themselves are accepted: 8 and 1024 characters.
            #expect(try await client.signupResponse("eight@example.com", "12345678").status == .created)
            #expect(try await client.signupResponse("long@example.com", String(repeating: "p", count: 1024)).status == .created)
            // Nothing was created for the refused sign-ups.
            #expect(app.registry.tenantIDs == [1, 2])
        }
    }

    @Test func loginRightWrongAndUnknown() async throws {
        try await withRouterClient { _, client in
            let s = try await client.signup("dave@example.com", "dave's password")
            let ok = try await client.loginResponse(" DAVE@example.com", "dave's password")
            #expect(ok.status == .ok)
            #expect(ok.json["token_type"].string == "bearer")
            #expect(ok.json["user"]["id"].int == s.id)
            #expect(ok.json["user"]["email"].string == "dave@example.com")
            let token = try #require(ok.json["access_token"].string)
            #expect(try await client.get("/api/v1/auth/me", token: token).status == .ok)

            let wrong = try await client.loginResponse("dave@example.com", "not the password")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.errorCode == "bad_credentials")
            let unknown = try await client.loginResponse("nobody@example.com", "dave's password")
            #expect(unknown.status == .unauthorized)
            #expect(unknown.errorMessage == wrong.errorMessage, "an unknown email must look like a wrong password")
        }
    }

    @Test func fiveFailuresThrottleTheSixthEvenWithTheRightPassword() async throws {
        try await withRouterClient { _, client in
            try await client.signup("erin@example.com", "erin's password")
            try await client.signup("frank@example.com", "frank's password")
            for i in 1...5 {
                let r = try await client.loginResponse("erin@example.com", "wrong \(i)")
                #expect(r.status == .unauthorized, "attempt \(i)")
            }
            let sixth = try await client.loginResponse("Erin@Example.com", "erin's password")
            #expect(sixth.status == .tooManyRequests)
            #expect(sixth.errorCode == "throttled")
            let retry = try #require(sixth.headers[.retryAfter].flatMap { Int($0) })
            #expect(retry > 0 && retry <= 15 * 60)
            // Another email is not affected.
            #expect(try await client.loginResponse("frank@example.com", "frank's password").status == .ok)
        }
    }

    @Test func throttleEndsWhenTheOldestFailureIs15MinutesOld() async throws {
        try await withRouterClient { app, client in
            try await client.signup("gina@example.com", "gina's password")
            for _ in 1...5 { _ = try await client.loginResponse("gina@example.com", "wrong") }
            #expect(try await client.loginResponse("gina@example.com", "gina's password").status == .tooManyRequests)
            app.clock.advance(seconds: 15 * 60 + 1)
            #expect(try await client.loginResponse("gina@example.com", "gina's password").status == .ok)
        }
    }

    @Test func meShowsIDEmailAndWebhookURL() async throws {
        try await withRouterClient { _, client in
            try await client.signup("first@example.com")
            let s = try await client.signup("Second@Example.com")
            let r = try await client.get("/api/v1/auth/me", token: s.token)
            #expect(r.status == .ok)
            #expect(r.json.keys == ["id", "email", "webhook_url"])
            #expect(r.json["id"].int == 2)
            #expect(r.json["email"].string == "second@example.com")
            #expect(r.json["webhook_url"].string == "\(TestApp.publicURL)/api/v1/webhooks/2")
        }
    }

    @Test func badTokensAre401() async throws {
        try await withRouterClient { app, client in
            let s = try await client.signup("hank@example.com")
            let now = app.clock.now() / 1000
            func b64url(_ bytes: [UInt8]) -> String {
                Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                    .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            }
            let payload = b64url(Array(#"{"sub":"\#(s.id)","iat":\#(now),"exp":\#(now + 3600)}"#.utf8))
            let noneHeader = b64url(Array(#"{"alg":"none","typ":"JWT"}"#.utf8))
            let key = try app.data.signingKey()
            // alg "none", unsigned; and alg "none" with a valid MAC (the header must still be refused).
            let unsignedNone = "\(noneHeader).\(payload)."
            let signedNone = "\(noneHeader).\(payload)." + b64url(HMACSHA256.authenticationCode(for: Array("\(noneHeader).\(payload)".utf8), key: key))
            // Correctly signed, but expired an hour ago.
            let expired = try app.token(userID: s.id, issuedAt: now - 25 * 3600)
            // Signed with another key.
            let foreign = TokenSigner(key: Array(repeating: 7, count: 32)).sign(userID: s.id, now: now)
            // A tampered payload (another user id) keeps the old signature.
            let parts = s.token.split(separator: ".")
            let tampered = "\(parts[0]).\(b64url(Array(#"{"sub":"2","iat":\#(now),"exp":\#(now + 3600)}"#.utf8))).\(parts[2])"
            // Well signed for a user that does not exist.
            let ghost = try app.token(userID: 99, issuedAt: now)

            for token in ["garbage", "a.b.c", unsignedNone, signedNone, expired, foreign, tampered, ghost] {
                let r = try await client.get("/api/v1/auth/me", token: token)
                #expect(r.status == .unauthorized, "\(token)")
                #expect(r.errorCode == "unauthorized")
                let admin = try await client.get("/api/v1/admin/orders", token: token)
                #expect(admin.status == .unauthorized, "\(token)")
            }
            // No token, or not a bearer token.
            #expect(try await client.get("/api/v1/auth/me").status == .unauthorized)
            #expect(try await client.get("/api/v1/admin/settings").status == .unauthorized)
            let basic = try await client.send(.get, "/api/v1/admin/settings", headers: [.authorization: "Basic \(s.token)"])
            #expect(basic.status == .unauthorized)
            // The real token still works.
            #expect(try await client.get("/api/v1/auth/me", token: s.token).status == .ok)
        }
    }

    @Test func tokenExpiresWithTheClock() async throws {
        try await withRouterClient { app, client in
            let s = try await client.signup("ivy@example.com")
            #expect(try await client.get("/api/v1/auth/me", token: s.token).status == .ok)
            app.clock.advance(seconds: 24 * 3600 + 1)
            #expect(try await client.get("/api/v1/auth/me", token: s.token).status == .unauthorized)
        }
    }

    @Test func idsIncreaseAndEachTenantGetsItsFolder() async throws {
        try await withRouterClient { app, client in
            var ids: [Int] = []
            for name in ["one", "two", "three"] {
                ids.append(try await client.signup("\(name)@example.com").id)
            }
            #expect(ids == [1, 2, 3])
            for id in ids {
                var isDirectory: ObjCBool = false
                #expect(FileManager.default.fileExists(atPath: app.root + "/\(id)", isDirectory: &isDirectory) && isDirectory.boolValue)
                let files = try FileManager.default.contentsOfDirectory(atPath: app.root + "/\(id)")
                #expect(files.contains { $0.hasPrefix("journal-") }, "\(files)")
                // Folders 0700, files 0600.
                #expect(try Self.mode(app.root + "/\(id)") == 0o700)
                for file in files { #expect(try Self.mode(app.root + "/\(id)/" + file) == 0o600, "\(file)") }
            }
            // The root holds only global files and tenant folders.
            let root = try FileManager.default.contentsOfDirectory(atPath: app.root)
            for name in root where Int(name) == nil {
                #expect(["format.json", "jwt.key", ".lock"].contains(name), "unexpected \(name) in the data root")
            }
        }
    }

    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return ((attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1) & 0o777
    }

    @Test func tokensAndAccountsSurviveARestart() async throws {
        try await withDataDirectory { root in
            let first = try await TestApp.open(root: root)
            let s = try await first.test { client in try await client.signup("june@example.com", "june's password") }
            await first.shutdown()

            let second = try await TestApp.open(root: root)
            try await second.test { client async throws in
                #expect(try await client.get("/api/v1/auth/me", token: s.token).status == .ok)
                #expect(try await client.loginResponse("june@example.com", "june's password").status == .ok)
                #expect(try await client.signupResponse("JUNE@example.com", "whatever123").status == .conflict)
                #expect(try await client.signup("kate@example.com").id == 2)
            }
            await second.shutdown()
        }
    }
}
