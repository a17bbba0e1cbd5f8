import PhoneNumbers
import Testing

@Suite("WhatsApp ids and E.164 spellings")
struct WhatsAppIDTests {
    @Test(arguments: [
        ("5215512345678", "+525512345678"),   // Mexico: wa_id with the mobile 1
        ("525512345678", "+5215512345678"),
        ("551191234567", "+5511991234567"),   // Brazil: wa_id without the ninth digit
        ("5511991234567", "+551191234567"),
        ("5491123456789", "+541123456789"),   // Argentina: with and without the 9
        ("541123456789", "+5491123456789"),
    ])
    func equivalentSpellings(waID: String, e164: String) {
        let candidates = WhatsAppID.phoneCandidates(waID)
        #expect(candidates.first == "+" + waID)
        #expect(candidates.contains(e164))
    }

    @Test func otherCountriesHaveOneSpelling() {
        #expect(WhatsAppID.phoneCandidates("+33612345678") == ["+33612345678"])
        #expect(WhatsAppID.phoneCandidates("4915123456789") == ["+4915123456789"])
        // A Brazilian landline (subscriber starting 2–5) has no ninth-digit twin.
        #expect(WhatsAppID.phoneCandidates("551132345678") == ["+551132345678"])
    }
}
