import ApplianceCoding

/// A window's position and outer size in CSS pixels.
public struct WindowRect: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The W3C answer for a window: the same members as an element's rect, in whole pixels.
    init(json: JSONValue) throws {
        let rect = try ElementRect(json: json)
        self.init(x: Int(rect.x), y: Int(rect.y), width: Int(rect.width), height: Int(rect.height))
    }
}
