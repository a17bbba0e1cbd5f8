import Foundation
import SeededRandom
import Testing
@testable import PhoneNumbers

/// ``DigitPattern`` must agree with `NSRegularExpression` (ICU), which the phone code used before,
/// on every pattern of libphonenumber's table: whole matches, anchored prefix matches, their
/// lengths and capture groups.
@Suite struct DigitPatternTests {
    /// Every pattern in the table, with whether it is matched whole (number descriptions) or as
    /// a prefix (international prefix, national prefix for parsing, leading digits).
    static let tablePatterns: [(pattern: String, whole: Bool)] = {
        var seen = Set<String>()
        var out: [(String, Bool)] = []
        func add(_ pattern: String?, whole: Bool) {
            guard let pattern, seen.insert((whole ? "W" : "P") + pattern).inserted else { return }
            out.append((pattern, whole))
        }
        for regions in PhoneMetadata.index.byCallingCode.values {
            for m in regions {
                add(m.internationalPrefix, whole: false)
                add(m.nationalPrefixForParsing, whole: false)
                add(m.leadingDigits, whole: false)
                for desc in [m.generalDesc, m.fixedLine, m.mobile].compactMap({ $0 }) + m.specialTypes.map(\.desc) {
                    add(desc.pattern, whole: true)
                }
            }
        }
        return out
    }()

    /// Random digit strings that tend to match: a random walk through the program, then maybe
    /// one digit changed, one dropped or one added; and plain random digits.
    static func samples(_ pattern: DigitPattern, _ rng: inout SplitMix, count: Int) -> [[UInt8]] {
        var out: [[UInt8]] = []
        for n in 0..<count {
            var digits: [UInt8] = []
            if n % 4 == 3 {
                for _ in 0..<Int(rng.next() % 18) { digits.append(48 + UInt8(rng.next() % 10)) }
            } else {
                var pc = 0, steps = 0
                walk: while steps < 400 {
                    steps += 1
                    switch pattern.program[pc] {
                    case .digit(let set):
                        let choices = (0..<10).filter { set & (1 << $0) != 0 }
                        if choices.isEmpty { break walk }
                        digits.append(48 + UInt8(choices[Int(rng.next() % UInt64(choices.count))]))
                        pc += 1
                    case .split(let a, let b): pc = rng.next() % 2 == 0 ? a : b
                    case .jump(let t): pc = t
                    case .save, .end: pc += 1
                    case .match: break walk
                    }
                }
                switch rng.next() % 5 {
                case 0 where !digits.isEmpty: digits[Int(rng.next() % UInt64(digits.count))] = 48 + UInt8(rng.next() % 10)
                case 1 where !digits.isEmpty: digits.remove(at: Int(rng.next() % UInt64(digits.count)))
                case 2: digits.append(48 + UInt8(rng.next() % 10))
                default: break
                }
            }
            out.append(digits)
        }
        return out
    }

    @Test func everyTablePatternCompiles() {
        #expect(Self.tablePatterns.count > 1000)
        for (pattern, _) in Self.tablePatterns {
            #expect(DigitPattern(pattern) != nil, "\(pattern)")
        }
    }

    @Test func agreesWithICUOnTheWholeTable() throws {
        var rng = SplitMix(seed: 2026)
        var checked = 0, matched = 0
        for (pattern, whole) in Self.tablePatterns {
            let compiled = try #require(DigitPattern(pattern))
            let icuWhole = try NSRegularExpression(pattern: "\\A(?:\(pattern))\\z")
            let icuPrefix = try NSRegularExpression(pattern: pattern)
            for digits in Self.samples(compiled, &rng, count: whole ? 40 : 80) {
                let text = String(decoding: digits, as: UTF8.self)
                let range = NSRange(location: 0, length: text.utf16.count)
                let expectedWhole = icuWhole.firstMatch(in: text, options: [.anchored], range: range) != nil
                #expect(compiled.matchesWhole(digits) == expectedWhole, "\(pattern) on \(text)")
                if expectedWhole { matched += 1 }
                let icu = icuPrefix.firstMatch(in: text, options: [.anchored], range: range)
                let ours = compiled.matchPrefix(digits)
                #expect((ours == nil) == (icu == nil), "\(pattern) prefix of \(text)")
                if let icu, let ours {
                    #expect(ours.length == icu.range.length, "\(pattern) prefix of \(text)")
                    #expect(ours.groups.count == icu.numberOfRanges - 1)
                    for g in 0..<min(ours.groups.count, icu.numberOfRanges - 1) {
                        let r = icu.range(at: g + 1)
                        let expected = r.location == NSNotFound ? nil : r.location..<(r.location + r.length)
                        #expect(ours.groups[g] == expected, "\(pattern) group \(g + 1) of \(text)")
                    }
                }
                checked += 1
            }
        }
        // The samples really exercise matching, not only rejection.
        #expect(checked > 50_000)
        #expect(matched > checked / 4)
    }

    @Test func transformRulesExpandGroups() throws {
        // Argentina: "0 11 15 2345-6789" → "9 11 2345 6789" ($2 is the area code).
        let argentina = try #require(PhoneMetadata.forRegion("AR"))
        #expect(argentina.stripNationalPrefix("01115" + "23456789") == "91123456789")
        let p = try #require(DigitPattern("0?(?:(11)|(2))?(3)"))
        let m = try #require(p.matchPrefix(Array("0113".utf8)))
        #expect(m.groups == [1..<3, nil, 3..<4])
        #expect(m.expand("9$1-$2-$3x", in: Array("0113".utf8)) == "911--3x")
    }

    @Test func outsideTheDialectIsRefused() {
        for pattern in ["a", "\\w", "[^1]", "1*", "1+", "1??", "(?=1)", "(1", "1)", "[2-1]", "1{3,2}", "$?", "[]"] {
            #expect(DigitPattern(pattern) == nil, "\(pattern)")
        }
        #expect(DigitPattern("") != nil)
        #expect(DigitPattern("")?.matchesWhole([]) == true)
    }
}

/// The byte-wise scan of plain ASCII phones must give what the character-wise scan gives.
@Suite struct PhoneScanTests {
    @Test func asciiScanAgreesWithTheCharacterScan() {
        var rng = SplitMix(seed: 99)
        let alphabet = Array("0123456789      +-.()[]/~*,;:_!\t\n\u{0B}\u{0C}\u{1C}\u{7F}\u{00}")
        var answered = 0
        for n in 0..<20_000 {
            var text = ""
            for _ in 0..<Int(rng.next() % (n % 100 == 0 ? 300 : 24)) { text.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            guard let fast = PhoneNumberNormalizer.scanPlainASCII(text) else { continue }
            answered += 1
            let general = PhoneNumberNormalizer.scanCharacters(text)
            switch (fast, general) {
            case (.success(let a), .success(let b)):
                #expect(a.hasPlus == b.hasPlus && a.digits == b.digits, "\(text.debugDescription)")
            case (.failure(let a), .failure(let b)):
                #expect(a == b, "\(text.debugDescription)")
            default:
                Issue.record("\(text.debugDescription): \(fast) vs \(general)")
            }
        }
        #expect(answered > 15_000)
        // What the byte scan leaves to the character scan.
        for text in ["555-555-SHIP", "0xx11 2345 6789", "12 ext. 3", "1#2", "１２３", "12\r\n34", "\u{00A0}123"] {
            #expect(PhoneNumberNormalizer.scanPlainASCII(text) == nil, "\(text)")
        }
    }
}
