import ApplianceCoding
import Foundation
import SeededRandom
import Testing

/// The reader's building blocks on their own (the Shopify and journal readers built on it are
/// held against `JSONDecoder` in the domain tests): it reads what `JSONDecoder` reads, the same
/// way, or throws.
@Suite struct FastJSONReaderTests {
    /// Runs `body` on a reader over `text`.
    static func read<T>(_ text: String, _ body: (inout FastJSONReader) throws(FastJSONReader.Fallback) -> T) -> T? {
        Array(text.utf8).withUnsafeBufferPointer { buffer -> T? in
            guard let base = buffer.baseAddress else { return nil }
            var reader = FastJSONReader(base: base, count: buffer.count)
            do {
                let value = try body(&reader)
                try reader.expectEnd()
                return value
            } catch {
                return nil
            }
        }
    }

    @Test(arguments: [
        #""plain""#, #""""#, #""a\"b\\c\/d""#, #""\b\f\n\r\t""#, #""\u00e9\u20AC""#, #""\ud83d\ude00""#,
        #""é😀 and more than eight bytes""#, #""\ud83d""#, #""\ude00""#, #""\x""#, "\"a\u{1}\"", #""open"#,
    ])
    func stringsReadAsJSONDecoderReadsThem(text: String) {
        let expected = try? JSONDecoder().decode(String.self, from: Data(text.utf8))
        #expect(Self.read(text) { (r: inout FastJSONReader) throws(FastJSONReader.Fallback) in try r.string() } == expected)
    }

    @Test func integersInRangeAndOtherNumberForms() {
        func int64(_ t: String) -> Int64? { Self.read(t) { (r: inout FastJSONReader) throws(FastJSONReader.Fallback) in try r.int64() } }
        func uint64(_ t: String) -> UInt64? { Self.read(t) { (r: inout FastJSONReader) throws(FastJSONReader.Fallback) in try r.uint64() } }
        #expect(int64("-9223372036854775808") == Int64.min)
        #expect(int64("9223372036854775807") == Int64.max)
        #expect(int64("9223372036854775808") == nil)
        #expect(int64(" 0 ") == 0)
        #expect(int64("01") == nil)
        #expect(int64("1.0") == nil)
        #expect(int64("1e3") == nil)
        #expect(uint64("18446744073709551615") == UInt64.max)
        #expect(uint64("18446744073709551616") == nil)
        #expect(uint64("-1") == nil)
    }

    /// Keys are scanned eight bytes at a time: a key of any length comes back whole, and an
    /// escape or a control character at any offset of it is left to `JSONDecoder`.
    @Test func keysOfEveryLengthAndSpecialBytesAtEveryOffset() {
        func keys(_ text: String) -> [String]? {
            Self.read(text) { (r: inout FastJSONReader) throws(FastJSONReader.Fallback) -> [String] in
                var keys: [String] = []
                try r.beginObject()
                var first = true
                while let key = try r.nextKey(&first) {
                    keys.append(String(decoding: key, as: UTF8.self))
                    try r.skipValue()
                }
                return keys
            }
        }
        for length in 0..<26 {
            let key = String((0..<length).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })
            #expect(keys(#"{"\#(key)":1,"z":2}"#) == [key, "z"], "\(length)")
            #expect(keys(#"{"\#(key)é€":1}"#) == [key + "é€"])
            for offset in 0..<length {
                var bytes = Array(key.utf8)
                for special: [UInt8] in [[0x5C, 0x6E], [0x01], [0x1F]] {
                    bytes.replaceSubrange(offset..<offset + 1, with: special)
                    #expect(keys("{\"" + String(decoding: bytes, as: UTF8.self) + "\":1}") == nil, "\(length) \(offset)")
                    bytes = Array(key.utf8)
                }
            }
        }
    }

    @Test func keysInOrderAndValuesSkipped() {
        let text = #" {"a": [1, -2.5e+3, true, false, null, {"x": "\u0041"}], "bb" : {}, "c": "s"} "#
        let read = Self.read(text) { (r: inout FastJSONReader) throws(FastJSONReader.Fallback) -> ([String], String?) in
            var keys: [String] = []
            var c: String?
            var seen = FastJSONReader.KeySet()
            try r.beginObject()
            var first = true
            while let key = try r.nextKey(&first) {
                keys.append(String(decoding: key, as: UTF8.self))
                if r.matches(key, "c") {
                    try seen.once(0)
                    c = try r.string()
                } else {
                    try r.skipValue()
                }
            }
            return (keys, c)
        }
        #expect(read?.0 == ["a", "bb", "c"])
        #expect(read?.1 == "s")
    }

    @Test(arguments: [
        #"[1,]"#, #"[1 2]"#, #"{"a" 1}"#, #"{"a":1,}"#, #"{"a":1 "b":2}"#, "{\"a\u{1}\":1}", #"[-]"#, #"[1.]"#, #"[.5]"#, #"[1e]"#, #"[tru]"#,
        #"["a"#, #"[1]]"#, String(repeating: "[", count: 65) + String(repeating: "]", count: 65),
    ])
    func invalidOrUncertainDocumentsThrow(text: String) {
        #expect(Self.read(text) { (r: inout FastJSONReader) throws(FastJSONReader.Fallback) in try r.skipValue() } == nil)
    }

    /// Random documents (nested objects and arrays, every value kind, random whitespace, escaped
    /// keys) and one-byte corruptions of them: whatever ``FastJSONReader/skipValue()`` accepts,
    /// `JSONDecoder` accepts too, and it accepts every well-formed document within its depth.
    @Test func skippingAgreesWithJSONDecoderOnRandomDocuments() {
        var rng = SplitMix(seed: 7)
        func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        func space() -> String { ["", "", " ", "\n ", "\t"][pick(5)] }
        func scalar() -> String {
            [#""plain""#, #""e\u00e9\"q\\""#, "0", "-12", "3.25", "-0.5e+7", "1E3", "true", "false", "null", #""""#][pick(11)]
        }
        func value(_ depth: Int) -> String {
            guard depth > 0, pick(3) != 0 else { return scalar() }
            let n = pick(4)
            if pick(2) == 0 {
                let items = (0..<n).map { _ in space() + value(depth - 1) + space() }
                return "[" + items.joined(separator: ",") + "]"
            }
            let keys = [#""a""#, #""key\u0041""#, #""b c""#, #""""#]
            let items = (0..<n).map { k in space() + keys[k] + space() + ":" + space() + value(depth - 1) + space() }
            return "{" + items.joined(separator: ",") + "}"
        }
        let junk: [UInt8] = Array(#",:[]{}"\ 0-.e"#.utf8) + [0x01]
        var accepted = 0
        for _ in 0..<3_000 {
            let document = "[" + value(5) + "]"
            let skipped = Self.read(document) { (r: inout FastJSONReader) throws(FastJSONReader.Fallback) in try r.skipValue() } != nil
            #expect(skipped, "a well-formed document: \(document)")
            var bytes = Array(document.utf8)
            let at = pick(bytes.count)
            switch pick(3) {
            case 0: bytes.remove(at: at)
            case 1: bytes.insert(junk[pick(junk.count)], at: at)
            default: bytes[at] = junk[pick(junk.count)]
            }
            let corrupted = String(decoding: bytes, as: UTF8.self)
            if Self.read(corrupted, { (r: inout FastJSONReader) throws(FastJSONReader.Fallback) in try r.skipValue() }) != nil {
                accepted += 1
                #expect((try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))) != nil, "skipped what JSONDecoder refuses: \(corrupted)")
            }
        }
        // Some corruptions stay valid JSON (a digit for a digit, a space for a space): both accept those.
        #expect(accepted > 0)
    }

    /// A key with an escape is read by `JSONDecoder` only (``FastJSONReader/nextKey(_:)`` throws),
    /// but an object being skipped needs no key read: it is skipped like any valid string.
    @Test func skippedObjectsMayHaveEscapedKeys() {
        #expect(Self.read(#"{"a\n":1, "\u0041": [true]}"#) { (r: inout FastJSONReader) throws(FastJSONReader.Fallback) in try r.skipValue() } != nil)
        let keyRead = Self.read(#"{"a\n":1}"#) { (r: inout FastJSONReader) throws(FastJSONReader.Fallback) in
            try r.beginObject()
            var first = true
            _ = try r.nextKey(&first)
            try r.skipValue()
            _ = try r.nextKey(&first)
        }
        #expect(keyRead == nil)
        let plainKeyRead = Self.read(#"{"a":1}"#) { (r: inout FastJSONReader) throws(FastJSONReader.Fallback) in
            try r.beginObject()
            var first = true
            _ = try r.nextKey(&first)
            try r.skipValue()
            _ = try r.nextKey(&first)
        }
        #expect(plainKeyRead != nil)
    }

    @Test func repeatedKeysThrow() {
        var seen = FastJSONReader.KeySet()
        #expect(throws: FastJSONReader.Fallback.self) {
            try seen.once(3)
            try seen.once(3)
        }
    }

    /// Well-formed UTF-8 exactly as the standard library decides it, on random bytes biased
    /// towards multi-byte sequences.
    @Test func utf8ValidationAgreesWithTheStandardLibrary() {
        var rng = SplitMix(seed: 42)
        let interesting: [UInt8] = [0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0x9F, 0xA0, 0x8F, 0x90]
        for _ in 0..<20_000 {
            let length = Int(rng.next() % 12)
            let bytes = (0..<length).map { _ in interesting[Int(rng.next() % UInt64(interesting.count))] }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            #expect(bytes.withUnsafeBufferPointer { FastJSONReader.isValidUTF8($0) } == expected, "\(bytes)")
        }
    }
}
