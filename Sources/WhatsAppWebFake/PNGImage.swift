import CZlib
import Foundation

/// Just enough of a PNG reader for Chromium's screenshots: 8-bit grey, RGB or RGBA (with or
/// without alpha), not interlaced.
public struct PNGImage: Sendable {
    public struct Error: Swift.Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    public let width: Int
    public let height: Int
    let channels: Int
    let pixels: [UInt8]

    public init(data: Data) throws {
        let bytes = [UInt8](data)
        guard bytes.count > 8, bytes[0..<8].elementsEqual([137, 80, 78, 71, 13, 10, 26, 10]) else { throw Error("not a PNG") }
        var offset = 8
        var width = 0, height = 0, colorType = 0, bitDepth = 0, interlace = 0
        var compressed: [UInt8] = []
        func u32(_ at: Int) -> Int { Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
        while offset + 8 <= bytes.count {
            let length = u32(offset)
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let start = offset + 8
            guard start + length + 4 <= bytes.count else { throw Error("truncated chunk \(type)") }
            switch type {
            case "IHDR":
                width = u32(start)
                height = u32(start + 4)
                bitDepth = Int(bytes[start + 8])
                colorType = Int(bytes[start + 9])
                interlace = Int(bytes[start + 12])
            case "IDAT":
                compressed += bytes[start..<(start + length)]
            default:
                break
            }
            offset = start + length + 4
            if type == "IEND" { break }
        }
        let channels: Int
        switch colorType {
        case 0: channels = 1
        case 2: channels = 3
        case 4: channels = 2
        case 6: channels = 4
        default: throw Error("unsupported colour type \(colorType)")
        }
        guard bitDepth == 8, interlace == 0, width > 0, height > 0 else { throw Error("unsupported PNG (depth \(bitDepth), interlace \(interlace))") }
        let stride = width * channels
        let raw = try Self.inflate(compressed, expected: height * (stride + 1))
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = try Self.unfilter(raw, width: width, height: height, channels: channels)
    }

    /// 0 (black) … 255 (white) at a pixel.
    public func luminance(x: Int, y: Int) -> Int {
        let i = (y * width + x) * channels
        if channels < 3 { return Int(pixels[i]) }
        return (299 * Int(pixels[i]) + 587 * Int(pixels[i + 1]) + 114 * Int(pixels[i + 2])) / 1000
    }

    static func inflate(_ input: [UInt8], expected: Int) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: expected)
        var length = uLongf(expected)
        let status = output.withUnsafeMutableBufferPointer { out in
            input.withUnsafeBufferPointer { inp in
                uncompress(out.baseAddress, &length, inp.baseAddress, uLong(input.count))
            }
        }
        guard status == Z_OK, Int(length) == expected else { throw Error("cannot inflate the image data (zlib \(status))") }
        return output
    }

    static func unfilter(_ raw: [UInt8], width: Int, height: Int, channels: Int) throws -> [UInt8] {
        let stride = width * channels
        var out = [UInt8](repeating: 0, count: stride * height)
        for y in 0..<height {
            let filter = raw[y * (stride + 1)]
            let line = y * (stride + 1) + 1
            for x in 0..<stride {
                let value = raw[line + x]
                let a = x >= channels ? Int(out[y * stride + x - channels]) : 0
                let b = y > 0 ? Int(out[(y - 1) * stride + x]) : 0
                let c = x >= channels && y > 0 ? Int(out[(y - 1) * stride + x - channels]) : 0
                let predicted: Int
                switch filter {
                case 0: predicted = 0
                case 1: predicted = a
                case 2: predicted = b
                case 3: predicted = (a + b) / 2
                case 4:
                    let p = a + b - c
                    let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
                default: throw Error("bad filter \(filter)")
                }
                out[y * stride + x] = UInt8(truncatingIfNeeded: Int(value) + predicted)
            }
        }
        return out
    }
}
