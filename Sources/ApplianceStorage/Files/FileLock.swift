/// An exclusive advisory lock on a file, held until the object is released.
public protocol FileLock: AnyObject, Sendable {}
