import Testing

/// Every test that starts a real browser, one at a time (two cores; parallel Chromes make timings flaky).
@Suite(.serialized) struct BrowserTests {}
