import ApplianceCoding
import Foundation
import Testing
import WebDriver

extension BrowserTests {
    @Suite struct Screenshots {
        static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

        /// Width and height from the IHDR chunk that follows the signature.
        static func pngSize(_ data: Data) -> (width: Int, height: Int)? {
            let bytes = [UInt8](data)
            guard bytes.count > 24, Array(bytes[0..<8]) == pngSignature, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
            func be32(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
            return (be32(16), be32(20))
        }

        @Test func screenshotsArePNGsOfTheRightSize() async throws {
            try await TestServer.with { server in
                try await ChromeHarness.withSession { session in
                    try await session.navigate(to: server.url("/"))
                    let rect = try await session.setWindowRect(width: 1024, height: 700)
                    #expect(rect.width == 1024 && rect.height == 700)
                    #expect(try await session.windowRect().width == 1024)
                    #expect(try await session.executeScript("return window.innerWidth") == 1024)

                    let page = try await session.screenshot()
                    #expect(Array(page.prefix(8)) == Self.pngSignature)
                    #expect(Self.pngSize(page)?.width == 1024)

                    let box = try await session.findElement(.css("#box"))
                    #expect(try await box.rect.width == 120)
                    #expect(try await box.cssValue("background-color") == "rgba(0, 128, 255, 1)")
                    let shot = try await box.screenshot()
                    #expect(Array(shot.prefix(8)) == Self.pngSignature)
                    let size = try #require(Self.pngSize(shot))
                    #expect(size.width == 120 && size.height == 80)
                }
            }
        }
    }
}
