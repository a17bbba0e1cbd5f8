extension WebSelectors {
    /// The built-in selectors, in the file format of `data/whatsapp-web-selectors.json`.
    ///
    /// Drawn from what current open-source WhatsApp Web clients and scripts use (whatsapp-web.js:
    /// `div[data-ref] canvas` for the QR code and `[data-icon='search']` or the intro image when
    /// logged in; Selenium scripts: the `#main footer` contenteditable composer, `span[data-icon=…]`
    /// send button and ticks, `data-id="true_…"`/`"false_…"` message rows, the "Phone number
    /// shared via url is invalid" popup, `#pane-side` chat rows with `aria-label="N unread
    /// messages"` badges). Stable attributes first, hashed class names never.
    public static let defaultJSON = #"""
    {
      "version": 1,
      "selectors": {
        "qr_code": [
          "div[data-ref] canvas",
          "canvas[aria-label='Scan this QR code to link a device!']",
          "canvas[aria-label*='QR']",
          "canvas[aria-label='Scan me!']",
          "[data-testid='qrcode'] canvas"
        ],
        "qr_reload": [
          "div[data-ref] > span > button",
          "div[data-ref] button",
          "span[data-icon='refresh-large']",
          "//button[contains(., 'reload QR code')]"
        ],
        "logged_in": [
          "#pane-side",
          "div[aria-label='Chat list']",
          "[data-testid='chat-list']",
          "[data-asset-intro-image-light='true']",
          "[data-asset-intro-image-dark='true']",
          "#side [data-icon='search']"
        ],
        "composer": [
          "#main footer div[contenteditable='true'][role='textbox']",
          "#main footer div[contenteditable='true'][data-tab='10']",
          "#main footer div[contenteditable='true']",
          "div[aria-placeholder='Type a message'][contenteditable='true']",
          "div[title='Type a message'][contenteditable='true']"
        ],
        "send_button": [
          "#main footer button[aria-label='Send']",
          "#main footer span[data-icon='send']",
          "#main footer span[data-icon='wds-ic-send-filled']",
          "#main footer button[data-tab='11']"
        ],
        "outgoing_message": [
          "#main div.message-out",
          "#main div[data-id^='true_']"
        ],
        "sent_tick": [
          "span[data-icon='msg-check']",
          "span[data-icon='msg-dblcheck']",
          "span[data-icon='msg-dblcheck-ack']",
          "span[data-icon='status-check']",
          "span[data-icon='status-dblcheck']"
        ],
        "invalid_number": [
          "//div[@data-animate-modal-popup='true'][contains(., 'shared via url is invalid')]",
          "//div[@role='dialog'][contains(., 'shared via url is invalid')]",
          "//div[@data-animate-modal-popup='true'][contains(., 'invalid')]"
        ],
        "chat_row": [
          "#pane-side div[role='listitem']",
          "#pane-side div[role='row']",
          "#pane-side [data-testid='cell-frame-container']"
        ],
        "unread_badge": [
          "span[aria-label*='unread message']",
          "span[aria-label*='Unread']",
          "[data-testid='icon-unread-count']"
        ],
        "chat_title": [
          "span[dir='auto'][title]",
          "span[title]"
        ],
        "conversation": [
          "#main",
          "[data-testid='conversation-panel-wrapper']"
        ],
        "incoming_message": [
          "#main div.message-in",
          "#main div[data-id^='false_']"
        ],
        "message_text": [
          "span.selectable-text",
          ".copyable-text span[dir]",
          ".copyable-text"
        ]
      }
    }
    """#
}
