import ApplianceDomain
import Testing

@Suite("Timestamps")
struct TimestampTests {
    @Test(arguments: [
        ("2026-01-01T00:00:00Z", 1_767_225_600_000),
        ("2026-01-01T00:00:00.5Z", 1_767_225_600_500),
        ("2026-01-01T00:00:00.12Z", 1_767_225_600_120),
        ("2026-01-01T00:00:00.123Z", 1_767_225_600_123),
        // More than millisecond precision (Shopify and browsers send microseconds): truncated, never a crash.
        ("2026-01-01T00:00:00.1234Z", 1_767_225_600_123),
        ("2026-01-01T00:00:00.123456789+01:00", 1_767_222_000_123),
        ("2026-01-01T01:00:00-05:00", 1_767_247_200_000),
    ] as [(String, Int64)])
    func parses(text: String, millis: Int64) {
        #expect(Timestamp.parse(text) == millis)
    }

    @Test(arguments: ["", "2026", "2026-01-01T00:00:00.", "2026-13-01T00:00:00Z", "2026-01-01T00:00:00Q", "yesterday",
                      "2026-01-01T00:00:00" + "." + String(repeating: "9", count: 5000) + "Z"])
    func rejectsOrSurvives(text: String) {
        if text.count > 100 { #expect(Timestamp.parse(text) != nil) } else { #expect(Timestamp.parse(text) == nil) }
    }

    @Test func roundTrips() {
        for ms: Int64 in [0, 1, 999, 1_767_225_600_123, -1, -86_400_001] {
            #expect(Timestamp.parse(Timestamp.format(ms)) == ms)
        }
    }
}
