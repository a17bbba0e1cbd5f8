/// A fake site failure with a readable message.
public struct FakeSiteError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
