/// The pages ``TestServer`` serves by default.
enum TestPages {
    static let all: [String: String] = [
        "/": index,
        "/second": second,
        "/storage": storage,
        "/console": console,
    ]

    static let index = """
        <!doctype html>
        <html><head><title>WebDriver Test</title>
        <style>body { margin: 0; font: 16px sans-serif } #box { width: 120px; height: 80px; background: rgb(0, 128, 255) }</style>
        </head><body>
        <h1 id="heading" class="title">Hello</h1>
        <a id="link" href="/second">Second page</a>
        <ul><li class="item">one</li><li class="item">two</li><li class="item">three</li></ul>
        <p id="hidden" style="display:none">secret</p>
        <input id="name" type="text" value="initial" data-role="name-input">
        <button id="go" onclick="document.getElementById('out').textContent = 'Clicked ' + document.getElementById('name').value">Go</button>
        <div id="out">waiting</div>
        <button id="later" onclick="setTimeout(() => { const d = document.createElement('div'); d.id = 'late'; d.textContent = 'arrived'; document.body.appendChild(d) }, 300)">Later</button>
        <div id="box"></div>
        </body></html>
        """

    static let second = """
        <!doctype html>
        <html><head><title>Second</title></head><body><p id="where">second page</p></body></html>
        """

    static let storage = """
        <!doctype html>
        <html><head><title>Storage</title></head><body><p>storage</p></body></html>
        """

    static let console = """
        <!doctype html>
        <html><head><title>Console</title></head><body>
        <script>console.log("hello from the page"); console.error("something broke")</script>
        </body></html>
        """
}
