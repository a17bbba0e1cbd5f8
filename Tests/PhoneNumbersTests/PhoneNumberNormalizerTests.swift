import Foundation
import Testing

@testable import PhoneNumbers

// Expected values are libphonenumber's verdicts: python `phonenumbers` 9.0.43,
// `format_number(parse(raw, region), E164)` with `is_valid_number` true. The comment on each case is
// the region libphonenumber assigns (`region_code_for_number`). Lower-case regions were checked
// upper-cased (the normaliser is case-insensitive; phonenumbers is not).
private let libphonenumberValid: [(raw: String, region: String?, e164: String)] = [
    // Ukraine
    ("0635154973", "UA", "+380635154973"),  // UA
    ("063 515 49 73", "ua", "+380635154973"),  // UA
    ("+380635154973", nil, "+380635154973"),  // UA
    ("+380 63 515 4973", "DE", "+380635154973"),  // UA: with "+", the address country does not matter
    ("380635154973", "UA", "+380635154973"),  // UA: own calling code without "+"
    // NANPA
    ("(415) 555-2671", "US", "+14155552671"),  // US
    ("1 (415) 555-2671", "US", "+14155552671"),  // US: trunk prefix 1
    ("415.555.2671", "US", "+14155552671"),  // US
    ("+1 800 555 0199", nil, "+18005550199"),  // US (toll free)
    ("011 44 20 7946 0958", "US", "+442079460958"),  // GB: NANPA international prefix 011
    ("(416) 555-0123", "CA", "+14165550123"),  // CA
    ("+1 416 555 0123", nil, "+14165550123"),  // CA
    // United Kingdom
    ("07911 123456", "GB", "+447911123456"),  // GG (7911 12 is a Guernsey range; same +44)
    ("020 7946 0958", "GB", "+442079460958"),  // GB
    ("+44 (0) 20 7946 0958", nil, "+442079460958"),  // GB: "(0)" trunk prefix after +44
    ("00 44 20 7946 0958", "GB", "+442079460958"),  // GB
    ("+44 20 7946 0958", "ZZ", "+442079460958"),  // GB: unknown address country is fine with "+"
    // Mexico
    ("55 1234 5678", "MX", "+525512345678"),  // MX
    ("+52 55 1234 5678", nil, "+525512345678"),  // MX
    // Argentina
    ("011 15-2345-6789", "AR", "+5491123456789"),  // AR: 0 + area 11 + mobile token 15 → 9 11
    ("+54 9 11 2345 6789", nil, "+5491123456789"),  // AR
    ("+54 11 15 2345 6789", nil, "+5491123456789"),  // AR
    ("0351 15-234-5678", "AR", "+5493512345678"),  // AR: Córdoba mobile
    ("011 2345-6789", "AR", "+541123456789"),  // AR: Buenos Aires landline
    // Brazil
    ("(11) 91234-5678", "BR", "+5511912345678"),  // BR: 9th digit mobile
    ("0 15 11 91234 5678", "BR", "+5511912345678"),  // BR: trunk 0 + carrier 15
    ("0xx11 91234-5678", "BR", "+5511912345678"),  // BR: "xx" carrier placeholder
    ("+55 11 91234-5678", nil, "+5511912345678"),  // BR
    // India
    ("09876543210", "IN", "+919876543210"),  // IN
    ("98765 43210", "IN", "+919876543210"),  // IN
    ("+91 98765 43210", nil, "+919876543210"),  // IN
    // Germany
    ("030 1234567", "DE", "+49301234567"),  // DE
    ("0151 23456789", "DE", "+4915123456789"),  // DE
    ("+49 151 23456789", nil, "+4915123456789"),  // DE
    // France
    ("06 12 34 56 78", "FR", "+33612345678"),  // FR
    ("+33 6 12 34 56 78", nil, "+33612345678"),  // FR
    // Spain
    ("612 34 56 78", "ES", "+34612345678"),  // ES
    ("+34 612 34 56 78", nil, "+34612345678"),  // ES
    // Italy: the leading 0 of landlines is part of the number
    ("06 1234 5678", "IT", "+390612345678"),  // IT
    ("333 123 4567", "IT", "+393331234567"),  // IT
    ("+39 06 1234 5678", nil, "+390612345678"),  // IT
    // Morocco
    ("0612-345678", "MA", "+212612345678"),  // MA
    ("+212 6 12 34 56 78", nil, "+212612345678"),  // MA
    // Egypt, also in Arabic-Indic digits
    ("010 1234 5678", "EG", "+201012345678"),  // EG
    ("٠١٠١٢٣٤٥٦٧٨", "EG", "+201012345678"),  // EG
    // Saudi Arabia
    ("050 123 4567", "SA", "+966501234567"),  // SA
    ("+966 50 123 4567", nil, "+966501234567"),  // SA
    // United Arab Emirates
    ("050 123 4567", "AE", "+971501234567"),  // AE
    ("+971 50 123 4567", nil, "+971501234567"),  // AE
    // Pakistan
    ("0300 1234567", "PK", "+923001234567"),  // PK
    ("+92 300 1234567", nil, "+923001234567"),  // PK
    // Nigeria
    ("0803 123 4567", "NG", "+2348031234567"),  // NG
    ("+234 803 123 4567", nil, "+2348031234567"),  // NG
    // Indonesia
    ("0812-3456-7890", "ID", "+6281234567890"),  // ID
    ("+62 812 3456 7890", nil, "+6281234567890"),  // ID
    // Philippines
    ("0917 123 4567", "PH", "+639171234567"),  // PH
    ("+63 917 123 4567", nil, "+639171234567"),  // PH
    // Australia
    ("0412 345 678", "AU", "+61412345678"),  // AU
    ("+61 412 345 678", nil, "+61412345678"),  // AU
    ("0011 44 20 7946 0958", "AU", "+442079460958"),  // GB: Australian international prefix 0011
    // Japan
    ("090-1234-5678", "JP", "+819012345678"),  // JP
    ("03-1234-5678", "JP", "+81312345678"),  // JP
    ("+81 90 1234 5678", nil, "+819012345678"),  // JP
    // Russia / Kazakhstan (+7 shared)
    ("8 (912) 345-67-89", "RU", "+79123456789"),  // RU: trunk prefix 8
    ("8 10 44 20 7946 0958", "RU", "+442079460958"),  // GB: Russian international prefix 810
    ("+7 701 123 4567", nil, "+77011234567"),  // KZ
    // Non-geographic
    ("+800 1234 5678", nil, "+80012345678"),  // 001 (international freephone)
]

// Product rules where the normaliser knowingly accepts what libphonenumber rejects.
private let deliberateDeviations: [(raw: String, region: String?, e164: String)] = [
    // "00" is accepted as an international prefix without an address country (phonenumbers:
    // "Missing or invalid default region") ...
    ("00 44 20 7946 0958", nil, "+442079460958"),
    ("0033 6 12 34 56 78", nil, "+33612345678"),
    // ... and where the country's own prefix differs, if the national reading is invalid
    // (phonenumbers, US: +100442079460958, invalid).
    ("00 44 20 7946 0958", "US", "+442079460958"),
    // Mexico's retired mobile "1" (phonenumbers: +5215512345678, invalid since the 2019/2020 reform).
    ("+52 1 55 1234 5678", nil, "+525512345678"),
    ("521 55 1234 5678", "MX", "+525512345678"),
]

// Rejections. Where phonenumbers parses the input, the code matches its verdict: `invalidForRegion`
// when `is_possible_number_with_reason` is IS_POSSIBLE, else TOO_SHORT / IS_POSSIBLE_LOCAL_ONLY
// → tooShort, TOO_LONG → tooLong, INVALID_LENGTH → invalidLength. Letters and extensions are product
// rules (phonenumbers converts vanity letters and splits extensions off).
private let rejected: [(raw: String, region: String?, code: PhoneNormalizationError.Code)] = [
    ("", "UA", .empty),
    ("   ", nil, .empty),
    ("( ) -", "UA", .empty),
    ("555-555-SHIP", "US", .letters),  // phonenumbers: +15555557447, invalid
    ("Tel: 0635154973", "UA", .letters),
    ("+1 555-625-1199 ext. 123", "US", .extension),
    ("(415) 555-2671 x12", "US", .extension),
    ("0635154973 #2", "UA", .extension),
    ("063*515*49*73", "UA", .invalidCharacters),
    ("0635154973, 0501234567", "UA", .invalidCharacters),
    ("0635154973", nil, .noCountry),  // phonenumbers: Missing or invalid default region
    ("0635154973", "XX", .unknownCountry),  // idem
    ("+999 123 456 789", nil, .unknownCallingCode),  // phonenumbers: Could not interpret numbers after plus-sign
    ("+0635154973", "UA", .unknownCallingCode),  // idem
    ("(555) 625-1199", "US", .invalidForRegion),  // phonenumbers: +15556251199, invalid, IS_POSSIBLE
    ("+1 (555) 625-1199", nil, .invalidForRegion),  // idem
    ("+971 50 123 45", nil, .invalidForRegion),  // IS_POSSIBLE
    ("0412 345 67", "AU", .invalidForRegion),  // IS_POSSIBLE
    ("555-2671", "US", .tooShort),  // IS_POSSIBLE_LOCAL_ONLY
    ("+380 63 515", nil, .tooShort),  // TOO_SHORT
    ("06351549", "UA", .tooShort),  // TOO_SHORT
    ("12", "UA", .tooShort),  // TOO_SHORT
    ("+33 6 12 34 56 7", nil, .tooShort),  // TOO_SHORT
    ("+380 63 515 49 73 12345", nil, .tooLong),  // TOO_LONG
    ("044 55 1234 5678", "MX", .tooLong),  // +520445512345678, TOO_LONG: 044 is gone from the metadata
    ("045 55 1234 5678", "MX", .tooLong),  // +520455512345678, TOO_LONG
    ("+7 912 345 67 890", nil, .invalidLength),  // INVALID_LENGTH (RU has 10 or 14 digits)
]

@Suite("PhoneNumberNormalizer")
struct PhoneNumberNormalizerTests {
    let normalizer = PhoneNumberNormalizer()

    @Test("numbers libphonenumber calls valid come out in its E.164 form", arguments: libphonenumberValid)
    func acceptsValidNumbers(raw: String, region: String?, e164: String) {
        #expect(normalizer.normalize(raw, region: region) == .success(e164))
    }

    @Test("deliberate deviations from libphonenumber", arguments: deliberateDeviations)
    func acceptsLegacyAndInternationalForms(raw: String, region: String?, e164: String) {
        #expect(normalizer.normalize(raw, region: region) == .success(e164))
    }

    @Test("rejections carry the expected reason", arguments: rejected)
    func rejects(raw: String, region: String?, code: PhoneNormalizationError.Code) {
        switch normalizer.normalize(raw, region: region) {
        case .success(let number):
            Issue.record("expected \(code), got \(number)")
        case .failure(let error):
            #expect(error.code == code, "\(error.message)")
            #expect(!error.message.isEmpty)
        }
    }

    @Test func messagesAreHumanReadable() {
        #expect(normalizer.normalize("555-555-SHIP", region: "US") == .failure(.letters))
        #expect(PhoneNormalizationError.letters.message == "phone has letters")
        #expect(normalizer.normalize("(555) 625-1199", region: "US").failure?.message == "phone is not a valid US number")
        #expect(normalizer.normalize("06351549", region: "UA").failure?.message == "phone is too short for UA")
        #expect(PhoneNormalizationError.Code.tooShort.description == "tooShort")
    }

    @Test func regionIsCaseInsensitiveAndTrimmed() {
        for region in ["UA", "ua", "Ua", " ua "] {
            #expect(normalizer.normalize("0635154973", region: region) == .success("+380635154973"))
        }
        #expect(PhoneNumberNormalizer.shared.normalize("0635154973", region: "") == .failure(.noCountry))
    }

    @Test func acceptsInvisibleMarksAndUnicodePunctuation() {
        // Right-to-left marks and no-break spaces come along when numbers are pasted from Arabic text.
        #expect(normalizer.normalize("\u{200F}+966\u{00A0}50\u{2011}123\u{2011}4567\u{200F}", region: nil) == .success("+966501234567"))
        #expect(normalizer.normalize("＋３８０ ６３ ５１５ ４９ ７３", region: nil) == .success("+380635154973"))
        #expect(normalizer.normalize("(+44) 20 7946 0958", region: nil) == .success("+442079460958"))
    }

    @Test func rejectsOverlongInputWithoutParsing() {
        let raw = String(repeating: "1", count: PhoneNumberNormalizer.maxInputLength + 1)
        #expect(normalizer.normalize(raw, region: "US").failure?.code == .tooLong)
    }

    @Test func isSafeToUseConcurrently() async {
        let inputs = libphonenumberValid
        await withTaskGroup(of: Bool.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var allMatched = true
                    for offset in 0..<inputs.count {
                        let item = inputs[(offset + worker * 7) % inputs.count]
                        allMatched = allMatched
                            && PhoneNumberNormalizer.shared.normalize(item.raw, region: item.region) == .success(item.e164)
                    }
                    return allMatched
                }
            }
            for await matched in group {
                #expect(matched)
            }
        }
    }
}

@Suite("PhoneMetadata")
struct PhoneMetadataTests {
    @Test func tableCoversLibphonenumber() {
        let index = PhoneMetadata.index
        #expect(PhoneMetadata.tableVersion == "9.0.43")
        #expect(index.byRegion.count == 245)
        #expect(index.byCallingCode.count == 215)
        #expect(index.byCallingCode.values.reduce(0) { $0 + $1.count } == 254)
    }

    @Test func mainRegionComesFirstForSharedCallingCodes() {
        let expectations: [Int: String] = [1: "US", 7: "RU", 44: "GB", 61: "AU", 262: "RE", 590: "GP", 599: "CW"]
        for (callingCode, region) in expectations {
            #expect(PhoneMetadata.main(forCallingCode: callingCode)?.regionCode == region)
        }
        #expect(PhoneMetadata.regions(forCallingCode: 1).count == 25)
        #expect(PhoneMetadata.forRegion("KZ")?.leadingDigits == "7")
        #expect(PhoneMetadata.main(forCallingCode: 800)?.regionCode == "001")
        #expect(PhoneMetadata.forRegion("001") == nil)
    }

    @Test func regionFieldsMatchLibphonenumber() throws {
        let us = try #require(PhoneMetadata.forRegion("US"))
        #expect(us.callingCode == 1)
        #expect(us.internationalPrefix == "011")
        #expect(us.nationalPrefix == "1")
        let argentina = try #require(PhoneMetadata.forRegion("AR"))
        #expect(argentina.nationalPrefixTransformRule == "9$1")
        let brazil = try #require(PhoneMetadata.forRegion("BR"))
        #expect(brazil.nationalPrefixTransformRule == "$2")
        #expect(brazil.generalDesc.possibleLengths == [8, 9, 10, 11])
        let ukraine = try #require(PhoneMetadata.forRegion("UA"))
        #expect(ukraine.generalDesc.localOnlyLengths == [5, 6, 7])
    }

    @Test func everyPatternCompiles() throws {
        for regions in PhoneMetadata.index.byCallingCode.values {
            for metadata in regions {
                var patterns = [metadata.generalDesc.pattern]
                patterns += [metadata.fixedLine?.pattern, metadata.mobile?.pattern].compactMap { $0 }
                patterns += metadata.specialTypes.map(\.desc.pattern)
                patterns += [metadata.internationalPrefix, metadata.nationalPrefixForParsing, metadata.leadingDigits]
                    .compactMap { $0 }
                for pattern in patterns {
                    _ = try NSRegularExpression(pattern: pattern)
                }
            }
        }
    }

    @Test func numberTypesMatchLibphonenumber() throws {
        // phonenumbers.number_type for the same numbers.
        let cases: [(region: String, nationalNumber: String, type: PhoneMetadata.NumberType)] = [
            ("UA", "635154973", .mobile),
            ("US", "4155552671", .fixedLineOrMobile),
            ("US", "8005550199", .tollFree),
            ("GB", "2079460958", .fixedLine),
            ("GG", "7911123456", .mobile),
            ("BR", "11912345678", .mobile),
            ("IT", "0612345678", .fixedLine),
        ]
        for item in cases {
            let metadata = try #require(PhoneMetadata.forRegion(item.region))
            #expect(metadata.numberType(of: item.nationalNumber) == item.type, "\(item.region) \(item.nationalNumber)")
        }
        #expect(PhoneMetadata.forRegion("US")?.numberType(of: "5556251199") == nil)
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
