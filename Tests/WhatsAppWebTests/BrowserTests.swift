import ApplianceHTTPTestSupport
import Testing

/// Every test that starts real browsers, one at a time (two cores; parallel Chromes make
/// timings flaky).
@Suite(.serialized) struct WhatsAppWebBrowserTests {}
