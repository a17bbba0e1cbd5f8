import ApplianceCoding
import Foundation
import Testing

@Suite struct JSONValueTests {
    @Test func jsonValueRoundTripsAndKeepsKindsApart() throws {
        let text = #"{"a":[1,2.5,"s",null,true,false],"b":{"c":"/x"},"n":0}"#
        let value = try JSONValue(parsing: Data(text.utf8))
        #expect(value["a"]?[0] == 1)
        #expect(value["a"]?[1]?.doubleValue == 2.5)
        #expect(value["a"]?[3] == .null)
        #expect(value["a"]?[4] == true)
        #expect(value["a"]?[5]?.boolValue == false)
        #expect(value["n"]?.intValue == 0)
        #expect(value["n"]?.boolValue == nil)
        #expect(value["a"]?[1]?.intValue == nil)
        #expect(value["b"]?["c"]?.stringValue == "/x")
        #expect(value["a"]?[9] == nil)
        #expect(try JSONValue(parsing: value.encoded()) == value)
        let sorted = try (["b": "/", "a": 1] as JSONValue).encoded()
        #expect(String(decoding: sorted, as: UTF8.self) == #"{"a":1,"b":"/"}"#)
    }
}
