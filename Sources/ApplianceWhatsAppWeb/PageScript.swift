/// The JavaScript run in WhatsApp Web's page. Each script gets selector lists as arguments and
/// the helpers below: an entry starting with `/`, `(` or `./` is XPath, any other CSS; only
/// visible elements count; a selector that does not parse matches nothing.
enum PageScript {
    static let helpers = """
        const __isXPath = (s) => s.startsWith('/') || s.startsWith('(') || s.startsWith('./');
        const __qa = (s, root) => {
          root = root || document;
          try {
            if (__isXPath(s)) {
              const r = document.evaluate(s, root, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
              const out = [];
              for (let i = 0; i < r.snapshotLength; i++) out.push(r.snapshotItem(i));
              return out;
            }
            return Array.from(root.querySelectorAll(s));
          } catch (e) { return []; }
        };
        const __visible = (el) => !!el && typeof el.getClientRects === 'function' && el.getClientRects().length > 0;
        const __all = (list, root) => {
          for (const s of list) { const found = __qa(s, root).filter(__visible); if (found.length) return found; }
          return [];
        };
        const __first = (list, root) => __all(list, root)[0] || null;
        const __rowID = (el) => { const row = el.closest('[data-id]') || el.querySelector('[data-id]'); return row ? row.getAttribute('data-id') : null; };

        """

    /// `{element: index of the first selector that matches a visible element, or -1}`.
    static let probe = helpers + """
        const S = arguments[0], out = {};
        for (const k in S) {
          out[k] = -1;
          for (let i = 0; i < S[k].length; i++) { if (__qa(S[k][i]).some(__visible)) { out[k] = i; break; } }
        }
        return out;
        """

    /// The first visible element of a list (null when none).
    static let first = helpers + "return __first(arguments[0]);"

    /// The `data-ref` of the QR code's container: null without a QR code, "" when it has none.
    static let qrRef = helpers + """
        const el = __first(arguments[0]);
        if (!el) return null;
        const box = el.closest('[data-ref]');
        return box ? box.getAttribute('data-ref') : '';
        """

    /// The text of the first visible element of a list (null when none).
    static let text = helpers + """
        const el = __first(arguments[0]);
        return el ? (el.innerText || el.textContent || '') : null;
        """

    /// The last outgoing bubble: `{count, id, tick, text}`.
    static let lastOutgoing = helpers + """
        const all = __all(arguments[0]);
        if (!all.length) return {count: 0, id: null, tick: false, text: ''};
        const last = all[all.length - 1];
        return {count: all.length, id: __rowID(last), tick: !!__first(arguments[1], last), text: (last.innerText || '').slice(0, 300)};
        """

    /// Chat rows with an unread badge: `[{index, count, title}]`.
    static let unreadChats = helpers + """
        const out = [];
        __all(arguments[0]).forEach((row, index) => {
          const badge = __first(arguments[1], row);
          if (!badge) return;
          const title = __first(arguments[2], row);
          const n = parseInt((badge.innerText || badge.getAttribute('aria-label') || '').replace(/[^0-9]/g, ''), 10);
          out.push({index: index, count: isNaN(n) || n < 1 ? 1 : n, title: title ? (title.getAttribute('title') || title.innerText || '') : ''});
        });
        return out;
        """

    /// The chat row (`arguments[0]`) whose title (`arguments[1]`) is `arguments[2]` (an element
    /// reference, null when it left the list).
    static let chatRow = helpers + """
        return __all(arguments[0]).find((row) => {
          const t = __first(arguments[1], row);
          return !!t && (t.getAttribute('title') || t.innerText || '') === arguments[2];
        }) || null;
        """

    /// The open chat (`arguments[0]`, null when none): the `data-id` of our last outgoing bubble
    /// (`arguments[1]`) and the incoming bubbles (`arguments[2]`, text in `arguments[3]`) after it:
    /// `{out, messages: [{id, text}]}`. No outgoing bubble: no messages (they are not replies).
    static let openChatReplies = helpers + """
        if (!__first(arguments[0])) return null;
        const outs = __all(arguments[1]);
        const last = outs[outs.length - 1];
        if (!last) return {out: null, messages: []};
        const newer = __all(arguments[2]).filter((m) => !!(last.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING) && !last.contains(m));
        return {out: __rowID(last), messages: newer.map((m) => {
          const t = __first(arguments[3], m);
          return {id: __rowID(m), text: t ? (t.innerText || '') : (m.innerText || '')};
        })};
        """

    /// The last `arguments[2]` incoming bubbles: `[{id, text}]`.
    static let incoming = helpers + """
        const all = __all(arguments[0]);
        return all.slice(Math.max(0, all.length - arguments[2])).map((m) => {
          const t = __first(arguments[1], m);
          return {id: __rowID(m), text: t ? (t.innerText || '') : (m.innerText || '')};
        });
        """
}
