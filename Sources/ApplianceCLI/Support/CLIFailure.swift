import ApplianceDomain
import ArgumentParser
import Foundation

/// A refusal of a CLI command: printed as one line on stderr, exit status 1.
struct CLIFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

extension ParsableCommand {
    /// Runs `body`, turning any failure into a one-line reason on stderr and exit status 1.
    func refusingOnError<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            let message = (error as? DomainError)?.message ?? String(describing: error)
            FileHandle.standardError.write(Data("error: \(message.split(separator: "\n").first ?? "")\n".utf8))
            throw ExitCode.failure
        }
    }
}
