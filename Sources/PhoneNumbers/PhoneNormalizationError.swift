/// Why a raw phone string could not be turned into an E.164 number.
///
/// `code` is stable and meant for programs (metrics, API error fields); `message` is a short
/// human-readable sentence such as "phone has letters" meant for merchants and logs.
public struct PhoneNormalizationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable, machine-readable reason. Compare against the static members, e.g. `.letters`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The reason as a short camel-case word, e.g. `"tooShort"`.
        public let rawValue: String

        /// Creates a code from its raw value.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The phone is empty, or has no digits at all.
        public static let empty = Code(rawValue: "empty")
        /// The phone has letters (vanity numbers such as "555-555-SHIP" are not dialled for you).
        public static let letters = Code(rawValue: "letters")
        /// The phone carries an extension ("ext. 12", "x12", "#12"); WhatsApp cannot reach one.
        public static let `extension` = Code(rawValue: "extension")
        /// The phone has a character that never appears in a phone number (e.g. "*", ",", "@").
        public static let invalidCharacters = Code(rawValue: "invalidCharacters")
        /// The phone has no `+`/`00` prefix and no country was given to read it as a national number.
        public static let noCountry = Code(rawValue: "noCountry")
        /// The phone has no `+`/`00` prefix and the given country code is not a known region.
        public static let unknownCountry = Code(rawValue: "unknownCountry")
        /// The digits after `+` (or the international prefix) start with no known country calling code.
        public static let unknownCallingCode = Code(rawValue: "unknownCallingCode")
        /// The national number is shorter than any number of its country (or is a local-only number).
        public static let tooShort = Code(rawValue: "tooShort")
        /// The national number is longer than any number of its country.
        public static let tooLong = Code(rawValue: "tooLong")
        /// The length is within the country's range but no number of the country has that length.
        public static let invalidLength = Code(rawValue: "invalidLength")
        /// The number has a possible length but matches none of the country's number ranges.
        public static let invalidForRegion = Code(rawValue: "invalidForRegion")

        /// The raw value.
        public var description: String { rawValue }
    }

    /// The machine-readable reason.
    public let code: Code
    /// A human-readable explanation, e.g. "phone is too short for UA".
    public let message: String

    /// Creates an error from a code and a message.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The human-readable ``message``.
    public var description: String { message }
}

extension PhoneNormalizationError {
    static let empty = PhoneNormalizationError(code: .empty, message: "phone is empty")
    static let noDigits = PhoneNormalizationError(code: .empty, message: "phone has no digits")
    static let letters = PhoneNormalizationError(code: .letters, message: "phone has letters")
    static let `extension` = PhoneNormalizationError(code: .extension, message: "phone has an extension")
    static let noCountry = PhoneNormalizationError(
        code: .noCountry, message: "phone has no country code (+…) and the address has no country")
    static let tooShortNumber = PhoneNormalizationError(code: .tooShort, message: "phone is too short")
    static let tooLongInput = PhoneNormalizationError(code: .tooLong, message: "phone is too long")
    static let unknownCallingCode = PhoneNormalizationError(
        code: .unknownCallingCode, message: "phone has an unknown country calling code")

    static func invalidCharacter(_ character: Character) -> PhoneNormalizationError {
        PhoneNormalizationError(code: .invalidCharacters, message: "phone has an unexpected character “\(character)”")
    }

    static func unknownCountry(_ region: String) -> PhoneNormalizationError {
        PhoneNormalizationError(
            code: .unknownCountry, message: "phone has no country code (+…) and the country “\(region)” is unknown")
    }

    static func tooShort(_ region: String) -> PhoneNormalizationError {
        PhoneNormalizationError(code: .tooShort, message: "phone is too short for \(region)")
    }

    static func tooLong(_ region: String) -> PhoneNormalizationError {
        PhoneNormalizationError(code: .tooLong, message: "phone is too long for \(region)")
    }

    static func invalidLength(_ region: String) -> PhoneNormalizationError {
        PhoneNormalizationError(code: .invalidLength, message: "phone has an impossible length for \(region)")
    }

    static func invalidForRegion(_ region: String) -> PhoneNormalizationError {
        PhoneNormalizationError(code: .invalidForRegion, message: "phone is not a valid \(region) number")
    }
}
