import ApplianceWhatsAppWeb
import ArgumentParser
import Foundation

/// `serve`'s WhatsApp Web pacing flags (each also an environment variable): how fast one
/// tenant may send, to keep the merchant's number from being banned.
struct WhatsAppWebOptions: ParsableArguments {
    @Option(help: "Minimum seconds between two WhatsApp Web messages of one tenant (env WEB_MIN_GAP_SECONDS).")
    var webMinGapSeconds: Double = Environment.optional("WEB_MIN_GAP_SECONDS").flatMap(Double.init) ?? 30
    @Option(help: "Random extra gap, as a fraction of the minimum gap, 0 to 1 (env WEB_GAP_JITTER).")
    var webGapJitter: Double = Environment.optional("WEB_GAP_JITTER").flatMap(Double.init) ?? 0.5
    @Option(help: "Most WhatsApp Web messages per tenant in any hour, 0 for no cap (env WEB_HOURLY_CAP).")
    var webHourlyCap: Int = Environment.int("WEB_HOURLY_CAP", 40)
    @Option(help: "Most WhatsApp Web messages per tenant in any 24 hours, 0 for no cap (env WEB_DAILY_CAP).")
    var webDailyCap: Int = Environment.int("WEB_DAILY_CAP", 200)
    @Option(help: "Typing pause before Enter, in milliseconds per character, at most 8 s (env WEB_TYPING_MS_PER_CHAR).")
    var webTypingMsPerChar: Int = Environment.int("WEB_TYPING_MS_PER_CHAR", 40)

    func validate() throws {
        guard webMinGapSeconds >= 0, (0...1).contains(webGapJitter), webHourlyCap >= 0, webDailyCap >= 0, webTypingMsPerChar >= 0 else {
            throw ValidationError("WhatsApp Web pacing: gaps, caps and typing time must be >= 0 and the jitter between 0 and 1")
        }
    }

    /// The module's configuration for `serve`'s other flags.
    func configuration(chromeDataDir: String, dataDir: String, maxBrowsers: Int, pollSeconds: Int) -> WhatsAppWebConfiguration {
        var configuration = WhatsAppWebConfiguration(
            baseURL: Environment.string("WHATSAPP_WEB_URL", "https://web.whatsapp.com"), chromeDataDir: chromeDataDir,
            dataDir: dataDir, maxBrowsers: maxBrowsers, pollInterval: .seconds(max(1, pollSeconds)))
        configuration.pacing.minGap = .milliseconds(Int64((webMinGapSeconds * 1000).rounded()))
        configuration.pacing.jitter = webGapJitter
        configuration.pacing.hourlyCap = webHourlyCap
        configuration.pacing.dailyCap = webDailyCap
        configuration.pacing.typingPerCharacter = .milliseconds(webTypingMsPerChar)
        return configuration
    }
}
