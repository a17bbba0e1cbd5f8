import Foundation
import Testing
@testable import ApplianceDomain

@Suite struct CryptoTests {
    @Test func shopifySignatureOverRawBytes() {
        let body = Array(#"{"id":1}"#.utf8)
        let header = ShopifySignature.sign(body: body, secret: "hush")
        #expect(ShopifySignature.isValid(body: body, header: header, secret: "hush"))
        #expect(!ShopifySignature.isValid(body: body, header: header, secret: "other"))
        #expect(!ShopifySignature.isValid(body: Array(#"{"id": 1}"#.utf8), header: header, secret: "hush"))
        #expect(!ShopifySignature.isValid(body: body, header: nil, secret: "hush"))
        #expect(!ShopifySignature.isValid(body: body, header: "not base64!", secret: "hush"))
    }

    @Test func hmacMatchesAKnownVector() {
        // RFC 4231 test case 2.
        let mac = HMACSHA256.authenticationCode(for: Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8))
        #expect(mac.map { String(format: "%02x", $0) }.joined() == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func tokensSignVerifyExpireAndPinTheAlgorithm() throws {
        let signer = TokenSigner(key: SecureRandom.bytes(32), lifetime: 60)
        let token = signer.sign(userID: 7, now: 1000)
        let claims = try signer.verify(token, now: 1030)
        #expect(claims.userID == 7)
        #expect(claims.expiresAt == 1060)
        #expect(throws: DomainError.self) { try signer.verify(token, now: 1060) }
        let other = TokenSigner(key: SecureRandom.bytes(32))
        #expect(throws: DomainError.self) { try other.verify(token, now: 1030) }
        // alg "none" with the same payload and no signature.
        let parts = token.split(separator: ".")
        let none = TokenSigner.base64URL(Array(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + parts[1] + "."
        #expect(throws: DomainError.self) { try signer.verify(none, now: 1030) }
        #expect(throws: DomainError.self) { try signer.verify("garbage", now: 1030) }
    }

    @Test func argon2idWithOWASPParameters() {
        let hasher = PasswordHasher.owasp
        let hash = hasher.hash("correct horse battery")
        #expect(hash.hasPrefix("$argon2id$v=19$m=19456,t=2,p=1$"))
        #expect(hasher.verify("correct horse battery", hash: hash))
        #expect(!hasher.verify("wrong horse", hash: hash))
        #expect(hash != hasher.hash("correct horse battery"))  // salted
    }

    @Test func cursorsAreTamperEvident() {
        let cursors = OrderCursor(key: SecureRandom.bytes(32))
        let c = cursors.encode(position: 120, tenantID: 3)
        #expect(cursors.decode(c, tenantID: 3) == 120)
        #expect(cursors.decode(c, tenantID: 4) == nil)
        #expect(cursors.decode("121." + c.split(separator: ".")[1], tenantID: 3) == nil)
        #expect(cursors.decode("bogus", tenantID: 3) == nil)
    }
}
