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

    /// Allocations of 512 KiB and more get pages of their own, handed back when freed. glibc
    /// otherwise raises this threshold after each large free (up to 32 MiB), and a few bodies of
    /// several MiB (a Shopify delivery may be 10 MiB) then stay resident in every thread's arena
    /// long after their request. Ordinary requests (an order is about 8 KB) never reach it.
    static func returnLargeAllocations() {
        #if canImport(Glibc)
        typealias Option = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD in <malloc.h>
        _ = unsafeBitCast(symbol, to: Option.self)(mmapThreshold, 512 << 10)
        #endif
    }
}
