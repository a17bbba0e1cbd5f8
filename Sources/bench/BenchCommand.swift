import ArgumentParser
import Foundation

/// Benchmarks of the real `shopify-whatsapp` binary.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks of the real shopify-whatsapp binary (build both with -c release).",
        subcommands: [IngestBench.self, LimitServer.self, BootBench.self, HeapBench.self, DrainBench.self, StagesBench.self, WheelBench.self, DashboardBench.self,
                      WebBench.self, WriteBackBench.self, ShopifyFakeCommand.self])
}

/// `--bin`: the server binary; by default the `shopify-whatsapp` next to this executable.
struct BinaryOption: ParsableArguments {
    @Option(help: "The shopify-whatsapp binary (default: next to bench).") var bin: String?

    func resolve() throws -> String {
        if let bin { return bin }
        let selfPath = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let candidate = URL(fileURLWithPath: selfPath).deletingLastPathComponent().appendingPathComponent("shopify-whatsapp").path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw ValidationError("no shopify-whatsapp next to bench (\(candidate)); pass --bin")
        }
        return candidate
    }
}

/// A failure of the benchmark harness.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A temporary directory removed on `remove()` unless `--keep` was given.
func makeTempDirectory(_ prefix: String) throws -> String {
    let path = NSTemporaryDirectory() + "/\(prefix)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func format(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }

/// The entry point (an async context, so the async `main()` of the command is the one called).
enum BenchMain {
    static func run() async {
        lineBufferedStdout()
        await BenchCommand.main()
    }
}

