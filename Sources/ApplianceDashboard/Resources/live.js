// The live feed: one WebSocket to /ws/orders with reconnects (exponential backoff 1 s → 30 s
// with jitter), a header pill showing its state, and events for the rest of the app:
//   'frame'  (detail: parsed frame)      'open' (after every (re)connect)      'state'
// Close code 4401 (token expired) or a refused handshake with an expired token → re-login.

import { session, admin } from './api.js';
import { reauth } from './auth.js';
import { h } from './ui.js';

const MIN_DELAY = 1000;
const MAX_DELAY = 30000;

export const live = new EventTarget();

let socket = null;
let state = 'offline';
let attempt = 0;
let timer = null;
let stopped = true;
let nextAttemptAt = 0;
let countdownTimer = null;
let everOpened = false;

export function liveState() { return state; }

function setState(next) {
  state = next;
  const pill = document.getElementById('live-state');
  if (pill) renderPill(pill);
  live.dispatchEvent(new CustomEvent('state', { detail: state }));
}

function renderPill(pill) {
  pill.dataset.state = state;
  const label = pill.querySelector('.pill-label');
  const text = { live: 'Live', reconnecting: everOpened ? 'Reconnecting…' : 'Connecting…', offline: 'Offline' }[state];
  label.textContent = text;
  let title = 'Live updates are on: new orders appear by themselves.';
  if (state === 'reconnecting') title = 'Connection lost. Reconnecting automatically…';
  if (state === 'offline') {
    const wait = Math.max(0, Math.round((nextAttemptAt - Date.now()) / 1000));
    title = navigator.onLine === false ? 'Your device is offline.' : stopped ? 'Live updates are off.' : `Live updates are paused. Next try in ${wait} s. Click to retry now.`;
  }
  pill.title = title;
  // Screen readers hear the state change once; the per-second countdown stays in the tooltip.
  const spoken = { live: '', reconnecting: ' Connection lost, reconnecting automatically.', offline: ' Live updates paused; retrying automatically.' }[state];
  const sr = pill.querySelector('.visually-hidden');
  if (sr.textContent !== spoken) sr.textContent = spoken;
}

/** The header pill (#live-state). A click while not live retries immediately. */
export function livePill() {
  const pill = h('button', { type: 'button', id: 'live-state', class: 'live-pill', 'data-state': state, 'aria-live': 'polite' },
    h('span', { class: 'pill-dot', 'aria-hidden': 'true' }),
    h('span', { class: 'pill-label' }),
    h('span', { class: 'visually-hidden' }));
  pill.addEventListener('click', () => { if (state !== 'live') retryNow(); });
  queueMicrotask(() => renderPill(pill));
  return pill;
}

export function start() {
  stopped = false;
  attempt = 0;
  connect();
  window.addEventListener('online', retryNow);
  window.addEventListener('offline', () => { if (socket) socket.close(); setState('offline'); });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && !stopped && state !== 'live') retryNow();
  });
}

export function stop() {
  stopped = true;
  clearTimeout(timer);
  if (socket) { socket.onclose = null; socket.close(1000); socket = null; }
  setState('offline');
}

function retryNow() {
  if (stopped) return;
  clearTimeout(timer);
  attempt = 0;
  if (!socket) connect();
}

async function connect() {
  clearTimeout(timer);
  if (stopped || socket) return;
  if (!session.token || session.expired) {
    // No usable token: log in again first (the page stays as it is).
    setState('offline');
    try { await reauth(); } catch { return; }
  }
  if (stopped || socket) return;
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${proto}//${window.location.host}/ws/orders?token=${encodeURIComponent(session.token)}`;
  let opened = false;
  let ws;
  try { ws = new WebSocket(url); } catch { scheduleReconnect(); return; }
  socket = ws;
  if (attempt <= 3 && navigator.onLine !== false) setState('reconnecting');

  ws.onopen = () => {
    opened = true;
    everOpened = true;
    attempt = 0;
    setState('live');
    live.dispatchEvent(new CustomEvent('open'));
  };
  ws.onmessage = (event) => {
    let frame;
    try { frame = JSON.parse(event.data); } catch { return; }
    if (frame && typeof frame.type === 'string') live.dispatchEvent(new CustomEvent('frame', { detail: frame }));
  };
  ws.onerror = () => { /* onclose follows */ };
  ws.onclose = async (event) => {
    if (socket === ws) socket = null;
    if (stopped) return;
    if (event.code === 4401) {
      setState('offline');
      try { await reauth(); } catch { return; }
      attempt = 0;
      connect();
      return;
    }
    if (!opened) {
      // The handshake was refused. An expired or revoked token answers 401 before the upgrade,
      // which a browser cannot see: ask an admin route, which re-logs in on 401.
      try { await admin.waStatus(); } catch { /* offline or server down: keep retrying */ }
    }
    scheduleReconnect();
  };
}

function scheduleReconnect() {
  if (stopped) return;
  const base = Math.min(MAX_DELAY, MIN_DELAY * 2 ** attempt);
  const delay = Math.round(base / 2 + Math.random() * (base / 2)); // "equal jitter"
  attempt += 1;
  nextAttemptAt = Date.now() + delay;
  setState(attempt > 3 || navigator.onLine === false ? 'offline' : 'reconnecting');
  clearInterval(countdownTimer);
  if (state === 'offline') {
    countdownTimer = setInterval(() => {
      const pill = document.getElementById('live-state');
      if (state !== 'offline' || Date.now() > nextAttemptAt) { clearInterval(countdownTimer); return; }
      if (pill) renderPill(pill);
    }, 1000);
  }
  timer = setTimeout(connect, delay);
}

