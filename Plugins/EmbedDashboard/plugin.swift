import Foundation
import PackagePlugin

/// Embeds `Resources/` of the target into the binary as a generated Swift file, so the
/// dashboard ships inside the one executable (no files beside it, no CDN).
@main
struct EmbedDashboard: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        let resources = target.directoryURL.appending(path: "Resources")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: resources.path(percentEncoded: false))) ?? []
        let inputs = names.filter { !$0.hasPrefix(".") }.sorted().map { resources.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "DashboardAssets+Embedded.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) dashboard assets",
                executable: try context.tool(named: "DashboardEmbedder").url,
                arguments: [output.path(percentEncoded: false)] + inputs.map { $0.path(percentEncoded: false) },
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}
