import ApplianceDashboard
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Dashboard: static files and headers")
struct DashboardServingTests {
    static func assertSecurityHeaders(_ r: TestResponse, _ what: String) {
        let csp = r.headers[.contentSecurityPolicy] ?? ""
        #expect(csp.contains("script-src 'self'"), "\(what): \(csp)")
        #expect(csp.contains("frame-ancestors 'none'"), "\(what)")
        #expect(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "\(what)")
        #expect(r.headers[.xContentTypeOptions] == "nosniff", "\(what)")
        #expect(["same-origin", "no-referrer", "strict-origin"].contains(r.headers[HTTPField.Name("Referrer-Policy")!] ?? ""), "\(what)")
        #expect(r.headers[.eTag]?.hasPrefix("\"") == true, "\(what)")
    }

    @Test func everyEmbeddedFileIsServedWithTheHeadersAndRevalidates() async throws {
        let names = DashboardAssets.builtIn.names
        #expect(names.contains("index.html"))
        try await withRouterClient { _, client in
            let root = try await client.get("/")
            #expect(root.status == .ok)
            #expect(root.headers[.contentType]?.hasPrefix("text/html") == true)
            Self.assertSecurityHeaders(root, "/")
            for name in names {
                let r = try await client.get("/assets/\(name)")
                #expect(r.status == .ok, "\(name)")
                Self.assertSecurityHeaders(r, name)
                #expect(Array(r.body.readableBytesView) == DashboardAssets.builtIn.asset(named: name)?.bytes, "\(name)")
                let etag = try #require(r.headers[.eTag])
                let again = try await client.send(.get, "/assets/\(name)", headers: [.ifNoneMatch: etag])
                #expect(again.status == .notModified, "\(name)")
                #expect(again.body.readableBytes == 0)
                let stale = try await client.send(.get, "/assets/\(name)", headers: [.ifNoneMatch: "\"0-0\""])
                #expect(stale.status == .ok)
            }
        }
    }

    @Test func deepLinksServeThePageButUnknownAPIRoutesStayJSON404() async throws {
        try await withRouterClient { _, client in
            let deep = try await client.get("/orders/123")
            #expect(deep.status == .ok)
            #expect(deep.headers[.contentType]?.hasPrefix("text/html") == true)
            Self.assertSecurityHeaders(deep, "deep link")
            let api = try await client.get("/api/v1/no-such-thing")
            #expect(api.status == .notFound)
            #expect(api.headers[.contentType]?.hasPrefix("application/json") == true)
            for bad in ["/assets/..%2Fpackage.json", "/assets/.hidden", "/assets/nope.js"] {
                #expect(try await client.get(bad).status == .notFound, "\(bad)")
            }
        }
    }

    /// The page must work under the CSP: no inline script, no inline handlers or style
    /// attributes, and every asset it names exists.
    @Test func pageNeedsNothingTheCSPForbidsAndNamesOnlyExistingAssets() throws {
        let assets = DashboardAssets.builtIn
        let html = String(decoding: try #require(assets.asset(named: "index.html")).bytes, as: UTF8.self)
        let inlineScript = try Regex(#"<script(?![^>]*\bsrc=)[^>]*>"#)
        #expect(html.firstMatch(of: inlineScript) == nil, "inline <script> would be blocked by the CSP")
        #expect(html.firstMatch(of: try Regex(#"\son[a-z]+\s*="#)) == nil, "inline event handler")
        #expect(html.firstMatch(of: try Regex(#"\sstyle\s*="#)) == nil, "style attribute")
        for match in html.matches(of: try Regex(#"/assets/([A-Za-z0-9._-]+)"#)) {
            let name = String(match.output[1].substring ?? "")
            #expect(assets.asset(named: name) != nil, "index.html names /assets/\(name), which is not embedded")
        }
        for name in assets.names where name.hasSuffix(".js") {
            let js = String(decoding: assets.asset(named: name)!.bytes, as: UTF8.self)
            #expect(!js.contains("eval("), "\(name) uses eval")
            for m in js.matches(of: try Regex(#"from\s+['"]\./([A-Za-z0-9._-]+)['"]"#)) {
                let imported = String(m.output[1].substring ?? "")
                #expect(assets.asset(named: imported) != nil, "\(name) imports ./\(imported), which is not embedded")
            }
        }
    }
}

@Suite("Dashboard: fingerprinted asset URLs")
struct DashboardVersionTests {
    @Test func thePageNamesFingerprintedAssetsThatAreCachedForGood() async throws {
        let version = try #require(DashboardAssets.builtIn.version)
        try await withRouterClient { _, client in
            let page = String(buffer: try await client.get("/").body)
            #expect(page.contains("/assets/v/\(version)/app.js"))
            #expect(!page.contains("\"/assets/app.js"))
            let js = try await client.get("/assets/v/\(version)/app.js")
            #expect(js.status == .ok)
            #expect(js.headers[.cacheControl]?.contains("immutable") == true)
            DashboardServingTests.assertSecurityHeaders(js, "versioned app.js")
            // A page from before an upgrade still gets its files, just not cached for good.
            let stale = try await client.get("/assets/v/0000/app.js")
            #expect(stale.status == .ok)
            #expect(stale.headers[.cacheControl] == "no-cache")
        }
    }
}
