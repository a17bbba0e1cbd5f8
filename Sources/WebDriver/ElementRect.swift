import ApplianceCoding

/// An element's position and size in CSS pixels (may be fractional).
public struct ElementRect: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    init(json: JSONValue) throws {
        guard let x = json["x"]?.doubleValue, let y = json["y"]?.doubleValue,
              let width = json["width"]?.doubleValue, let height = json["height"]?.doubleValue
        else { throw WebDriverError(.invalidResponse, "expected a rect, got \(json)") }
        self.init(x: x, y: y, width: width, height: height)
    }
}
