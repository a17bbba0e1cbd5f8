import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs a long blocking job (a backup: seconds of file IO and compression) on a thread of its
/// own at a lower CPU priority, so it holds neither a Swift concurrency thread nor a storage
/// pool thread that ingest needs. Cancelling the awaiting task raises the job's cancel flag.
enum BlockingWork {
    final class Flag: Sendable {
        let raised = Atomic(false)
    }

    /// Runs `job` on a new thread with nice `niceness` and returns its result; `job` receives a
    /// closure telling it whether the caller was cancelled.
    static func run<T: Sendable>(
        niceness: Int32 = 10, _ job: @escaping @Sendable (_ isCancelled: @escaping @Sendable () -> Bool) throws -> T
    ) async throws -> T {
        let flag = Flag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let thread = Thread {
                    #if canImport(Glibc)
                    // Linux applies nice per thread: 0 is the calling thread.
                    _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
                    #endif
                    continuation.resume(with: Result { try job { flag.raised.load(ordering: .relaxed) } })
                }
                thread.name = "backup"
                thread.start()
            }
        } onCancel: {
            flag.raised.store(true, ordering: .relaxed)
        }
    }
}
