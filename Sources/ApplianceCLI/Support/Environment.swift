import Foundation

/// Flag defaults from environment variables of the same name in upper snake case
/// (`DATA_DIR`, `PORT`, `PUBLIC_URL`, ...).
enum Environment {
    static func string(_ name: String, _ fallback: String) -> String {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 } ?? fallback
    }

    static func optional(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    static func int(_ name: String, _ fallback: Int) -> Int {
        optional(name).flatMap(Int.init) ?? fallback
    }
}
