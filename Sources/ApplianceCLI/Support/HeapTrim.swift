#if canImport(Glibc)
import Glibc
#endif

/// Returns the allocator's free pages to the system.
enum HeapTrim {
    /// After boot, the snapshots and journal lines read while loading are freed but glibc keeps
    /// their pages; `malloc_trim(0)` releases them, so resident memory reflects live data.
    /// Looked up at run time (glibc's `<malloc.h>` is not part of the Glibc module); a C library
    /// without it is left alone.
    static func releaseFreePages() {
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
        #endif
    }
}
