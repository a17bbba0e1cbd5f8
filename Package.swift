// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "shopify-whatsapp",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "shopify-whatsapp", targets: ["shopify-whatsapp"]),
        .executable(name: "bench", targets: ["bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // System libraries (Debian: libargon2-dev, zlib1g-dev, libssl-dev).
        .systemLibrary(name: "CArgon2", pkgConfig: "libargon2", providers: [.apt(["libargon2-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // libc calls Swift's Glibc module leaves out (syncfs(2) needs _GNU_SOURCE).
        .systemLibrary(name: "CLinuxSync"),

        // Durable per-tenant journals and snapshots. Knows nothing of HTTP or Shopify.
        .target(
            name: "ApplianceStorage",
            dependencies: [
                "CZlib", "CLinuxSync",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Phone numbers to E.164 with libphonenumber's metadata, WhatsApp id spellings. Foundation only.
        .target(name: "PhoneNumbers", swiftSettings: swiftSettings),
        // JSONValue and the fast hand-written JSON reader and writer (ingest, journal). Foundation only.
        .target(name: "ApplianceCoding", swiftSettings: swiftSettings),
        // Tenants, accounts, orders, settings, Shopify payload mapping, live events.
        .target(
            name: "ApplianceDomain",
            dependencies: [
                "ApplianceStorage", "ApplianceCoding", "PhoneNumbers", "CArgon2", "COpenSSL",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // The Cloud API's HTTP transport on AsyncHTTPClient (an adapter of the domain's `HTTPTransport`).
        .target(
            name: "ApplianceCloudAPI",
            dependencies: [
                "ApplianceDomain",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Backups (.tar.gz of a running data directory), restore with verification, scheduled backups.
        .target(
            name: "ApplianceBackup",
            dependencies: [
                "ApplianceStorage", "ApplianceDomain",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The browser dashboard's static files, embedded into the binary at build time.
        .executableTarget(name: "DashboardEmbedder", path: "Sources/DashboardEmbedder"),
        .plugin(name: "EmbedDashboard", capability: .buildTool(), dependencies: ["DashboardEmbedder"]),
        .target(
            name: "ApplianceDashboard",
            dependencies: ["CZlib"],
            exclude: ["Resources"],
            swiftSettings: swiftSettings,
            plugins: ["EmbedDashboard"]
        ),
        // HTTP edge: routes, JSON shapes, error mapping, WebSocket feed.
        .target(
            name: "ApplianceHTTP",
            dependencies: [
                "ApplianceDomain", "ApplianceCoding", "ApplianceDashboard",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The one composition root: the object graph and the application (`buildApplication`),
        // used by `serve`, the offline commands, the tests and the bench.
        .target(
            name: "ApplianceServer",
            dependencies: [
                "ApplianceHTTP", "ApplianceDomain", "ApplianceStorage", "ApplianceWhatsAppWeb", "ApplianceCloudAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Command line: serve, init, user, trigger-order, check, compact, backup, restore, demo-data.
        .target(
            name: "ApplianceCLI",
            dependencies: [
                "ApplianceServer", "ApplianceHTTP", "ApplianceDomain", "ApplianceStorage", "ApplianceBackup", "ApplianceWhatsAppWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "shopify-whatsapp", dependencies: ["ApplianceCLI"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "bench",
            dependencies: [
                "ApplianceCLI", "ApplianceServer", "ApplianceCoding", "ApplianceDomain", "ApplianceStorage", "PhoneNumbers", "WebDriver", "WhatsAppWebFake",
                "ShopifyAdminFake",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "ApplianceStorageTests", dependencies: ["ApplianceStorage", "StorageTestSupport"], swiftSettings: swiftSettings),
        // Shared by the tests that wrap a file system to inject faults or hold syncs (and their `Locked`).
        .target(name: "StorageTestSupport", dependencies: ["ApplianceStorage"], path: "Tests/StorageTestSupport", swiftSettings: swiftSettings),
        // Shared by the randomised tests: a seeded generator, so that a failure reproduces.
        .target(name: "SeededRandom", path: "Tests/SeededRandom", swiftSettings: swiftSettings),
        .testTarget(name: "PhoneNumbersTests", dependencies: ["PhoneNumbers", "SeededRandom"], swiftSettings: swiftSettings),
        .testTarget(name: "ApplianceCodingTests", dependencies: ["ApplianceCoding", "SeededRandom"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ApplianceDomainTests", dependencies: ["ApplianceDomain", "ApplianceCoding", "SeededRandom", "StorageTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ApplianceHTTPTests",
            dependencies: [
                "ApplianceHTTP", "ApplianceServer", "ApplianceCloudAPI", "ApplianceStorage", "ApplianceDashboard", "ApplianceHTTPTestSupport",
                "ShopifyAdminFake", "StorageTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
            ],
            swiftSettings: swiftSettings
        ),
        // Shared by the tests that drive the server in-process (HummingbirdTesting): JSON for
        // assertions, requests, the frames of a test dashboard.
        .target(
            name: "ApplianceHTTPTestSupport",
            dependencies: [.product(name: "HummingbirdTesting", package: "hummingbird")],
            path: "Tests/ApplianceHTTPTestSupport",
            swiftSettings: swiftSettings
        ),
        // Shared by the tests that drive the real binary: a blocking HTTP client, signed Shopify deliveries.
        .target(
            name: "ApplianceTestSupport",
            dependencies: ["ApplianceDomain"],
            path: "Tests/ApplianceTestSupport",
            swiftSettings: swiftSettings
        ),
        // The dashboard in real headless Chromium over WebDriver, against the real binary.
        .testTarget(
            name: "DashboardBrowserTests",
            dependencies: ["ApplianceTestSupport", "ApplianceDomain", "ApplianceCoding", "WebDriver", "ShopifyAdminFake"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ApplianceSystemTests",
            dependencies: ["ApplianceCLI", "ApplianceDomain", "ApplianceTestSupport", "ShopifyAdminFake"],
            swiftSettings: swiftSettings
        ),
        // Backups, restore, scheduled backups and the install kit (appliance/), partly against the real binary.
        .testTarget(
            name: "ApplianceOperatorTests",
            dependencies: ["ApplianceCLI", "ApplianceServer", "ApplianceBackup", "ApplianceDomain", "ApplianceStorage", "ApplianceTestSupport"],
            swiftSettings: swiftSettings
        ),
        // W3C WebDriver client, chromedriver/Chromium process management (dashboard e2e tests, WhatsApp Web).
        .target(
            name: "WebDriver",
            dependencies: [
                "ApplianceCoding",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // WhatsApp Web: per-tenant Chromium profiles over WebDriver, QR linking, paced sending,
        // health checks and replies.
        .target(
            name: "ApplianceWhatsAppWeb",
            dependencies: [
                "ApplianceDomain", "ApplianceCoding", "WebDriver",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // A local stand-in for web.whatsapp.com (tests and the bench): rotating QR code, chats,
        // composer, ticks, invalid-number popup, logout, incoming replies.
        .target(
            name: "WhatsAppWebFake",
            dependencies: [
                "CZlib",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // A local stand-in for Shopify's Admin GraphQL API (tests, the bench, demos via
        // SHOPIFY_ADMIN_URL): tags, orderCancel, shop name, a leaky bucket with THROTTLED, 401, 5xx.
        .target(
            name: "ShopifyAdminFake",
            dependencies: [
                "COpenSSL",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The WhatsApp Web provider through the real HTTP server, real headless Chromium and the fake site.
        .testTarget(
            name: "WhatsAppWebTests",
            dependencies: [
                "ApplianceWhatsAppWeb", "WhatsAppWebFake", "ApplianceHTTP", "ApplianceServer", "ApplianceDomain", "WebDriver", "ApplianceHTTPTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
            ],
            swiftSettings: swiftSettings
        ),
        // Against real headless Chromium + chromedriver (Debian: chromium, chromium-driver).
        .testTarget(
            name: "WebDriverTests",
            dependencies: [
                "WebDriver", "ApplianceCoding",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
