import ApplianceCoding
import Testing

/// The writer's escapes and numbers, byte for byte (the journal's order records, written with it,
/// are checked against `JSONDecoder` in `TenantRecordFastEncodeTests`).
@Suite struct FastJSONWriterTests {
    @Test func escapesAndNumbersAreExact() throws {
        var writer = FastJSONWriter()
        writer.beginObject()
        writer.key("s")
        writer.string("a\"b\\c\n\t\u{0}\u{1F}é😀/")
        writer.key("n")
        writer.int(Int64.min)
        writer.key("u")
        writer.uint(UInt64.max)
        writer.key("z")
        writer.int(0)
        writer.key("a")
        writer.beginArray()
        writer.bool(true)
        writer.bool(false)
        writer.endArray()
        writer.member("absent", nil as String?)
        writer.endObject()
        #expect(String(decoding: writer.bytes, as: UTF8.self)
            == #"{"s":"a\"b\\c\n\t\u0000\u001fé😀/","n":-9223372036854775808,"u":18446744073709551615,"z":0,"a":[true,false]}"#)
    }
}
