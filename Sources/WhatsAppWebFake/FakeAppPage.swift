/// The fake WhatsApp Web app: one HTML shell for `/` and `/send`, and its script. The DOM uses
/// the hooks the real site has (and the built-in selectors look for): `div[data-ref] > canvas`,
/// `#pane-side` rows with `span[title]` and `aria-label="N unread messages"` badges, `#main`
/// with a `footer` contenteditable `role=textbox` composer and `aria-label="Send"` button,
/// bubbles `div.message-out`/`div.message-in` under `div[data-id="true_…"/"false_…"]` with
/// `span[data-icon=msg-time|msg-check]`, and `div[data-animate-modal-popup=true]` popups.
enum FakeAppPage {
    static let html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>WhatsApp</title>
        <style>
        body { margin: 0; font: 14px sans-serif }
        #app { display: flex; height: 100vh }
        #side { width: 320px; border-right: 1px solid #ddd }
        #pane-side div[role=row] { padding: 8px; border-bottom: 1px solid #eee; cursor: pointer }
        #right { flex: 1; display: flex }
        .landing-main { padding: 40px }
        #main { flex: 1; display: flex; flex-direction: column }
        #main .messages { flex: 1; overflow: auto; padding: 8px }
        .message-in, .message-out { margin: 4px; padding: 6px; border-radius: 6px; max-width: 60% }
        .message-in { background: #fff; border: 1px solid #ddd }
        .message-out { background: #dcf8c6; margin-left: auto }
        footer { display: flex; border-top: 1px solid #ddd; padding: 8px }
        footer [contenteditable] { flex: 1; min-height: 20px; border: 1px solid #ccc; padding: 6px; white-space: pre-wrap }
        [data-animate-modal-popup] { position: fixed; top: 40%; left: 35%; background: #fff; border: 1px solid #999; padding: 20px }
        .intro { flex: 1; padding: 40px }
        </style></head>
        <body><div id="app"><div id="startup">Loading WhatsApp…</div></div><script src="/app.js"></script></body></html>
        """

    static let script = #"""
        (() => {
          'use strict';
          const app = document.getElementById('app');
          let device = localStorage.getItem('wa-fake-device');
          if (!device) {
            device = Math.random().toString(16).slice(2, 10) + Date.now().toString(16).slice(-4);
            localStorage.setItem('wa-fake-device', device);
          }
          const params = new URLSearchParams(location.search);
          const sendPhone = location.pathname === '/send' ? (params.get('phone') || '').replace(/\D/g, '') : null;
          const sendText = params.get('text') || '';
          let mode = null, openPhone = null, lastChatsKey = '', lastMessagesKey = '';
          let lastMessages = [], pending = [], startingChat = 0;

          const api = (path, options) => fetch(path, Object.assign({cache: 'no-store'}, options || {})).then((r) => r.json());
          const el = (tag, attrs, ...children) => {
            const e = document.createElement(tag);
            for (const k in (attrs || {})) { if (k === 'text') e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]); }
            for (const c of children) if (c) e.append(c);
            return e;
          };

          function drawCode(canvas, ref) {
            const ctx = canvas.getContext('2d'), n = 22, size = 264, cell = size / n;
            ctx.fillStyle = '#fff';
            ctx.fillRect(0, 0, size, size);
            const bytes = new TextEncoder().encode(ref);
            let sum = 0;
            for (const b of bytes) sum = (sum + b) & 255;
            ctx.fillStyle = '#000';
            let bit = 0;
            for (const b of [bytes.length, ...bytes, sum]) {
              for (let s = 7; s >= 0; s--, bit++) {
                if ((b >> s) & 1) ctx.fillRect((bit % n) * cell, Math.floor(bit / n) * cell, cell, cell);
              }
            }
          }

          function showLanding(code) {
            if (mode !== 'landing') {
              mode = 'landing';
              openPhone = null;
              app.replaceChildren(el('div', {class: 'landing-wrapper'}, el('div', {class: 'landing-main'},
                el('h1', {text: 'Steps to log in'}), el('div', {id: 'qr-box'}))));
            }
            const box = document.getElementById('qr-box');
            const current = box.firstElementChild;
            if (code.exhausted) {
              if (!current || !current.querySelector('button')) {
                const button = el('button', {type: 'button', text: 'Click to reload QR code'});
                button.addEventListener('click', () => api('/api/reload?device=' + device, {method: 'POST'}).then(poll));
                box.replaceChildren(el('div', {'data-ref': code.ref}, el('span', {}, button)));
              }
              return;
            }
            if (current && current.getAttribute('data-ref') === code.ref && current.querySelector('canvas')) return;
            const canvas = el('canvas', {width: '264', height: '264', role: 'img', 'aria-label': 'Scan this QR code to link a device!'});
            drawCode(canvas, code.ref);
            box.replaceChildren(el('div', {'data-ref': code.ref}, canvas));
          }

          function showChats(state) {
            if (mode !== 'chats') {
              mode = 'chats';
              app.replaceChildren(
                el('div', {id: 'side'}, el('header', {}, el('span', {'data-icon': 'search', text: 'Search'})),
                  el('div', {id: 'pane-side', role: 'grid', 'aria-label': 'Chat list'})),
                el('div', {id: 'right'}, el('div', {class: 'intro', 'data-asset-intro-image-light': 'true', text: 'WhatsApp Web'})));
              if (sendPhone !== null) startChat();
            }
            renderChatList(state.chats || []);
          }

          function renderChatList(chats) {
            const key = JSON.stringify(chats);
            if (key === lastChatsKey) return;
            lastChatsKey = key;
            document.getElementById('pane-side').replaceChildren(...chats.map((c) => {
              const cell = el('div', {role: 'gridcell', tabindex: '0'}, el('span', {dir: 'auto', title: c.title, text: c.title}),
                el('div', {class: 'last', text: c.last}));
              if (c.unread > 0) {
                cell.append(el('span', {'aria-label': c.unread + (c.unread === 1 ? ' unread message' : ' unread messages'), text: String(c.unread)}));
              }
              const row = el('div', {role: 'row', 'data-phone': c.phone}, cell);
              row.addEventListener('click', () => openChat(c.phone, ''));
              return row;
            }));
          }

          function popup(text, withButton) {
            closePopup();
            const body = el('div', {'data-animate-modal-body': 'true'}, el('div', {text: text}));
            if (withButton) {
              const ok = el('button', {type: 'button', text: 'OK'});
              ok.addEventListener('click', closePopup);
              body.append(ok);
            }
            document.body.append(el('div', {id: 'popup', role: 'dialog', 'data-animate-modal-popup': 'true'}, body));
          }

          function closePopup() {
            const p = document.getElementById('popup');
            if (p) p.remove();
          }

          function startChat() {
            popup('Starting chat', false);
            setTimeout(() => {
              api('/api/chat?device=' + device + '&phone=' + sendPhone).then((chat) => {
                closePopup();
                if (chat.loggedIn === false) return;
                if (!chat.valid) { popup('Phone number shared via url is invalid.', true); return; }
                openChat(sendPhone, sendText, chat);
              });
            }, startingChat);
          }

          function openChat(phone, prefill, chat) {
            openPhone = phone;
            lastMessagesKey = '';
            pending = [];
            const composer = el('div', {contenteditable: 'true', role: 'textbox', 'aria-placeholder': 'Type a message',
              title: 'Type a message', 'data-tab': '10', spellcheck: 'true'});
            const send = el('button', {type: 'button', 'aria-label': 'Send', 'data-tab': '11'}, el('span', {'data-icon': 'send', text: 'Send'}));
            document.getElementById('right').replaceChildren(el('div', {id: 'main'},
              el('header', {}, el('span', {dir: 'auto', title: '+' + phone, text: '+' + phone})),
              el('div', {class: 'messages', id: 'messages'}),
              el('footer', {}, composer, send)));
            const sync = () => { send.style.display = composer.innerText.trim() ? '' : 'none'; };
            composer.addEventListener('input', sync);
            composer.addEventListener('keydown', (e) => {
              if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); submit(composer, phone).then(sync); }
            });
            send.addEventListener('click', () => submit(composer, phone).then(sync));
            if (prefill) composer.innerText = prefill;
            sync();
            if (chat) renderMessages(chat.messages); else refreshChat();
          }

          function submit(composer, phone) {
            const text = composer.innerText.replace(/\n+$/, '');
            if (!text.trim()) return Promise.resolve();
            composer.innerText = '';
            const id = 'true_' + phone + '@c.us_3EB0' + Math.random().toString(16).slice(2, 14).toUpperCase();
            pending.push({id: id, fromMe: true, text: text, tick: false});
            renderMessages(lastMessages);
            return fetch('/api/send', {method: 'POST', headers: {'Content-Type': 'application/json'},
              body: JSON.stringify({device: device, phone: phone, id: id, text: text})}).then(refreshChat);
          }

          function renderMessages(messages) {
            lastMessages = messages;
            pending = pending.filter((p) => !messages.some((m) => m.id === p.id));
            const all = messages.concat(pending);
            const key = JSON.stringify(all);
            if (key === lastMessagesKey) return;
            lastMessagesKey = key;
            const box = document.getElementById('messages');
            if (!box) return;
            box.replaceChildren(...all.map((m) => {
              const bubble = el('div', {class: m.fromMe ? 'message-out' : 'message-in'}, el('div', {class: 'copyable-text'},
                el('span', {class: 'selectable-text copyable-text', dir: 'ltr'}, el('span', {text: m.text}))));
              if (m.fromMe) bubble.append(el('span', {'data-icon': m.tick ? 'msg-check' : 'msg-time', text: m.tick ? '\u2713' : '\u23F2'}));
              return el('div', {role: 'row'}, el('div', {'data-id': m.id}, bubble));
            }));
          }

          function refreshChat() {
            if (!openPhone) return Promise.resolve();
            const phone = openPhone;
            return api('/api/chat?device=' + device + '&phone=' + phone).then((chat) => {
              if (phone === openPhone && chat.valid) renderMessages(chat.messages);
            });
          }

          function poll() {
            return api('/api/state?device=' + device + '&open=' + (openPhone || '')).then((state) => {
              startingChat = state.startingChatMillis || 0;
              if (!state.loggedIn) {
                if (mode === 'chats') { location.reload(); return; }
                showLanding(state.code);
              } else {
                if (mode === 'landing') { location.reload(); return; }
                showChats(state);
                if (openPhone) return refreshChat();
              }
            }).catch(() => {});
          }

          // Escape closes the open chat (as on web.whatsapp.com): back to the intro panel; the
          // site hears at once that no chat is open, so new messages get an unread badge again.
          function closeChat() {
            if (!openPhone || !document.getElementById('main')) return;
            openPhone = null;
            lastMessagesKey = '';
            pending = [];
            document.getElementById('right').replaceChildren(el('div', {class: 'intro', 'data-asset-intro-image-light': 'true', text: 'WhatsApp Web'}));
            poll();
          }
          document.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); closeChat(); } });
          // A page that goes away (navigation, reload) shows no chat any more.
          window.addEventListener('pagehide', () => { navigator.sendBeacon('/api/closed?device=' + device); });

          function loop() {
            poll().finally(() => setTimeout(loop, mode === 'landing' ? 200 : 300));
          }
          loop();
        })();
        """#
}
