import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// This process's resident memory, after handing malloc's free pages back to the system.
enum HeapUsage {
    /// Resident bytes (`/proc/self/statm`) after `malloc_trim(0)`.
    static func residentAfterTrim() -> Int {
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        }
        #endif
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
