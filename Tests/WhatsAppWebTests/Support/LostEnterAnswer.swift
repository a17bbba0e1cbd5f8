import ApplianceCoding
import Synchronization
import WebDriver

/// A fault for ``WebDriverClient/AnswerHook``: the answer to the first Enter key typed into an
/// element is lost after chromedriver has dispatched the key. The command then fails as a
/// transport error at once (the connection dropped) or, with a `delay` longer than the command's
/// time limit, when that limit runs out (the call timed out).
final class LostEnterAnswer: Sendable {
    /// The error the Enter key's command gets instead of its answer.
    struct Lost: Error, CustomStringConvertible {
        var description: String { "injected fault: the answer to the Enter key was lost after chromedriver dispatched it" }
    }

    /// nil: the answer is lost at once; else it is held this long (past the time limit: a timeout).
    let delay: Duration?
    private let count = Mutex(0)

    init(delay: Duration? = nil) {
        self.delay = delay
    }

    /// Enter keys typed so far (only the first one's answer was lost).
    var enters: Int { count.withLock { $0 } }

    /// The hook for ``ChromeDriverService/Configuration/answerHook``.
    var hook: WebDriverClient.AnswerHook {
        { [self] method, path, body in
            guard method == .post, path.hasSuffix("/value"), body?["text"]?.stringValue == Key.enter else { return }
            let first = count.withLock { n in
                n += 1
                return n == 1
            }
            guard first else { return }
            if let delay { try await Task.sleep(for: delay) }
            throw Lost()
        }
    }
}
