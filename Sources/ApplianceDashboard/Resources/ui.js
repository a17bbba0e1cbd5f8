// DOM helpers, icons, formatting, toasts and dialogs. Every piece of merchant or customer
// text goes through text nodes (never innerHTML), so names like `<img onerror=…>` stay text.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an element. attrs: class, text, dataset keys as `data-*`, `on<event>` handlers,
 *  booleans (true → attribute present), everything else as an attribute. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  applyAttrs(el, attrs);
  append(el, children);
  return el;
}

/** Same as h() for SVG elements. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  applyAttrs(el, attrs);
  append(el, children);
  return el;
}

function applyAttrs(el, attrs) {
  if (!attrs) return;
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) {
      if (typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value); // never inline handlers
    } else if (key === 'text') {
      el.textContent = String(value);
    } else if (key === 'class') {
      el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    } else if (key === 'value' && 'value' in el) {
      el.value = value;
    } else if (key === 'checked' && 'checked' in el) {
      el.checked = !!value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces the children of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

// ---------------------------------------------------------------- icons
// 24×24 stroke icons drawn for this product.
const ICONS = {
  check: ['M5 12.5l4.5 4.5L19 7.5'],
  checks: ['M2.5 12.5l4.5 4.5L16.5 7.5', 'M11.5 16.5l.5.5L21.5 7.5'],
  x: ['M6 6l12 12', 'M18 6L6 18'],
  clock: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z', 'M12 7v5l3.5 2'],
  truck: ['M2.5 6.5h11v9h-11z', 'M13.5 9.5h4l3.5 3.5v2.5h-7.5', 'M6.5 18.5a1.5 1.5 0 1 0 0.01 0z', 'M17 18.5a1.5 1.5 0 1 0 0.01 0z'],
  send: ['M21 3L10 14', 'M21 3l-7 18-4-7-7-4z'],
  eye: ['M1.5 12S5.5 5 12 5s10.5 7 10.5 7-4 7-10.5 7S1.5 12 1.5 12z', 'M12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6z'],
  alert: ['M12 3L2 20h20z', 'M12 10v4.5', 'M12 17.2v.3'],
  question: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z', 'M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.6v.6', 'M12 17v.3'],
  skip: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z', 'M5.6 5.6l12.8 12.8'],
  sending: ['M12 3a9 9 0 1 0 9 9', 'M16 3.5l5 .5-.5 5'],
  copy: ['M9 9h11v11H9z', 'M5 15H4V4h11v1'],
  logout: ['M15 4h4v16h-4', 'M10 8l-4 4 4 4', 'M6 12h11'],
  search: ['M10.5 4a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13z', 'M15.5 15.5L21 21'],
  refresh: ['M20 11a8 8 0 0 0-14.5-4.5L4 8', 'M4 3.5V8h4.5', 'M4 13a8 8 0 0 0 14.5 4.5L20 16', 'M20 20.5V16h-4.5'],
  phone: ['M8 2.5h8a1 1 0 0 1 1 1v17a1 1 0 0 1-1 1H8a1 1 0 0 1-1-1v-17a1 1 0 0 1 1-1z', 'M11 18.5h2'],
  inbox: ['M3 13l3-8h12l3 8v6H3z', 'M3 13h5l1 2h6l1-2h5'],
  reply: ['M10 8L4 13l6 5', 'M4 13h10a6 6 0 0 1 6 6'],
  undo: ['M9 14L4 9l5-5', 'M4 9h11a5 5 0 0 1 0 10h-3'],
  store: ['M3 9l2-5h14l2 5', 'M3 9h18v2a3 3 0 0 1-6 0 3 3 0 0 1-6 0 3 3 0 0 1-6 0z', 'M5 13v7h14v-7'],
  link: ['M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1', 'M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1'],
  chart: ['M4 20V10', 'M10 20V4', 'M16 20v-7', 'M22 20H2'],
  gear: ['M12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6z', 'M12 2v3', 'M12 19v3', 'M2 12h3', 'M19 12h3', 'M4.9 4.9l2.1 2.1', 'M17 17l2.1 2.1', 'M4.9 19.1L7 17', 'M17 7l2.1-2.1'],
  list: ['M8 6h13', 'M8 12h13', 'M8 18h13', 'M3.5 6h.5', 'M3.5 12h.5', 'M3.5 18h.5'],
  chat: ['M4 4h16v12H8l-4 4z'],
  dot: ['M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8z'],
  info: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z', 'M12 11v5.5', 'M12 7.7v.3'],
  shield: ['M12 2.5l8 3v6c0 5-3.5 8.5-8 10-4.5-1.5-8-5-8-10v-6z'],
  plus: ['M12 5v14', 'M5 12h14'],
  ban: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z', 'M8 12h8'],
};

/** An inline SVG icon, hidden from assistive tech (the text next to it carries the meaning). */
export function icon(name, extraClass) {
  const paths = ICONS[name] || ICONS.dot;
  return s('svg', { class: ['icon', extraClass], viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' },
    paths.map((d) => s('path', { d })));
}

// ---------------------------------------------------------------- formatting
const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function parseTime(value) {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isFinite(t) ? t : null;
}

/** "in 12 minutes", "3 hours ago". */
export function relativeTime(value, now = Date.now()) {
  const t = parseTime(value);
  if (t === null) return '';
  const diff = (t - now) / 1000;
  const abs = Math.abs(diff);
  if (abs < 45) return diff >= 0 ? 'in a few seconds' : 'just now';
  if (abs < 2700) return rtf.format(Math.round(diff / 60), 'minute');
  if (abs < 79200) return rtf.format(Math.round(diff / 3600), 'hour');
  if (abs < 2592000) return rtf.format(Math.round(diff / 86400), 'day');
  return rtf.format(Math.round(diff / 2592000), 'month');
}

const dtf = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dtfSec = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function dateTime(value, withSeconds = false) {
  const t = parseTime(value);
  if (t === null) return '—';
  return (withSeconds ? dtfSec : dtf).format(new Date(t));
}

/** A <time> element showing relative time, refreshed by refreshRelativeTimes(). */
export function timeEl(value, mode = 'relative') {
  const el = h('time', { datetime: value || '', 'data-rel': mode === 'relative' ? '1' : null, title: dateTime(value, true) });
  el.textContent = mode === 'relative' ? relativeTime(value) : dateTime(value);
  return el;
}

export function refreshRelativeTimes(root = document) {
  const now = Date.now();
  for (const el of root.querySelectorAll('time[data-rel]')) el.textContent = relativeTime(el.getAttribute('datetime'), now);
}

/** "EUR 49.90" preferring what the customer saw (presentment money). */
export function orderTotal(order) {
  const amount = order.presentment_total_price ?? order.total_price;
  const currency = order.presentment_currency || order.currency || '';
  if (amount === null || amount === undefined || amount === '') return '—';
  return currency ? `${currency} ${amount}` : String(amount);
}

export function shopTotal(order) {
  return order.currency ? `${order.currency} ${order.total_price}` : String(order.total_price);
}

export const number = (n) => new Intl.NumberFormat().format(n ?? 0);

export function percent(fraction) {
  const v = Number(fraction) || 0;
  const pct = v * 100;
  const digits = pct === 0 || pct === 100 || pct >= 10 ? (Number.isInteger(pct) ? 0 : 1) : 1;
  return `${pct.toFixed(digits)}%`;
}

export function bytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}

export const capitalize = (str) => (str ? str.charAt(0).toUpperCase() + str.slice(1) : '');

// ---------------------------------------------------------------- status vocabularies
export const ORDER_STATUS = {
  pending: { label: 'Pending', icon: 'clock' },
  confirmed: { label: 'Confirmed', icon: 'check' },
  cancelled: { label: 'Cancelled', icon: 'x' },
  delivered: { label: 'Delivered', icon: 'truck' },
};

export const MESSAGE_STATE = {
  scheduled: { label: 'Scheduled', icon: 'clock' },
  sending: { label: 'Sending', icon: 'sending' },
  sent: { label: 'Sent', icon: 'check' },
  delivered: { label: 'Delivered', icon: 'checks' },
  read: { label: 'Read', icon: 'eye' },
  failed: { label: 'Failed', icon: 'alert' },
  unknown: { label: 'Uncertain', icon: 'question' },
  skipped: { label: 'Skipped', icon: 'skip' },
};

/** The status badge: colour + icon + text (readable without colour). */
/** The Shopify write-back state of an order, as a small badge; nothing when there is nothing to show. */
export const SYNC_STATE = {
  pending: { label: 'Shopify: syncing', icon: 'clock', title: 'Writing the decision back to Shopify' },
  failed: { label: 'Shopify: failed', icon: 'alert', title: 'Shopify refused the write-back' },
  held: { label: 'Shopify: paused', icon: 'alert', title: 'Shopify refused the access token' },
};

export function syncBadge(sync) {
  const info = sync && SYNC_STATE[sync.state];
  if (!info) return null;
  return h('span', { class: 'sync-badge', 'data-sync': sync.state, title: sync.last_error || info.title }, icon(info.icon, 'icon-sm'), h('span', { text: info.label }));
}

export function statusBadge(status) {
  const info = ORDER_STATUS[status] || { label: capitalize(status || 'unknown'), icon: 'dot' };
  return h('span', { class: 'badge', 'data-status': status }, icon(info.icon), h('span', { class: 'badge-label', text: info.label }));
}

export function messageBadge(state) {
  const info = MESSAGE_STATE[state] || { label: capitalize(state || 'unknown'), icon: 'dot' };
  return h('span', { class: 'msg-state', 'data-state': state }, icon(info.icon), h('span', { text: info.label }));
}

// ---------------------------------------------------------------- timing helpers
export function debounce(fn, ms) {
  let timer;
  const wrapped = (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}

/** Runs fn at most once per ms (leading and trailing). */
export function throttle(fn, ms) {
  let last = 0; let timer = null;
  return (...args) => {
    const wait = last + ms - Date.now();
    if (wait <= 0) { last = Date.now(); fn(...args); return; }
    if (!timer) timer = setTimeout(() => { timer = null; last = Date.now(); fn(...args); }, wait);
  };
}

// ---------------------------------------------------------------- toasts
export function toast(message, kind = 'info', timeout = 4500) {
  const region = document.getElementById('toasts');
  if (!region) return;
  const names = { success: 'check', error: 'alert', info: 'info' };
  const close = h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss' }, icon('x'));
  const el = h('div', { class: ['toast', `toast-${kind}`], role: kind === 'error' ? 'alert' : 'status' },
    icon(names[kind] || 'info'), h('span', { class: 'toast-text', text: message }), close);
  const remove = () => { el.classList.add('toast-out'); setTimeout(() => el.remove(), 200); };
  close.addEventListener('click', remove);
  region.append(el);
  if (timeout) setTimeout(remove, timeout);
}

// ---------------------------------------------------------------- dialogs
const openStack = [];

/** Opens a <dialog> modally with a focus trap; Escape closes unless options.locked. */
export function openDialog(dialog, { locked = false, onClose, initialFocus } = {}) {
  if (!dialog.open) {
    dialog._returnFocus = document.activeElement;
    dialog.showModal();
    openStack.push(dialog);
  }
  dialog._locked = locked;
  dialog._onClose = onClose;
  if (!dialog._wired) {
    dialog._wired = true;
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      if (!dialog._locked) closeDialog(dialog);
    });
    dialog.addEventListener('keydown', (e) => { if (e.key === 'Tab') trapTab(dialog, e); });
    dialog.addEventListener('click', (e) => {
      // A click on the backdrop (the dialog box itself, outside its content) closes it.
      if (e.target === dialog && !dialog._locked) closeDialog(dialog);
    });
  }
  const target = initialFocus || dialog.querySelector('[autofocus]') || focusables(dialog)[0];
  if (target) requestAnimationFrame(() => target.focus());
}

export function closeDialog(dialog) {
  if (!dialog.open) return;
  dialog.close();
  const i = openStack.indexOf(dialog);
  if (i >= 0) openStack.splice(i, 1);
  const back = dialog._returnFocus;
  if (back && document.contains(back) && typeof back.focus === 'function') back.focus();
  if (dialog._onClose) dialog._onClose();
}

function focusables(root) {
  return $$('a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])', root)
    .filter((el) => !el.closest('[hidden]') && el.getClientRects().length > 0);
}

function trapTab(dialog, e) {
  const items = focusables(dialog);
  if (!items.length) return;
  const first = items[0]; const last = items[items.length - 1];
  if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
  else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
}

/** A confirmation dialog (#confirm-dialog). Resolves true when confirmed. */
export function confirmAction({ title, body, confirmLabel = 'Confirm', danger = false }) {
  const dialog = document.getElementById('confirm-dialog');
  replace(dialog.querySelector('#confirm-title'), title);
  replace(dialog.querySelector('#confirm-body'), body);
  const ok = dialog.querySelector('#confirm-ok');
  const cancel = dialog.querySelector('#confirm-cancel');
  ok.textContent = confirmLabel;
  ok.className = danger ? 'btn btn-danger' : 'btn btn-primary';
  return new Promise((resolve) => {
    let result = false;
    const finish = (value) => { result = value; closeDialog(dialog); };
    const onOk = () => finish(true);
    const onCancel = () => finish(false);
    ok.addEventListener('click', onOk);
    cancel.addEventListener('click', onCancel);
    openDialog(dialog, {
      initialFocus: cancel,
      onClose: () => {
        ok.removeEventListener('click', onOk);
        cancel.removeEventListener('click', onCancel);
        resolve(result);
      },
    });
  });
}

// ---------------------------------------------------------------- clipboard
export async function copyText(text, fallbackInput) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch { /* fall through to the selection fallback */ }
  if (fallbackInput) {
    fallbackInput.focus();
    fallbackInput.select();
    try { if (document.execCommand('copy')) return true; } catch { /* ignore */ }
    return false; // the text stays selected so the merchant can press Ctrl+C
  }
  return false;
}

/** A read-only field with a Copy button. */
export function copyField({ id, label, value, hint }) {
  const input = h('input', { id, type: 'text', readonly: true, value: value || '', class: 'input mono', spellcheck: 'false' });
  const button = h('button', { type: 'button', class: 'btn btn-secondary copy-btn', 'data-copy-for': id },
    icon('copy'), h('span', { text: 'Copy' }));
  button.addEventListener('click', async () => {
    const ok = await copyText(input.value, input);
    const label = button.querySelector('span');
    label.textContent = ok ? 'Copied' : 'Press Ctrl+C';
    button.classList.toggle('copied', ok);
    toast(ok ? 'Copied to the clipboard' : 'Selected: press Ctrl+C (⌘C) to copy', ok ? 'success' : 'info', 2500);
    setTimeout(() => { label.textContent = 'Copy'; button.classList.remove('copied'); }, 2000);
  });
  input.addEventListener('focus', () => input.select());
  return h('div', { class: 'field' },
    h('label', { for: id, class: 'label', text: label }),
    h('div', { class: 'copy-row' }, input, button),
    hint ? h('p', { class: 'hint', text: hint }) : null);
}

export function spinner(label = 'Loading') {
  return h('span', { class: 'spinner', role: 'status' }, h('span', { class: 'visually-hidden', text: label }));
}

export function emptyState({ iconName = 'inbox', title, body, actions }) {
  return h('div', { class: 'empty-state' },
    h('div', { class: 'empty-icon' }, icon(iconName)),
    h('h3', { class: 'empty-title', text: title }),
    body ? h('div', { class: 'empty-body' }, body) : null,
    actions ? h('div', { class: 'empty-actions' }, actions) : null);
}
