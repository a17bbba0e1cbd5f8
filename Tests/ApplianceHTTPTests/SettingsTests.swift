import ApplianceDomain
import ApplianceHTTP
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Settings")
struct SettingsTests {
    @Test func defaults() async throws {
        try await withRouterClient { _, client in
            let s = try await client.signup("defaults@example.com")
            let json = try await client.settings(s)
            #expect(json["webhook_url"].string == "\(TestApp.publicURL)/api/v1/webhooks/\(s.id)")
            #expect(json["confirmation_delay_minutes"].double == 30)
            #expect(json["confirmation_mode"].string == "notify")
            #expect(json["whatsapp_provider"].string == "web")
            #expect(json["shopify_webhook_secret_set"].bool == false)
            #expect(!json["shopify_webhook_secret"].exists)
            #expect(json["cloud"]["access_token_set"].bool == false)
            #expect(json["cloud"]["app_secret_set"].bool == false)
            #expect(!json["cloud"]["access_token"].exists && !json["cloud"]["app_secret"].exists)
            #expect(json["shop_name"].isNull)
            #expect(json["quiet_hours"].isNull)
            #expect(json["timezone"].string == "UTC")
            #expect(json["message_template"].string?.contains("{order_number}") == true)
            for key in ["webhook_url", "shop_name", "shopify_webhook_secret_set", "confirmation_delay_minutes", "confirmation_mode",
                        "message_template", "whatsapp_provider", "cloud", "timezone", "quiet_hours"] {
                #expect(json[key].exists, "missing \(key)")
            }
        }
    }

    @Test func putSubsetMergesAndKeepsTheRest() async throws {
        try await withRouterClient { _, client in
            let s = try await client.signup("merge@example.com")
            let first = try await client.putSettings(s, #"{"confirmation_delay_minutes": 2.5, "timezone": "Europe/Paris"}"#)
            #expect(first.status == .ok)
            #expect(first.json["confirmation_delay_minutes"].double == 2.5)
            #expect(first.json["timezone"].string == "Europe/Paris")

            let second = try await client.putSettings(s, #"{"confirmation_mode": "ask", "quiet_hours": {"start": "22:00", "end": "08:00"}}"#)
            #expect(second.status == .ok)
            let json = try await client.settings(s)
            #expect(json["confirmation_delay_minutes"].double == 2.5)
            #expect(json["timezone"].string == "Europe/Paris")
            #expect(json["confirmation_mode"].string == "ask")
            #expect(json["quiet_hours"]["start"].string == "22:00")
            #expect(json["quiet_hours"]["end"].string == "08:00")
            #expect(json["whatsapp_provider"].string == "web")

            // `null` clears quiet hours.
            let cleared = try await client.putSettings(s, #"{"quiet_hours": null}"#)
            #expect(cleared.status == .ok)
            #expect(try await client.settings(s)["quiet_hours"].isNull)
            // An empty PUT changes nothing.
            #expect(try await client.putSettings(s, "{}").status == .ok)
            #expect(try await client.settings(s)["confirmation_mode"].string == "ask")
        }
    }

    @Test func cloudIsMergedFieldByField() async throws {
        try await withRouterClient { _, client in
            let s = try await client.signup("cloud@example.com")
            let a = try await client.putSettings(s, #"{"whatsapp_provider": "cloud", "cloud": {"phone_number_id": "1234567890", "access_token": "EAAG-secret-token"}}"#)
            #expect(a.status == .ok)
            let b = try await client.putSettings(s, #"{"cloud": {"template_name": "order_confirmation", "template_language": "en_US"}}"#)
            #expect(b.status == .ok)
            let cloud = try await client.settings(s)["cloud"]
            #expect(cloud["phone_number_id"].string == "1234567890")
            #expect(cloud["access_token_set"].bool == true)
            #expect(cloud["template_name"].string == "order_confirmation")
            #expect(cloud["template_language"].string == "en_US")
            #expect(cloud["app_secret_set"].bool == false)
            #expect(cloud["verify_token"].isNull)
            #expect(!b.text.contains("EAAG-secret-token"))
        }
    }

    @Test func secretsAreWriteOnlyAndClearWithNullOrEmpty() async throws {
        try await withRouterClient { _, client in
            let s = try await client.signup("secret@example.com")
            let put = try await client.putSettings(s, #"{"shopify_webhook_secret": "top-secret-value", "cloud": {"app_secret": "meta-app-secret"}}"#)
            #expect(put.status == .ok)
            #expect(put.json["shopify_webhook_secret_set"].bool == true)
            #expect(put.json["cloud"]["app_secret_set"].bool == true)
            #expect(!put.text.contains("top-secret-value") && !put.text.contains("meta-app-secret"))
            let got = try await client.get("/api/v1/admin/settings", token: s.token)
            #expect(!got.text.contains("top-secret-value") && !got.text.contains("meta-app-secret"))
            #expect(got.json["shopify_webhook_secret_set"].bool == true)

            // The read-only `_set` fields are ignored on input.
            #expect(try await client.putSettings(s, #"{"shopify_webhook_secret_set": false}"#).status == .ok)
            #expect(try await client.settings(s)["shopify_webhook_secret_set"].bool == true)

            let cleared = try await client.putSettings(s, #"{"shopify_webhook_secret": null, "cloud": {"app_secret": ""}}"#)
            #expect(cleared.status == .ok)
            #expect(cleared.json["shopify_webhook_secret_set"].bool == false)
            #expect(cleared.json["cloud"]["app_secret_set"].bool == false)
            #expect(try await client.putSettings(s, #"{"shopify_webhook_secret": "again"}"#).json["shopify_webhook_secret_set"].bool == true)
            #expect(try await client.putSettings(s, #"{"shopify_webhook_secret": ""}"#).json["shopify_webhook_secret_set"].bool == false)
        }
    }

    @Test(arguments: [
        (#"{"confirmation_delay_minutes": -1}"#, "confirmation_delay_minutes"),
        (#"{"confirmation_delay_minutes": "30"}"#, "confirmation_delay_minutes"),
        (#"{"confirmation_mode": "maybe"}"#, "confirmation_mode"),
        (#"{"whatsapp_provider": "telegram"}"#, "whatsapp_provider"),
        (#"{"cloud": {"template_language": "english"}}"#, "cloud.template_language"),
        (#"{"cloud": {"access_token": 42}}"#, "cloud.access_token"),
        (#"{"cloud": {"phone_number_id": "12ab"}}"#, "cloud.phone_number_id"),
        (#"{"timezone": "Mars/Olympus_Mons"}"#, "timezone"),
        (#"{"quiet_hours": {"start": "25:00", "end": "08:00"}}"#, "quiet_hours"),
        (#"{"quiet_hours": "22:00-08:00"}"#, "quiet_hours"),
        (#"{"message_template": "Hi {nickname}"}"#, "message_template"),
        (#"{"shopify_webhook_secret": 12345}"#, "shopify_webhook_secret"),
    ])
    func invalidValuesAre422NamingTheFieldAndApplyNothing(body: String, field: String) async throws {
        try await withRouterClient { _, client in
            let s = try await client.signup("invalid@example.com")
            let before = try await client.settings(s)
            // A valid field next to the bad one must not be applied either.
            var patch = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            patch["shop_name"] = "Should Not Stick"
            if patch["confirmation_mode"] == nil { patch["confirmation_mode"] = "ask" }
            let mixed = String(decoding: try JSONSerialization.data(withJSONObject: patch), as: UTF8.self)

            for json in [body, mixed] {
                let r = try await client.putSettings(s, json)
                #expect(r.status == .unprocessableContent, "\(json): \(r.text)")
                #expect(r.errorCode == "invalid")
                #expect(r.errorMessage.contains(field), "\(r.errorMessage) should name \(field)")
            }
            #expect(try await client.settings(s) == before)
        }
    }

    @Test func bodyThatIsNotAnObjectIs422() async throws {
        try await withRouterClient { _, client in
            let s = try await client.signup("notobject@example.com")
            for body in ["[1,2]", "nonsense", "\"text\""] {
                #expect(try await client.putSettings(s, body).status == .unprocessableContent, "\(body)")
            }
        }
    }

    @Test func settingsSurviveARestart() async throws {
        try await withDataDirectory { root in
            let first = try await TestApp.open(root: root)
            let s = try await first.test { client in
                let s = try await client.signup("restart@example.com")
                let r = try await client.putSettings(s, """
                    {"shop_name": "Chez Jeanne", "shopify_webhook_secret": "s3cret", "confirmation_delay_minutes": 0.5,
                     "confirmation_mode": "ask", "message_template": "Hi {customer_name}, order {order_number}",
                     "whatsapp_provider": "cloud", "cloud": {"phone_number_id": "555", "access_token": "tok", "verify_token": "vt"},
                     "timezone": "America/Mexico_City", "quiet_hours": {"start": "21:30", "end": "07:15"}}
                    """)
                try #require(r.status == .ok, "\(r.text)")
                return s
            }
            let expected = try await first.test { client in try await client.settings(s) }
            await first.shutdown()

            let second = try await TestApp.open(root: root)
            let after = try await second.test { client in try await client.settings(s) }
            await second.shutdown()
            #expect(after == expected)
            #expect(after["shop_name"].string == "Chez Jeanne")
            #expect(after["shopify_webhook_secret_set"].bool == true)
            #expect(after["confirmation_delay_minutes"].double == 0.5)
            #expect(after["message_template"].string == "Hi {customer_name}, order {order_number}")
            #expect(after["cloud"]["access_token_set"].bool == true)
            #expect(after["cloud"]["verify_token"].string == "vt")
            #expect(after["timezone"].string == "America/Mexico_City")
            #expect(after["quiet_hours"]["end"].string == "07:15")
        }
    }

    @Test func shopNameDefaultsToTheLatestShopDomain() async throws {
        try await withRouterClient { _, client in
            let s = try await client.merchant("shop@example.com")
            let r = try await client.webhook(to: s.id, ShopifyOrder(id: 1).bytes, shop: "jeanne-boutique.myshopify.com")
            #expect(r.status == .ok)
            #expect(try await client.settings(s)["shop_name"].string == "jeanne-boutique.myshopify.com")
            #expect(try await client.putSettings(s, #"{"shop_name": "Boutique Jeanne"}"#).status == .ok)
            #expect(try await client.settings(s)["shop_name"].string == "Boutique Jeanne")
        }
    }
}
