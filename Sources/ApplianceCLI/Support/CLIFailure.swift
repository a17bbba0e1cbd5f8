import ApplianceDomain
import ApplianceStorage
import ArgumentParser
import Foundation

/// A refusal of a CLI command: printed as one line on stderr, exit status 1.
struct CLIFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }

    /// The line printed for `error`: a domain error's message, the data-directory lock's refusal
    /// as it reads, anything else as it describes itself.
    static func message(for error: any Error) -> String {
        if let domain = error as? DomainError { return domain.message }
        if let storage = error as? StorageError, storage.code == .inUse { return storage.message }
        return String(describing: error)
    }
}

extension ParsableCommand {
    /// Runs `body`, turning any failure into a one-line reason on stderr and exit status 1.
    func refusingOnError<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            let message = CLIFailure.message(for: error)
            FileHandle.standardError.write(Data("error: \(message.split(separator: "\n").first ?? "")\n".utf8))
            throw ExitCode.failure
        }
    }
}
