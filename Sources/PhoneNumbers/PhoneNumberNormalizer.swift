import Foundation

/// Turns the free-text phone numbers of Shopify orders into E.164 (`+<calling code><number>`), the
/// form WhatsApp needs.
///
/// Parsing and validation follow libphonenumber (`PhoneNumberUtil.parse` + `isValidNumber`) using
/// its metadata (``PhoneMetadata``), so a number is accepted exactly when libphonenumber would
/// call it valid, and comes out as libphonenumber's E.164 form. It accepts:
///
/// - spaces, dashes, dots, slashes, brackets, tildes and invisible direction marks, and digits of
///   any script (e.g. Arabic-Indic);
/// - a leading `+`; the international prefix of the address country (`00`, `011` in NANPA, `0011`
///   in Australia, ...); and `00` anywhere, also without a country (see below);
/// - national formats with the trunk prefix (`0635154973` in Ukraine), including libphonenumber's
///   national-prefix rewriting (Argentina's `011 15-2345-6789` → `+5491123456789`, Brazil's
///   carrier codes `0 15 11 ...` and `0xx11 ...`);
/// - national numbers that start with the country's own calling code but no `+` (`380635154973`).
///
/// It rejects, with a ``PhoneNormalizationError``: empty input, letters (vanity numbers are not
/// converted), extensions, other characters, numbers without `+`/`00` when the country is missing
/// or unknown, unknown calling codes, impossible lengths and numbers outside the country's ranges.
///
/// Where it knowingly differs from libphonenumber:
///
/// - `00` followed by a calling code is read as international even without a country, or when the
///   country's own international prefix is different (e.g. `00 44 ...` with US), provided the
///   national reading of the digits is not itself valid. libphonenumber needs the country's prefix.
/// - Mexico's retired mobile `1` after the calling code (`+52 1 55 1234 5678`) is dropped when the
///   remaining ten digits are a valid Mexican number. libphonenumber (since the 2019/2020 Mexican
///   numbering reform) calls such numbers invalid, but customers still type them.
/// - letters and extensions are errors instead of being converted or split off.
public struct PhoneNumberNormalizer: Sendable {
    /// A shared instance; the normalizer has no state of its own (metadata is cached process-wide).
    public static let shared = PhoneNumberNormalizer()

    /// Inputs longer than this are rejected before any parsing (libphonenumber's limit too).
    static let maxInputLength = 250

    /// What ``scan(_:)`` trims off both ends (built once, not per call).
    static let trimmedCharacters = CharacterSet.whitespacesAndNewlines.union(.controlCharacters)

    /// Creates a normalizer.
    public init() {}

    /// Normalises a raw phone string to E.164.
    ///
    /// - Parameters:
    ///   - raw: the phone as typed, e.g. `"(415) 555-2671"`, `"+380 63 515 49 73"`, `"0635154973"`.
    ///   - region: the ISO 3166 alpha-2 code of the address the phone came with (case-insensitive),
    ///     used to read numbers written without `+`; nil if unknown.
    /// - Returns: the number as `+<calling code><national significant number>`, e.g.
    ///   `"+380635154973"`, or the reason it was rejected.
    public func normalize(_ raw: String, region: String?) -> Result<String, PhoneNormalizationError> {
        let scanned: (hasPlus: Bool, digits: String)
        switch Self.scan(raw) {
        case .success(let value): scanned = value
        case .failure(let error): return .failure(error)
        }
        let regionCode = region?.trimmingFast(.whitespacesAndNewlines).uppercased()
        let regionMetadata = regionCode.flatMap { $0.isEmpty ? nil : PhoneMetadata.forRegion($0) }
        let digits = scanned.digits

        if scanned.hasPlus {
            if let result = Self.international(digits) {
                return result
            }
            // libphonenumber retries an unknown calling code after "+" without the "+", but only
            // keeps the result if an international prefix or the region's own calling code follows.
            if let regionMetadata {
                if let rest = regionMetadata.stripInternationalPrefix(digits) {
                    return Self.international(rest) ?? .failure(.unknownCallingCode)
                }
                if let national = regionMetadata.stripOwnCallingCode(digits) {
                    return Self.finish(callingCode: regionMetadata.callingCode, national: national)
                }
            }
            return .failure(.unknownCallingCode)
        }

        guard let regionMetadata else {
            // Deviation: "00" is the international prefix of most of the world; accept it even
            // when the address country is missing.
            if digits.hasPrefix("00"), let result = Self.international(String(digits.dropFirst(2))) {
                return result
            }
            if let regionCode, !regionCode.isEmpty {
                return .failure(.unknownCountry(regionCode))
            }
            return .failure(.noCountry)
        }

        if let rest = regionMetadata.stripInternationalPrefix(digits) {
            return Self.international(rest) ?? .failure(.unknownCallingCode)
        }
        if let national = regionMetadata.stripOwnCallingCode(digits) {
            return Self.finish(callingCode: regionMetadata.callingCode, national: national)
        }
        let nationalResult = Self.finish(
            callingCode: regionMetadata.callingCode, national: digits, metadata: regionMetadata)
        if case .failure = nationalResult, digits.hasPrefix("00"),
            case .success(let number)? = Self.international(String(digits.dropFirst(2)))
        {
            // Deviation: "00" + calling code where the region's own international prefix differs.
            return .success(number)
        }
        return nationalResult
    }

    // MARK: - Parsing steps

    /// The digits after a "+" or an international prefix: calling code, then national number.
    /// Nil when they start with no known calling code (the caller decides what that means).
    private static func international(_ digits: String) -> Result<String, PhoneNormalizationError>? {
        // libphonenumber: "Phone number had an IDD, but after this was not long enough".
        if digits.count <= PhoneMetadata.minNationalNumberLength {
            return .failure(.tooShortNumber)
        }
        guard let (callingCode, rest) = PhoneMetadata.extractCallingCode(digits) else {
            return nil
        }
        return finish(callingCode: callingCode, national: rest)
    }

    /// The national part of a number whose calling code was written in the number: read with the
    /// rules of the calling code's main region (libphonenumber does the same).
    private static func finish(callingCode: Int, national: String) -> Result<String, PhoneNormalizationError> {
        guard let metadata = PhoneMetadata.main(forCallingCode: callingCode) else {
            return .failure(.unknownCallingCode)
        }
        return finish(callingCode: callingCode, national: national, metadata: metadata)
    }

    /// Strips the national prefix (if what remains still has a possible length), then validates.
    private static func finish(
        callingCode: Int, national: String, metadata: PhoneMetadata
    ) -> Result<String, PhoneNormalizationError> {
        if national.count < PhoneMetadata.minNationalNumberLength {
            return .failure(.tooShort(metadata.displayName))
        }
        var nationalNumber = national
        let stripped = metadata.stripNationalPrefix(national)
        switch metadata.checkLength(stripped) {
        case .tooShort, .possibleLocalOnly, .invalidLength:
            break  // keep the digits as they were: they may be a short number without a prefix
        case .possible, .tooLong:
            nationalNumber = stripped
        }
        if nationalNumber.count > PhoneMetadata.maxNationalNumberLength {
            return .failure(.tooLong(metadata.displayName))
        }
        if PhoneMetadata.validRegion(forNationalNumber: nationalNumber, callingCode: callingCode) != nil {
            return .success("+\(callingCode)\(nationalNumber)")
        }
        if let legacy = legacyRewrite(callingCode: callingCode, nationalNumber: nationalNumber) {
            return .success(legacy)
        }
        return .failure(invalid(callingCode: callingCode, nationalNumber: nationalNumber))
    }

    /// Product rules for old formats that libphonenumber no longer accepts.
    private static func legacyRewrite(callingCode: Int, nationalNumber: String) -> String? {
        // Mexico dropped the mobile "1" (+52 1 55 ...) in 2019/2020; WhatsApp users still type it.
        if callingCode == 52, nationalNumber.count == 11, nationalNumber.hasPrefix("1") {
            let modern = String(nationalNumber.dropFirst())
            if PhoneMetadata.validRegion(forNationalNumber: modern, callingCode: 52) != nil {
                return "+52\(modern)"
            }
        }
        return nil
    }

    /// Why a parsed number is not valid: its length for the calling code's main region (as
    /// libphonenumber's `isPossibleNumberWithReason`), else that it matches no range.
    private static func invalid(callingCode: Int, nationalNumber: String) -> PhoneNormalizationError {
        guard let main = PhoneMetadata.main(forCallingCode: callingCode) else { return .unknownCallingCode }
        let name =
            (PhoneMetadata.region(forNationalNumber: nationalNumber, callingCode: callingCode) ?? main).displayName
        switch main.checkLength(nationalNumber) {
        case .tooShort, .possibleLocalOnly: return .tooShort(name)
        case .tooLong: return .tooLong(name)
        case .invalidLength: return .invalidLength(name)
        case .possible: return .invalidForRegion(name)
        }
    }

    // MARK: - Lexical scan

    /// Checks the characters of the raw string and collects its digits (as ASCII) and leading "+".
    static func scan(_ raw: String) -> Result<(hasPlus: Bool, digits: String), PhoneNormalizationError> {
        scanPlainASCII(raw) ?? scanCharacters(raw)
    }

    /// ``scan(_:)`` character by character, for any text.
    static func scanCharacters(_ raw: String) -> Result<(hasPlus: Bool, digits: String), PhoneNormalizationError> {
        let text = raw.trimmingFast(Self.trimmedCharacters)
        if text.isEmpty {
            return .failure(.empty)
        }
        if text.count > maxInputLength {
            return .failure(.tooLongInput)
        }
        if hasExtension(text) {
            return .failure(.extension)
        }
        var digits = ""
        var hasPlus = false
        var sawLetter = false
        var unexpected: Character?
        let characters = Array(text)
        var position = 0
        while position < characters.count {
            let character = characters[position]
            position += 1
            if let digit = asciiDigit(character) {
                digits.append(digit)
            } else if character == "+" || character == "＋" {
                if digits.isEmpty {
                    hasPlus = true  // "+", "++" and "(+44)" are all fine, as in libphonenumber
                } else if unexpected == nil {
                    unexpected = character
                }
            } else if (character == "x" || character == "X"), digits == "0", !hasPlus,
                position < characters.count, characters[position] == "x" || characters[position] == "X"
            {
                position += 1  // Brazil's "0xx11 ...": placeholder for the carrier code
            } else if isSeparator(character) {
                continue
            } else if character.isLetter {
                sawLetter = true
            } else if unexpected == nil {
                unexpected = character
            }
        }
        if sawLetter {
            return .failure(.letters)
        }
        if let unexpected {
            return .failure(.invalidCharacter(unexpected))
        }
        if digits.isEmpty {
            return .failure(.noDigits)
        }
        return .success((hasPlus, digits))
    }

    /// ``scan(_:)`` for what most orders carry: ASCII without letters, `#` or carriage returns,
    /// read byte by byte with the same rules and errors. Nil for anything else (the general scan
    /// decides then).
    static func scanPlainASCII(_ raw: String) -> Result<(hasPlus: Bool, digits: String), PhoneNormalizationError>? {
        var raw = raw
        return raw.withUTF8 { all -> Result<(hasPlus: Bool, digits: String), PhoneNormalizationError>? in
            var start = 0, end = all.count
            // What `trimmedCharacters` trims, in ASCII: controls, space and DEL.
            while start < end, all[start] <= 0x20 || all[start] == 0x7F { start += 1 }
            while end > start, all[end - 1] <= 0x20 || all[end - 1] == 0x7F { end -= 1 }
            if start == end { return all.allSatisfy { $0 < 0x80 } ? .failure(.empty) : nil }
            var digits: [UInt8] = []
            digits.reserveCapacity(end - start)
            var hasPlus = false
            var unexpected: UInt8?
            for i in start..<end {
                let byte = all[i]
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    digits.append(byte)
                case UInt8(ascii: "+"):
                    if digits.isEmpty { hasPlus = true } else if unexpected == nil { unexpected = byte }
                case 0x09, 0x0A, 0x0B, 0x0C, 0x20, UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"),
                    UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "/"), UInt8(ascii: "~"):
                    continue
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "#"), 0x0D, 0x80...:
                    return nil
                default:
                    if unexpected == nil { unexpected = byte }
                }
            }
            if end - start > maxInputLength { return .failure(.tooLongInput) }
            if let unexpected { return .failure(.invalidCharacter(Character(Unicode.Scalar(unexpected)))) }
            if digits.isEmpty { return .failure(.noDigits) }
            return .success((hasPlus, String(decoding: digits, as: UTF8.self)))
        }
    }

    /// "ext. 123", "x123", "extension 5", "anexo 5", "доб. 5", "#5" after some digits.
    private static let extensionPattern =
        #"(?i)(?<!\p{L})(?:extensi[oó]n|extn|ext|anexo|доб|x)(?!\p{L})\.?\s*[:=.]?\s*\p{Nd}|#"#

    private static func hasExtension(_ text: String) -> Bool {
        // Every extension marker is a word or "#": plain numbers skip the regular expression.
        guard text.contains(where: { $0.isLetter || $0 == "#" }) else { return false }
        let regex = PhoneMetadata.textRegex(extensionPattern)
        let range = NSRange(text.startIndex..., in: text)
        for match in regex.matches(in: text, range: range) {
            guard let start = Range(match.range, in: text)?.lowerBound else { continue }
            if text[..<start].contains(where: { asciiDigit($0) != nil }) {
                return true
            }
        }
        return false
    }

    /// A decimal digit of any script ("7", "٧", "۷", "７") as an ASCII digit.
    private static func asciiDigit(_ character: Character) -> Character? {
        guard character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first,
            scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue,
            (0...9).contains(value)
        else { return nil }
        return Character(Unicode.Scalar(UInt8(48 + Int(value))))
    }

    /// Punctuation people put in phone numbers, plus invisible marks pasted along with them.
    private static func isSeparator(_ character: Character) -> Bool {
        if character.isWhitespace {
            return true
        }
        switch character {
        case "-", "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2015}", "\u{2212}", "\u{FF0D}",
            ".", "\u{FF0E}", "(", ")", "\u{FF08}", "\u{FF09}", "[", "]", "/", "\u{FF0F}",
            "~", "\u{2053}", "\u{223C}", "\u{FF5E}",  // "wait for dial tone", as in "8~10"
            "\u{00AD}", "\u{200B}", "\u{200E}", "\u{200F}", "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}",
            "\u{202E}", "\u{2060}", "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}", "\u{FEFF}":
            return true
        default:
            return false
        }
    }
}
