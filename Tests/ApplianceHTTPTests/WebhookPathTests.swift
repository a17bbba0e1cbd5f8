@testable import ApplianceHTTP
import Testing

/// The webhook paths the fast path in front of the router takes, and the ones it leaves to the
/// router (whose answers for those stay the router's).
@Suite struct WebhookPathTests {
    @Test func theTwoUsualShapesAreTaken() {
        func parts(_ path: String) -> [String?]? { WebhookPath(path).map { [String($0.userID), $0.topic] } }
        #expect(parts("/api/v1/webhooks/12") == ["12", nil])
        #expect(parts("/api/v1/webhooks/12/orders/create") == ["12", "orders/create"])
        // The segment is taken as written: the controller decides it is not a tenant id.
        #expect(parts("/api/v1/webhooks/abc/x/y") == ["abc", "x/y"])
    }

    @Test(arguments: [
        "/api/v1/webhooks/", "/api/v1/webhooks", "/api/v1/webhooks//orders/create", "/api/v1/webhooks/12/",
        "/api/v1/webhooks/12/orders", "/api/v1/webhooks/12/orders/create/", "/api/v1/webhooks/12//create", "/api/v1/webhooks/12/a/b/c",
        "/api/v1/webhooks/%31%32", "/api/v1/webhooks/12/orders/cre%61te", "/api/v2/webhooks/12", "/API/v1/webhooks/12",
    ])
    func everythingElseGoesToTheRouter(path: String) {
        #expect(WebhookPath(path) == nil)
    }
}
