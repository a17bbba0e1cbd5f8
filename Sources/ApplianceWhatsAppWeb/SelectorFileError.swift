/// The operator's selector file is not in the expected format.
struct SelectorFileError: Error, CustomStringConvertible {
    let description: String
}
