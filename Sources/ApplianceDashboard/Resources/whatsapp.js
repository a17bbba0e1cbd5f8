// The WhatsApp tab: connection state (#wa-state) with a plain-language explanation, QR linking
// with a live countdown, connect / disconnect, a test message, and replies that matched no order.

import { admin, ApiError } from './api.js';
import { liveState } from './live.js';
import { h, icon, replace, confirmAction, toast, dateTime, spinner } from './ui.js';

let status = null;
let els = {};
let countdownTimer = null;
let pollTimer = null;
let loaded = false;

const WEB_TEXT = {
  disconnected: ['Not connected', 'No phone is linked yet. Click Connect, then scan the QR code with the phone whose WhatsApp should send your confirmations.'],
  linking: ['Starting WhatsApp Web…', 'Opening a secure WhatsApp Web session on the server. The QR code appears in a few seconds.'],
  qr: ['Scan the QR code', 'Open WhatsApp on your phone and scan this code to link the server as one of your devices.'],
  connected: ['Connected', 'Your phone is linked. Confirmations are sent from your WhatsApp account, even while this page is closed.'],
  expired: ['Logged out', 'WhatsApp logged this device out, scan again. Messages wait (they are not lost) until you link again.'],
  error: ['Problem with WhatsApp', 'Something went wrong with the WhatsApp session.'],
};
const CLOUD_TEXT = {
  connected: ['Cloud API ready', 'Your phone number ID and access token are set. Messages go out through Meta’s WhatsApp Cloud API.'],
  error: ['Cloud API error', 'Meta rejected the last request. Fix the setting below in Settings; held messages are released when you save.'],
  disconnected: ['Cloud API not set up', 'Enter your phone number ID and access token in Settings to start sending.'],
};
const STATE_ICON = { disconnected: 'link', linking: 'sending', qr: 'phone', connected: 'check', expired: 'alert', error: 'alert' };

export function whatsappStatus() { return status; }

export function mountWhatsApp(panel) {
  const stateEl = h('h3', { id: 'wa-state', class: 'wa-state-title', 'data-state': 'unknown', 'aria-live': 'polite' }, 'Checking…');
  const detail = h('p', { id: 'wa-detail', class: 'wa-detail' });
  const extra = h('div', { id: 'wa-extra' });
  const connect = h('button', { type: 'button', id: 'wa-connect', class: 'btn btn-primary', hidden: true }, icon('link'), h('span', { text: 'Connect WhatsApp' }));
  const disconnect = h('button', { type: 'button', id: 'wa-disconnect', class: 'btn btn-danger-soft', hidden: true }, icon('logout'), h('span', { text: 'Disconnect' }));
  const settingsLink = h('a', { href: '#/settings', id: 'wa-settings-link', class: 'btn btn-secondary', hidden: true }, icon('gear'), h('span', { text: 'Open settings' }));
  const qrImg = h('img', { id: 'wa-qr', class: 'wa-qr', alt: 'QR code to link WhatsApp. Scan it with the WhatsApp app on your phone.', width: 264, height: 264 });
  const countdown = h('p', { id: 'wa-countdown', class: 'wa-countdown', 'aria-live': 'off' });
  const qrBlock = h('div', { id: 'wa-qr-block', class: 'wa-qr-block', hidden: true },
    h('div', { class: 'wa-qr-frame' }, qrImg),
    h('div', { class: 'wa-qr-help' },
      h('h4', { class: 'section-title', text: 'Link your phone' }),
      h('ol', { class: 'setup-steps' },
        h('li', {}, 'Open ', h('strong', { text: 'WhatsApp' }), ' on your phone.'),
        h('li', {}, 'Tap ', h('strong', { text: 'Settings' }), ' (iPhone) or the ', h('strong', { text: '⋮ menu' }), ' (Android), then ', h('strong', { text: 'Linked devices' }), '.'),
        h('li', {}, 'Tap ', h('strong', { text: 'Link a device' }), ' and point the camera at this code.')),
      countdown,
      h('p', { class: 'hint', text: 'The code changes about every 20 seconds; this page shows each new one automatically.' })));

  const badge = h('div', { class: 'wa-icon', id: 'wa-icon', 'aria-hidden': 'true' }, icon('link'));
  const statusCard = h('section', { class: 'card wa-card', 'aria-labelledby': 'wa-state' },
    h('div', { class: 'wa-head' }, badge,
      h('div', { class: 'wa-head-text' },
        h('p', { class: 'eyebrow', id: 'wa-provider' }),
        stateEl, detail)),
    extra,
    qrBlock,
    h('div', { class: 'action-row' }, connect, disconnect, settingsLink));

  const phone = h('input', { id: 'wa-test-phone', name: 'phone', type: 'tel', class: 'input mono', autocomplete: 'tel', placeholder: '+49 151 23456789', required: true, 'aria-describedby': 'wa-test-hint wa-test-result' });
  const testForm = h('form', { id: 'wa-test-form', class: 'test-form', novalidate: true },
    h('label', { for: 'wa-test-phone', class: 'label', text: 'Your phone number' }),
    h('div', { class: 'input-row' }, phone,
      h('button', { type: 'submit', class: 'btn btn-secondary', id: 'wa-test-send' }, icon('send'), h('span', { text: 'Send test' }))),
    h('p', { class: 'hint', id: 'wa-test-hint', text: 'International format with country code. A short test message goes to this number with the current provider.' }),
    h('p', { id: 'wa-test-result', class: 'test-result', role: 'status', hidden: true }));
  const testCard = h('section', { class: 'card', 'aria-labelledby': 'wa-test-title' },
    h('div', { class: 'card-head' }, h('h3', { class: 'card-title', id: 'wa-test-title', text: 'Send a test message to my number' }),
      h('p', { class: 'muted', text: 'Check that messages really arrive before your customers depend on it.' })),
    h('div', { class: 'card-body' }, testForm));

  const inboxList = h('ul', { id: 'wa-inbox', class: 'inbox-list' });
  const inboxCard = h('section', { class: 'card', id: 'wa-inbox-card', 'aria-labelledby': 'wa-inbox-title', hidden: true },
    h('div', { class: 'card-head' }, h('h3', { class: 'card-title', id: 'wa-inbox-title', text: 'Replies that matched no order' }),
      h('p', { class: 'muted', text: 'Customer messages that could not be tied to an order. Answer them from your phone.' })),
    h('div', { class: 'card-body' }, inboxList));

  const tips = h('section', { class: 'card tips-card', 'aria-labelledby': 'wa-tips-title' },
    h('div', { class: 'card-head' }, h('h3', { class: 'card-title', id: 'wa-tips-title', text: 'Keep your number healthy' })),
    h('div', { class: 'card-body' }, h('ul', { class: 'tips' },
      h('li', {}, icon('check'), 'Only order messages are sent, one per order, never campaigns. That is what keeps numbers from being banned.'),
      h('li', {}, icon('check'), 'Use a number that has chatted normally for a few weeks; brand-new numbers get restricted quickly.'),
      h('li', {}, icon('check'), 'Keep the phone online now and then: WhatsApp logs out linked devices of phones that stay offline for about two weeks.'),
      h('li', {}, icon('check'), 'Ask mode uses numbered replies (1 / 2), which work on every phone. WhatsApp Web can’t show buttons.'))));

  replace(panel,
    h('div', { class: 'panel-head' }, h('div', {}, h('h2', { class: 'panel-title', text: 'WhatsApp' }),
      h('p', { class: 'muted', text: 'The connection your confirmations are sent through.' }))),
    h('div', { class: 'wa-grid' }, h('div', { class: 'wa-main' }, statusCard, testCard, inboxCard), tips));

  els = { stateEl, detail, extra, connect, disconnect, settingsLink, qrImg, qrBlock, countdown, badge, phone, testForm, inboxList, inboxCard };

  connect.addEventListener('click', doConnect);
  disconnect.addEventListener('click', doDisconnect);
  testForm.addEventListener('submit', (e) => { e.preventDefault(); sendTest(); });
  phone.addEventListener('input', () => phone.removeAttribute('aria-invalid'));
}

export async function loadWhatsApp() {
  try {
    applyStatus(await admin.waStatus());
    loaded = true;
  } catch (err) {
    if (!loaded) {
      els.stateEl.dataset.state = 'error';
      els.stateEl.textContent = 'Status unavailable';
      els.detail.textContent = err.message;
    }
  }
}

export function showWhatsApp() {
  loadWhatsApp();
  loadInbox();
}

/** A WhatsAppStatus from the API or a `whatsapp.status` frame. */
export function applyStatus(next) {
  if (!next || !next.state) return;
  status = next;
  const { provider, state } = next;
  const table = provider === 'cloud' ? CLOUD_TEXT : WEB_TEXT;
  let [title, text] = table[state] || WEB_TEXT[state] || [state, ''];
  if (provider === 'log') {
    title = 'Demo mode';
    text = 'The “Log only” provider is selected: messages are written to the server log and nothing reaches your customers. Choose WhatsApp Web or the Cloud API in Settings to go live.';
  }
  els.stateEl.dataset.state = state;
  els.stateEl.dataset.provider = provider;
  els.stateEl.textContent = title;
  els.detail.textContent = text;
  els.badge.dataset.state = provider === 'log' ? 'log' : state;
  replace(els.badge, icon(provider === 'log' ? 'list' : STATE_ICON[state] || 'dot'));
  document.getElementById('wa-provider').textContent = { web: 'WhatsApp Web · linked phone', cloud: 'WhatsApp Cloud API', log: 'Log only · demo' }[provider] || provider;

  replace(els.extra);
  if (next.detail && provider !== 'log' && state !== 'connected') {
    els.extra.append(h('div', { class: ['callout', state === 'error' || state === 'expired' ? 'callout-warn' : 'callout-info'] }, icon('info'),
      h('div', {}, h('strong', { text: 'Details: ' }), next.detail)));
  }
  if (state === 'linking' && provider === 'web') els.extra.append(h('div', { class: 'linking-row' }, spinner('Starting'), h('span', { class: 'muted', text: 'Waiting for the QR code…' })));

  const web = provider === 'web';
  els.connect.hidden = !(web && ['disconnected', 'expired', 'error'].includes(state));
  els.connect.querySelector('span').textContent = state === 'disconnected' ? 'Connect WhatsApp' : 'Link again';
  els.disconnect.hidden = !(web && state !== 'disconnected');
  els.settingsLink.hidden = web;

  const showQr = web && state === 'qr' && next.qr_png;
  els.qrBlock.hidden = !showQr;
  if (showQr) {
    const src = next.qr_png.startsWith('data:') ? next.qr_png : `data:image/png;base64,${next.qr_png}`;
    if (els.qrImg.getAttribute('src') !== src) els.qrImg.src = src;
    startCountdown(next.qr_expires_at);
  } else {
    stopCountdown();
  }
  managePolling();
  document.dispatchEvent(new CustomEvent('sw:wa', { detail: next }));
}

function startCountdown(expiresAt) {
  stopCountdown();
  const end = Date.parse(expiresAt || '');
  const tick = () => {
    if (!Number.isFinite(end)) { els.countdown.textContent = 'Waiting for the code to refresh…'; return; }
    const left = Math.ceil((end - Date.now()) / 1000);
    els.countdown.replaceChildren(icon('clock', 'icon-sm'),
      h('span', { text: left > 0 ? `This code refreshes in ${left} s` : 'Getting a fresh code…' }));
    els.countdown.dataset.seconds = String(Math.max(0, left));
  };
  tick();
  countdownTimer = setInterval(tick, 1000);
}

function stopCountdown() {
  clearInterval(countdownTimer);
  countdownTimer = null;
  els.countdown.textContent = '';
}

// While linking without a live feed, poll so the QR still shows up.
function managePolling() {
  clearTimeout(pollTimer);
  if (!status || status.provider !== 'web' || !['linking', 'qr'].includes(status.state)) return;
  if (liveState() === 'live') return;
  pollTimer = setTimeout(() => loadWhatsApp(), 3000);
}

async function doConnect() {
  els.connect.disabled = true;
  try {
    applyStatus(await admin.waConnect());
  } catch (err) {
    toast(`Could not start linking: ${err.message}`, 'error');
  } finally {
    els.connect.disabled = false;
  }
}

async function doDisconnect() {
  const ok = await confirmAction({
    title: 'Disconnect WhatsApp?',
    body: 'This unlinks the server from your phone and deletes the saved WhatsApp session. Messages wait until you scan a new QR code.',
    confirmLabel: 'Disconnect',
    danger: true,
  });
  if (!ok) return;
  els.disconnect.disabled = true;
  try {
    applyStatus(await admin.waDisconnect());
    toast('WhatsApp disconnected.', 'success');
  } catch (err) {
    toast(`Could not disconnect: ${err.message}`, 'error');
  } finally {
    els.disconnect.disabled = false;
  }
}

async function sendTest() {
  const result = document.getElementById('wa-test-result');
  const button = document.getElementById('wa-test-send');
  const phone = els.phone.value.trim();
  result.hidden = false;
  result.className = 'test-result';
  if (!phone) {
    els.phone.setAttribute('aria-invalid', 'true');
    result.classList.add('is-error');
    replace(result, icon('alert', 'icon-sm'), 'Enter your phone number with its country code, e.g. +49 151 23456789.');
    els.phone.focus();
    return;
  }
  button.disabled = true;
  replace(result, spinner('Sending'), ' Sending…');
  try {
    await admin.waTest(phone);
    result.classList.add('is-ok');
    replace(result, icon('check', 'icon-sm'), `Test message queued for ${phone}. It should arrive within a minute.`);
  } catch (err) {
    result.classList.add('is-error');
    if (err instanceof ApiError && err.status === 404) {
      replace(result, icon('info', 'icon-sm'), 'Test messages are not available on this server.');
    } else {
      if (err.status === 422) els.phone.setAttribute('aria-invalid', 'true');
      replace(result, icon('alert', 'icon-sm'), err.message);
    }
  } finally {
    button.disabled = false;
  }
}

async function loadInbox() {
  try {
    const data = await admin.waInbox();
    const list = (data && data.messages) || [];
    els.inboxCard.hidden = !list.length;
    replace(els.inboxList, list.slice(0, 50).map((m) => h('li', { class: 'inbox-item' },
      h('div', { class: 'inbox-meta' }, h('span', { class: 'mono', text: m.from }), h('time', { datetime: m.at, text: dateTime(m.at) })),
      h('blockquote', { class: 'timeline-text', text: m.text }))));
  } catch {
    els.inboxCard.hidden = true; // not offered by this server
  }
}
