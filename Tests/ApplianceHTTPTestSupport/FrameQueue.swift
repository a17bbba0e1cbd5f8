/// Frames a test dashboard received over `/ws/orders`, awaited in order.
public actor FrameQueue {
    public private(set) var all: [JSON] = []
    private var cursor = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private let defaultSeconds: Double

    /// - Parameter defaultSeconds: how long ``next(_:seconds:where:)`` waits when not told.
    public init(defaultSeconds: Double = 10) {
        self.defaultSeconds = defaultSeconds
    }

    public func push(_ frame: JSON) {
        all.append(frame)
        wake()
    }

    private func wake() {
        let w = waiters
        waiters = []
        for c in w { c.resume() }
    }

    /// The next frame (after the last one returned) that matches `predicate`; frames skipped
    /// over are passed. Fails with ``FrameTimeout`` after `seconds`.
    public func next(_ what: String, seconds: Double? = nil, where predicate: @Sendable (JSON) -> Bool = { _ in true }) async throws -> JSON {
        let deadline = ContinuousClock.now + .seconds(seconds ?? defaultSeconds)
        let timer = Task { [weak self] in
            try? await Task.sleep(until: deadline)
            await self?.wakeForTimeout()
        }
        defer { timer.cancel() }
        while true {
            while cursor < all.count {
                let frame = all[cursor]
                cursor += 1
                if predicate(frame) { return frame }
            }
            guard ContinuousClock.now < deadline else { throw FrameTimeout(what: what, received: all) }
            await withCheckedContinuation { waiters.append($0) }
        }
    }

    private func wakeForTimeout() { wake() }

    /// Frames after the last one returned by ``next(_:seconds:where:)``.
    public var unread: [JSON] { Array(all[cursor...]) }
}

/// No frame as awaited came in time.
public struct FrameTimeout: Error, CustomStringConvertible {
    public let what: String
    public let received: [JSON]

    public var description: String { "no frame: \(what) (got \(received.map(\.frameSummary)))" }
}

extension JSON {
    /// The frame's `type`.
    public var frameType: String? { self["type"].string }

    /// A short form for failure messages: `whatsapp.status` frames by state (QR images cut),
    /// others whole.
    public var frameSummary: String {
        guard frameType == "whatsapp.status" else { return description }
        let w = self["whatsapp"]
        return "status(\(w["state"].string ?? "?")\(w["qr_png"].exists ? " +qr" : "")\(w["detail"].string.map { ": " + $0 } ?? ""))"
    }
}
