import ApplianceCoding
extension WebDriverClient {
    /// A fault-injection seam (for tests): called with each command after the driver has
    /// answered it, so the command has taken effect, and before the answer is used. An error it
    /// throws makes the command fail with `.transport`, as if the answer had been lost on the
    /// way; a hook that takes longer than the command's time limit makes it time out.
    public typealias AnswerHook = @Sendable (_ method: Method, _ path: String, _ body: JSONValue?) async throws -> Void
}
