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

    init(json: JSONValue) throws {
        guard let x = json["x"]?.doubleValue, let y = json["y"]?.doubleValue,
              let width = json["width"]?.doubleValue, let height = json["height"]?.doubleValue
        else { throw WebDriverError(.invalidResponse, "expected a rect, got \(json)") }
        self.init(x: Int(x), y: Int(y), width: Int(width), height: Int(height))
    }
}
