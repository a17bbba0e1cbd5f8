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
        #"[1,]"#, #"[1 2]"#, #"{"a" 1}"#, #"{"a":1,}"#, #"{"a\n":1}"#, #"[-]"#, #"[1.]"#, #"[.5]"#, #"[1e]"#, #"[tru]"#,
        #"["a"#, #"[1]]"#, String(repeating: "[", count: 65) + String(repeating: "]", count: 65),
    ])
    func invalidOrUncertainDocumentsThrow(text: String) {
        #expect(Self.read(text) { (r: inout FastJSONReader) throws(FastJSONReader.Fallback) in try r.skipValue() } == nil)
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
