import Foundation

/// A private temporary folder removed when the test ends (call ``remove()`` from a `defer`).
struct TempDirectory {
    let path: String

    init(_ name: String = #function) throws {
        let safe = name.filter { $0.isLetter || $0.isNumber }.prefix(40)
        path = NSTemporaryDirectory() + "shopify-whatsapp-optest-\(safe)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func sub(_ name: String) -> String { path + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// The package root (where Package.swift is), found from this file's path.
func packageRoot(filePath: String = #filePath) -> String {
    var dir = URL(fileURLWithPath: filePath).deletingLastPathComponent()
    while dir.path != "/" {
        if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir.path }
        dir.deleteLastPathComponent()
    }
    return FileManager.default.currentDirectoryPath
}

/// The permission bits of `path` (lstat).
func permissions(_ path: String) -> Int? {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.intValue
}

/// Every path under `root` (relative, sorted), folders with a trailing `/`.
func tree(_ root: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
    var out: [String] = []
    while let rel = walker.nextObject() as? String {
        var isDir: ObjCBool = false
        FileManager.default.fileExists(atPath: root + "/" + rel, isDirectory: &isDir)
        out.append(isDir.boolValue ? rel + "/" : rel)
    }
    return out.sorted()
}

func readBytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

func writeBytes(_ bytes: [UInt8], to path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }
