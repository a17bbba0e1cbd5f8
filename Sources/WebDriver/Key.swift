/// Special keys for ``WebElement/sendKeys(_:)``, as the W3C private-use code points.
/// Concatenate with text: `try await input.sendKeys("hello" + Key.enter)`.
///
/// ChromeDriver types characters of the Basic Multilingual Plane only; insert emoji and other
/// astral characters with a script instead.
public enum Key {
    public static let cancel = "\u{E001}"
    public static let backspace = "\u{E003}"
    public static let tab = "\u{E004}"
    public static let enter = "\u{E007}"
    public static let shift = "\u{E008}"
    public static let control = "\u{E009}"
    public static let alt = "\u{E00A}"
    public static let escape = "\u{E00C}"
    public static let space = "\u{E00D}"
    public static let pageUp = "\u{E00E}"
    public static let pageDown = "\u{E00F}"
    public static let end = "\u{E010}"
    public static let home = "\u{E011}"
    public static let arrowLeft = "\u{E012}"
    public static let arrowUp = "\u{E013}"
    public static let arrowRight = "\u{E014}"
    public static let arrowDown = "\u{E015}"
    public static let delete = "\u{E017}"
    public static let meta = "\u{E03D}"
}
