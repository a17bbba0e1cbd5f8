/// The time limit of a step ran out.
struct DeadlineExceeded: Error, CustomStringConvertible {
    let limit: Duration
    var description: String { "timed out after \(limit)" }
}
