import ArgumentParser

/// `shopify-whatsapp`: the appliance's single binary.
public struct ShopifyWhatsAppCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "shopify-whatsapp",
        abstract: "Shopify orders in, WhatsApp confirmations out: a self-hosted multi-tenant appliance.",
        subcommands: [ServeCommand.self, InitCommand.self, UserCommand.self, TriggerOrderCommand.self, CheckCommand.self, CompactCommand.self, BackupCommand.self, RestoreCommand.self,
                      DemoDataCommand.self])

    public init() {}
}

/// `--data-dir` (or `DATA_DIR`), shared by every command.
struct DataDirOption: ParsableArguments {
    @Option(name: .long, help: "The data directory (env DATA_DIR).")
    var dataDir: String = Environment.string("DATA_DIR", "./data")
}

/// The binary's entry point.
public enum ShopifyWhatsAppMain {
    /// Parses the command line and runs the command.
    public static func run() async { await ShopifyWhatsAppCommand.main() }
}
