import Foundation

/// The fake's QR code: not a real QR code but a 22×22 grid of black and white cells that
/// carries the code's reference, so a test can "scan" the PNG a dashboard received
/// (``decode(png:)``) and prove which browser showed it. Layout: byte 0 is the length `n`,
/// bytes 1…n the UTF-8 reference, byte n+1 the sum of those bytes mod 256; bits row-major,
/// most significant first, black = 1. The canvas is 264 px, 12 px per cell.
public enum QRCodeImage {
    /// Cells per side.
    public static let cells = 22
    /// Canvas size in CSS pixels.
    public static let pixels = 264

    /// The bits (true = black) of `reference`, row-major; nil when it does not fit.
    public static func bits(_ reference: String) -> [Bool]? {
        let bytes = Array(reference.utf8)
        guard bytes.count + 2 <= cells * cells / 8, bytes.count < 256 else { return nil }
        let sum = bytes.reduce(UInt8(0)) { $0 &+ $1 }
        var bits: [Bool] = []
        for byte in [UInt8(bytes.count)] + bytes + [sum] {
            for shift in (0..<8).reversed() { bits.append(byte >> UInt8(shift) & 1 == 1) }
        }
        return bits + Array(repeating: false, count: cells * cells - bits.count)
    }

    /// The reference a grid of cells carries, or nil when the grid is not a valid code.
    public static func reference(fromBits bits: [Bool]) -> String? {
        guard bits.count == cells * cells else { return nil }
        func byte(_ index: Int) -> UInt8 {
            var value: UInt8 = 0
            for i in 0..<8 { value = value << 1 | (bits[index * 8 + i] ? 1 : 0) }
            return value
        }
        let count = Int(byte(0))
        guard count > 0, count + 2 <= bits.count / 8 else { return nil }
        let bytes = (1...count).map(byte)
        guard bytes.reduce(UInt8(0), { $0 &+ $1 }) == byte(count + 1) else { return nil }
        return String(bytes: bytes, encoding: .utf8)
    }

    /// Reads the reference from a PNG of the canvas (any scale): samples each cell's centre.
    public static func decode(png: Data) throws -> String {
        let image = try PNGImage(data: png)
        guard image.width >= cells, image.height >= cells else { throw PNGImage.Error("image too small for a code") }
        var bits: [Bool] = []
        for row in 0..<cells {
            for column in 0..<cells {
                let x = Int((Double(column) + 0.5) * Double(image.width) / Double(cells))
                let y = Int((Double(row) + 0.5) * Double(image.height) / Double(cells))
                bits.append(image.luminance(x: x, y: y) < 128)
            }
        }
        guard let reference = reference(fromBits: bits) else { throw PNGImage.Error("the image carries no valid code") }
        return reference
    }
}
