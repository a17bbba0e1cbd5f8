import Foundation
import Testing

/// The install kit in appliance/: the systemd unit, the Caddy configuration, the shell scripts
/// (each checked with its own tool, which appliance/test installs), and install.sh / uninstall.sh
/// run end to end into a throwaway root.
@Suite struct InstallKitTests {
    static let kit = packageRoot() + "/appliance"

    /// Skips a check only when its tool is missing, saying which Debian package has it.
    static func requires(_ tool: String, package: String) -> ConditionTrait {
        .enabled(if: Tool.find(tool) != nil, "\(tool) is not installed (Debian package \(package); appliance/test installs it)")
    }

    @Test(requires("systemd-analyze", package: "systemd"))
    func systemdAnalyzeVerifiesTheUnit() throws {
        let unit = Self.kit + "/shopify-whatsapp.service"
        let text = try String(contentsOfFile: unit, encoding: .utf8)
        for directive in ["NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/shopify-whatsapp", "PrivateTmp=yes",
                          "ProtectHome=yes", "MemoryMax=", "Restart=on-failure", "KillSignal=SIGTERM", "TimeoutStopSec=",
                          "User=shopify-whatsapp", "ExecStart=/usr/local/bin/shopify-whatsapp serve"] {
            #expect(text.contains(directive), "the unit should set \(directive)")
        }
        // The unit as shipped: the only complaint allowed is a binary not installed on this machine.
        let shipped = try Tool.run("systemd-analyze", ["verify", unit])
        let complaints = (shipped.stdout + shipped.stderr).split(separator: "\n").filter {
            !($0.contains("/usr/local/bin/shopify-whatsapp") && $0.contains("No such file or directory")
              && !FileManager.default.fileExists(atPath: "/usr/local/bin/shopify-whatsapp"))
        }
        #expect(complaints.isEmpty, "\(shipped)")
        // The same unit pointing at the built binary: no warning at all (unknown keys and bad
        // values are only warnings for systemd, so any output fails).
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        let copy = tmp.sub("shopify-whatsapp.service")
        try text.replacingOccurrences(of: "/usr/local/bin/shopify-whatsapp", with: try Binary.path())
            .write(toFile: copy, atomically: true, encoding: .utf8)
        let strict = try Tool.run("systemd-analyze", ["verify", copy])
        #expect(strict.status == 0 && (strict.stdout + strict.stderr).isEmpty, "\(strict)")
    }

    @Test(requires("caddy", package: "caddy"))
    func caddyValidatesTheConfig() throws {
        let result = try Tool.run("caddy", ["validate", "--config", Self.kit + "/Caddyfile", "--adapter", "caddyfile"],
                                  environment: ["DOMAIN": "orders.example.com", "HOME": NSTemporaryDirectory()])
        #expect(result.status == 0, "\(result)")
        #expect((result.stdout + result.stderr).contains("Valid configuration"), "\(result)")
        let text = try String(contentsOfFile: Self.kit + "/Caddyfile", encoding: .utf8)
        #expect(text.contains("{$DOMAIN"))
        #expect(text.contains("reverse_proxy 127.0.0.1:8000"))
        #expect(text.contains("header_up X-Forwarded-For {remote_host}"))
        // Formatted as caddy formats it.
        let formatted = try Tool.run("caddy", ["fmt", Self.kit + "/Caddyfile"])
        #expect(formatted.stdout == text, "run `caddy fmt --overwrite appliance/Caddyfile`")
    }

    /// The proxy in front of the appliance never logs a token: a request to the WebSocket with
    /// `?token=` and an API call with `Authorization` go through the real Caddy with the kit's
    /// Caddyfile (served on a loopback port instead of the domain), and its whole log is read.
    @Test(requires("caddy", package: "caddy"))
    func caddyLogsNoToken() throws {
        let folder = NSTemporaryDirectory() + "caddy-log-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let port = try freeLocalPort()
        var text = try String(contentsOfFile: Self.kit + "/Caddyfile", encoding: .utf8)
        let site = "{$DOMAIN:localhost} {"
        try #require(text.contains(site) && text.contains("{\n\tlog default {"))
        text = text.replacingOccurrences(of: site, with: "http://127.0.0.1:\(port) {")
        text = text.replacingOccurrences(of: "{\n\tlog default {", with: "{\n\tadmin off\n\tlog default {")
        try text.write(toFile: folder + "/Caddyfile", atomically: true, encoding: .utf8)
        let caddy = Process()
        caddy.executableURL = URL(fileURLWithPath: try #require(Tool.find("caddy")))
        caddy.arguments = ["run", "--config", folder + "/Caddyfile", "--adapter", "caddyfile"]
        caddy.environment = ["HOME": folder, "XDG_DATA_HOME": folder, "XDG_CONFIG_HOME": folder]
        FileManager.default.createFile(atPath: folder + "/caddy.log", contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/caddy.log"))
        caddy.standardOutput = log
        caddy.standardError = log
        try caddy.run()
        defer { if caddy.isRunning { caddy.terminate(); caddy.waitUntilExit() } }
        // Listening is the event to wait for: connect until it accepts.
        var connection: HTTPConnection?
        for _ in 0..<300 where connection == nil {
            connection = try? HTTPConnection(port: port, timeoutSeconds: 5)
            if connection == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        let http = try #require(connection, "caddy did not listen on \(port)")
        _ = try http.send("GET", "/ws/orders?token=SECRET-QUERY-TOKEN&v=1")
        _ = try HTTPConnection(port: port).send("GET", "/api/v1/admin/orders", headers: [("Authorization", "Bearer SECRET-HEADER-TOKEN")])
        caddy.terminate()
        caddy.waitUntilExit()
        try log.close()
        let written = try String(contentsOfFile: folder + "/caddy.log", encoding: .utf8)
        #expect(written.contains("/ws/orders"), "the request should be logged: \(written)")
        #expect(!written.contains("SECRET-"), "a token reached the log: \(written)")
    }

    @Test(requires("shellcheck", package: "shellcheck"))
    func shellcheckPassesOnTheScripts() throws {
        let scripts = try FileManager.default.contentsOfDirectory(atPath: Self.kit).filter { $0.hasSuffix(".sh") }.sorted()
            .map { "appliance/" + $0 } + ["appliance/run", "appliance/test"]
        #expect(scripts.contains("appliance/install.sh") && scripts.contains("appliance/uninstall.sh"))
        let result = try Tool.run("shellcheck", scripts, cwd: packageRoot())
        #expect(result.status == 0, "\(result)")
    }

    /// install.sh into a throwaway root, twice (idempotent), an upgrade with a rollback copy,
    /// settings kept across runs, then uninstall.sh keeping the data, and --purge.
    @Test func installIntoAThrowawayRootEndToEnd() throws {
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        let root = tmp.sub("root")
        let binary = try Binary.path()
        // A Caddyfile of the machine that must survive.
        try FileManager.default.createDirectory(atPath: root + "/etc/caddy", withIntermediateDirectories: true)
        try "example.org {\n\trespond \"hello\"\n}\n".write(toFile: root + "/etc/caddy/Caddyfile", atomically: true, encoding: .utf8)

        func install(_ extra: [String] = [], binary: String = binary) throws -> ToolResult {
            let result = try Tool.run(Self.kit + "/install.sh", ["--root", root, "--binary", binary] + extra)
            #expect(result.status == 0, "\(result)")
            return result
        }
        let first = try install(["--domain", "orders.example.com"])
        #expect(first.stdout.contains("skipped (--root)"))

        let expected = [
            "etc/caddy/Caddyfile", "etc/caddy/Caddyfile.before-shopify-whatsapp", "etc/shopify-whatsapp/env",
            "etc/systemd/system/caddy.service.d/shopify-whatsapp.conf", "etc/systemd/system/shopify-whatsapp.service",
            "usr/local/bin/shopify-whatsapp", "var/lib/shopify-whatsapp/", "var/lib/shopify-whatsapp/backups/",
            "var/lib/shopify-whatsapp/chrome_data/", "var/lib/shopify-whatsapp/data/",
        ]
        let files = tree(root).filter { !$0.hasSuffix("/") || $0.hasPrefix("var/lib/shopify-whatsapp") }
        #expect(files == expected)
        for folder in ["", "/data", "/backups", "/chrome_data"] {
            #expect(permissions(root + "/var/lib/shopify-whatsapp" + folder) == 0o700, "\(folder)")
        }
        #expect(permissions(root + "/usr/local/bin/shopify-whatsapp") == 0o755)
        #expect(try readBytes(root + "/usr/local/bin/shopify-whatsapp") == readBytes(binary))
        #expect(try readBytes(root + "/etc/systemd/system/shopify-whatsapp.service") == readBytes(Self.kit + "/shopify-whatsapp.service"))
        #expect(try readBytes(root + "/etc/caddy/Caddyfile") == readBytes(Self.kit + "/Caddyfile"))
        let env = try String(contentsOfFile: root + "/etc/shopify-whatsapp/env", encoding: .utf8)
        for line in ["DOMAIN=orders.example.com", "PUBLIC_URL=https://orders.example.com", "BACKUP_EVERY=24h", "BACKUP_KEEP=7"] {
            #expect(env.contains(line + "\n"), "\(env)")
        }
        #expect(try String(contentsOfFile: root + "/etc/systemd/system/caddy.service.d/shopify-whatsapp.conf", encoding: .utf8)
            .contains("Environment=DOMAIN=orders.example.com"))

        // The installed binary works on the installed data folder.
        let data = root + "/var/lib/shopify-whatsapp/data"
        #expect(try Tool.run(root + "/usr/local/bin/shopify-whatsapp", ["init", "--data-dir", data]).status == 0)

        // Idempotent: a second run changes nothing.
        func snapshot() throws -> [String: [UInt8]] {
            var all: [String: [UInt8]] = [:]
            for rel in tree(root) where !rel.hasSuffix("/") { all[rel] = try readBytes(root + "/" + rel) }
            return all
        }
        let before = try snapshot()
        let second = try install()
        #expect(try snapshot() == before)
        #expect(second.stdout.contains("unchanged"))
        #expect(!second.stdout.contains("written"), "\(second.stdout)")

        // Settings: an operator's line stays; --backup-every off is remembered.
        try (env + "LOG_LEVEL=debug\n").write(toFile: root + "/etc/shopify-whatsapp/env", atomically: true, encoding: .utf8)
        _ = try install(["--backup-every", "off", "--backup-keep", "3"])
        _ = try install()
        let env2 = try String(contentsOfFile: root + "/etc/shopify-whatsapp/env", encoding: .utf8)
        for line in ["LOG_LEVEL=debug", "BACKUP_EVERY=\n", "BACKUP_KEEP=3", "DOMAIN=orders.example.com"] {
            #expect(env2.contains(line), "\(env2)")
        }
        #expect(env2.components(separatedBy: "DOMAIN=").count == 2, "no duplicated keys: \(env2)")

        // Upgrade: another binary replaces it, the old one is kept for a rollback.
        let newer = tmp.sub("shopify-whatsapp-newer")
        try writeBytes(try readBytes(binary) + [0], to: newer)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: newer)
        let upgrade = try install(binary: newer)
        #expect(upgrade.stdout.contains("upgraded"))
        #expect(try readBytes(root + "/usr/local/bin/shopify-whatsapp.previous") == readBytes(binary))
        #expect(try readBytes(root + "/usr/local/bin/shopify-whatsapp") == readBytes(newer))

        // Bad options are refused.
        let bad = try Tool.run(Self.kit + "/install.sh", ["--root", root, "--binary", binary, "--backup-keep", "zero"])
        #expect(bad.status != 0 && bad.stderr.contains("--backup-keep"))
        let noDomain = try Tool.run(Self.kit + "/install.sh", ["--root", tmp.sub("other"), "--binary", binary])
        #expect(noDomain.status != 0 && noDomain.stderr.contains("--domain"))

        // Uninstall keeps the data and puts the earlier Caddyfile back.
        let removed = try Tool.run(Self.kit + "/uninstall.sh", ["--root", root])
        #expect(removed.status == 0, "\(removed)")
        #expect(!FileManager.default.fileExists(atPath: root + "/usr/local/bin/shopify-whatsapp"))
        #expect(!FileManager.default.fileExists(atPath: root + "/etc/systemd/system/shopify-whatsapp.service"))
        #expect(FileManager.default.fileExists(atPath: data + "/format.json"))
        #expect(try String(contentsOfFile: root + "/etc/caddy/Caddyfile", encoding: .utf8).contains("example.org"))
        let purged = try Tool.run(Self.kit + "/uninstall.sh", ["--root", root, "--purge"])
        #expect(purged.status == 0, "\(purged)")
        #expect(!FileManager.default.fileExists(atPath: root + "/var/lib/shopify-whatsapp"))
        #expect(!FileManager.default.fileExists(atPath: root + "/etc/shopify-whatsapp"))
    }
}
