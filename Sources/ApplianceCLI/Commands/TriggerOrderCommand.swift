import ApplianceStorage
import ApplianceDomain
import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `trigger-order`: posts one correctly signed Shopify `orders/create` webhook, with the
/// tenant's secret read from the data directory (a test without Shopify). Works while serve runs.
struct TriggerOrderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "trigger-order", abstract: "Send a signed test order to the server.")

    @OptionGroup var options: DataDirOption
    @Option(name: .customLong("user-id"), help: "The tenant to send to.") var userID: Int
    @Option(help: "The server's base URL.") var url: String = "http://127.0.0.1:\(Environment.int("PORT", 8000))"
    @Option(help: "The customer's phone (free text, as Shopify would carry it).") var phone: String?
    @Option(help: "A payload file to send as is instead of a generated order.") var file: String?

    func run() async throws {
        try await refusingOnError {
            let data = DataDirectory(root: options.dataDir)
            guard data.fs.isDirectory(data.tenantPath(userID)) else { throw CLIFailure("no tenant \(userID) in \(data.root)") }
            let state = try Self.readState(data: data, userID: userID)
            guard let secret = state.settings.shopifyWebhookSecret else {
                throw CLIFailure("tenant \(userID) has no Shopify webhook secret; set shopify_webhook_secret in its settings first")
            }
            let body: [UInt8]
            if let file {
                body = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
            } else {
                body = Array(SampleOrder.make(phone: phone ?? "+1 415-555-2671", now: SystemWallClock().now()).utf8)
            }
            var base = url
            while base.hasSuffix("/") { base.removeLast() }
            guard let endpoint = URL(string: "\(base)/api/v1/webhooks/\(userID)") else { throw CLIFailure("bad --url \(url)") }
            var request = URLRequest(url: endpoint)
            request.httpMethod = "POST"
            request.httpBody = Data(body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.setValue("orders/create", forHTTPHeaderField: "X-Shopify-Topic")
            request.setValue(UUID().uuidString.lowercased(), forHTTPHeaderField: "X-Shopify-Webhook-Id")
            request.setValue(state.shopDomain ?? "demo-shop.myshopify.com", forHTTPHeaderField: "X-Shopify-Shop-Domain")
            request.setValue("2025-01", forHTTPHeaderField: "X-Shopify-API-Version")
            request.setValue(ShopifySignature.sign(body: body, secret: secret), forHTTPHeaderField: "X-Shopify-Hmac-Sha256")
            let (responseData, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            print("HTTP \(status) \(String(decoding: responseData, as: UTF8.self))")
            guard (200..<300).contains(status) else { throw CLIFailure("the server answered \(status)") }
        }
    }

    /// The tenant's state as on disk. A running server's compaction may remove a file between
    /// listing the folder and reading it: then the folder is read again.
    static func readState(data: DataDirectory, userID: Int) throws -> TenantState {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try TenantLoader.readState(directory: data.tenantPath(userID), fs: data.fs).0
            } catch let error as StorageError where error.errno == ENOENT && attempt < 5 {
                continue
            }
        }
    }
}
