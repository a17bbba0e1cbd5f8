import ApplianceDomain
import Foundation
import Synchronization

/// Every tenant's ``WebLinkState``, read by the tenants (their ``WhatsAppStatus``) and written
/// by the WhatsApp Web module. Made before the tenants are opened (it goes into their context).
public final class WebLinkBoard: WebLinkStatusSource {
    let chromeDataDir: String
    private let states = Mutex<[Int: WebLinkState]>([:])

    public init(chromeDataDir: String) {
        self.chromeDataDir = chromeDataDir
    }

    public func webLinkStatus(tenantID: Int) -> WhatsAppStatus {
        state(tenantID).status(hasProfile: hasProfile(tenantID))
    }

    /// The tenant's state (``WebLinkState/unknown`` before anything happened).
    public func state(_ tenantID: Int) -> WebLinkState {
        states.withLock { $0[tenantID] ?? .unknown }
    }

    /// Sets the tenant's state; returns whether it changed.
    @discardableResult
    func set(_ tenantID: Int, _ state: WebLinkState) -> Bool {
        states.withLock { states in
            let old = states[tenantID] ?? .unknown
            states[tenantID] = state
            return old != state
        }
    }

    /// Sets `linking` unless the tenant is linking, showing a QR code or connected, or has a
    /// saved profile not checked yet. Returns the state found and whether linking began.
    func beginLinking(_ tenantID: Int) -> (found: WebLinkState, began: Bool) {
        let profile = hasProfile(tenantID)
        return states.withLock { states in
            let old = states[tenantID] ?? .unknown
            switch old {
            case .linking, .qr, .connected: return (old, false)
            case .unknown where profile: return (old, false)
            default:
                states[tenantID] = .linking
                return (old, true)
            }
        }
    }

    /// Whether `chrome_data/<id>/` exists.
    func hasProfile(_ tenantID: Int) -> Bool {
        FileManager.default.fileExists(atPath: chromeDataDir + "/\(tenantID)")
    }
}
