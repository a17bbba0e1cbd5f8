import ApplianceStorage
import Testing

@Suite("BinaryWriter / BinaryReader")
struct BinaryCodingTests {
    static func sample() -> [UInt8] {
        var w = BinaryWriter()
        for v in [UInt64(0), 1, 127, 128, 300, UInt64(Int64.max), UInt64.max] { w.write(v) }
        for v in [Int64(0), -1, 1, -64, 64, Int64.min, Int64.max] { w.write(v) }
        w.write(-42 as Int)
        w.write(true)
        w.write(false)
        w.write(UInt8(0xAB))
        w.write("héllo ✓")
        w.write("")
        w.write(String?.none)
        w.write(String?.some("x"))
        w.write(Int64?.none)
        w.write(Int64?.some(-7))
        w.write(bytes: [1, 2, 3])
        return w.bytes
    }

    @Test("round trip")
    func roundTrip() throws {
        var r = BinaryReader(Self.sample()[...])
        for v in [UInt64(0), 1, 127, 128, 300, UInt64(Int64.max), UInt64.max] { #expect(try r.readUInt64() == v) }
        for v in [Int64(0), -1, 1, -64, 64, Int64.min, Int64.max] { #expect(try r.readInt64() == v) }
        #expect(try r.readInt() == -42)
        #expect(try r.readBool() == true)
        #expect(try r.readBool() == false)
        #expect(try r.readByte() == 0xAB)
        #expect(try r.readString() == "héllo ✓")
        #expect(try r.readString() == "")
        #expect(try r.readOptionalString() == nil)
        #expect(try r.readOptionalString() == "x")
        #expect(try r.readOptionalInt64() == nil)
        #expect(try r.readOptionalInt64() == -7)
        #expect(Array(try r.readBytes()) == [1, 2, 3])
        #expect(r.isAtEnd)
    }

    @Test("truncated input throws")
    func truncated() {
        var w = BinaryWriter()
        w.write("a string long enough")
        w.write(UInt64.max)
        let bytes = w.bytes
        for k in 0..<bytes.count {
            var r = BinaryReader(bytes[..<k])
            #expect(throws: BinaryReader.Malformed.self, "prefix \(k)") {
                _ = try r.readString()
                _ = try r.readUInt64()
            }
        }
    }

    @Test("absurd lengths and endless varints throw instead of trapping")
    func absurdLengths() {
        for length in [UInt64.max, UInt64(Int.max), 1 << 63, 1 << 40] {
            var w = BinaryWriter()
            w.write(length)
            w.write(UInt8(0x61))
            var strings = BinaryReader(w.bytes[...])
            #expect(throws: BinaryReader.Malformed.self) { _ = try strings.readString() }
            var raw = BinaryReader(w.bytes[...])
            #expect(throws: BinaryReader.Malformed.self) { _ = try raw.readBytes() }
        }
        var endless = BinaryReader([UInt8](repeating: 0xFF, count: 20)[...])
        #expect(throws: BinaryReader.Malformed.self) { _ = try endless.readUInt64() }
    }
}
