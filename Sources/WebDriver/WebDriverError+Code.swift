extension WebDriverError.Code {
    // MARK: W3C error codes (https://www.w3.org/TR/webdriver2/#errors)

    public static let elementClickIntercepted = Self("element click intercepted")
    public static let elementNotInteractable = Self("element not interactable")
    public static let insecureCertificate = Self("insecure certificate")
    public static let invalidArgument = Self("invalid argument")
    public static let invalidCookieDomain = Self("invalid cookie domain")
    public static let invalidElementState = Self("invalid element state")
    public static let invalidSelector = Self("invalid selector")
    public static let invalidSessionID = Self("invalid session id")
    public static let javascriptError = Self("javascript error")
    public static let moveTargetOutOfBounds = Self("move target out of bounds")
    public static let noSuchAlert = Self("no such alert")
    public static let noSuchCookie = Self("no such cookie")
    public static let noSuchElement = Self("no such element")
    public static let noSuchFrame = Self("no such frame")
    public static let noSuchShadowRoot = Self("no such shadow root")
    public static let noSuchWindow = Self("no such window")
    public static let scriptTimeout = Self("script timeout")
    public static let sessionNotCreated = Self("session not created")
    public static let staleElementReference = Self("stale element reference")
    public static let detachedShadowRoot = Self("detached shadow root")
    /// The driver's own timeout (page load, implicit wait).
    public static let timeout = Self("timeout")
    public static let unableToCaptureScreen = Self("unable to capture screen")
    public static let unexpectedAlertOpen = Self("unexpected alert open")
    public static let unknownCommand = Self("unknown command")
    public static let unknownError = Self("unknown error")
    public static let unknownMethod = Self("unknown method")
    public static let unsupportedOperation = Self("unsupported operation")

    // MARK: Raised by this module

    /// The HTTP exchange with the driver failed: refused, reset, or no answer in time.
    public static let transport = Self("transport")
    /// The driver answered something that is not a WebDriver response.
    public static let invalidResponse = Self("invalid response")
    /// ``WebDriverSession/wait(_:timeout:poll:ignoring:isolation:until:)`` or ``WebDriverSession/waitFor(_:timeout:poll:ignoring:isolation:_:)`` ran out of time.
    public static let waitTimeout = Self("wait timeout")
    /// An executable (chromedriver, Chromium) was not found or could not be started.
    public static let launchFailed = Self("launch failed")
    /// chromedriver started but did not become ready in time, or exited.
    public static let driverNotReady = Self("driver not ready")
    /// The ``ChromeDriverService`` was already shut down.
    public static let serviceShutDown = Self("service shut down")
}
