// The order detail drawer (#order-detail, URL #/orders/<id>): fields, message state, timeline
// and the actions the contract allows (status transitions, resend).

import { admin, ApiError } from './api.js';
import {
  h, icon, replace, statusBadge, messageBadge, timeEl, dateTime, orderTotal, shopTotal, openDialog, closeDialog,
  toast, spinner, capitalize, ORDER_STATUS, throttle,
} from './ui.js';
import { receiveOrder, getCachedOrder } from './orders.js';

// Manual status changes allowed by the contract, in the order they are offered.
const TRANSITIONS = {
  pending: [['confirmed', 'Confirm', 'check', 'btn-primary'], ['cancelled', 'Mark cancelled', 'x', 'btn-danger-soft']],
  confirmed: [['delivered', 'Mark delivered', 'truck', 'btn-primary'], ['cancelled', 'Mark cancelled', 'x', 'btn-danger-soft']],
  cancelled: [['pending', 'Reopen', 'undo', 'btn-secondary']],
  delivered: [['confirmed', 'Undo delivery', 'undo', 'btn-secondary']],
};
const RESENDABLE = new Set(['failed', 'unknown', 'skipped']);

let dialog;
let currentId = null;
let current = null;
let busy = false;
let actionErrorText = null; // survives re-renders until the next action
let onClosed = () => {};

export function mountOrderDetail({ onClose }) {
  dialog = document.getElementById('order-detail');
  onClosed = onClose;
}

export function openOrder(id) {
  id = String(id);
  if (currentId === id && dialog.open) return;
  currentId = id;
  current = null;
  actionErrorText = null;
  const cached = getCachedOrder(id);
  if (cached) render(cached, true); else renderLoading();
  openDialog(dialog, { onClose: () => { const was = currentId; currentId = null; current = null; if (was) onClosed(); } });
  load(id);
}

export function closeOrder() {
  if (dialog && dialog.open) {
    currentId = null;
    closeDialog(dialog);
  }
}

export function openOrderId() { return dialog && dialog.open ? currentId : null; }

async function load(id) {
  try {
    const order = await admin.order(id);
    if (currentId !== id) return;
    render(order, false);
    receiveOrder(order, { flash: false });
  } catch (err) {
    if (currentId !== id) return;
    if (err instanceof ApiError && err.status === 404) renderMissing();
    else if (!current) renderFailure(err, id);
    else toast(`Could not refresh the order: ${err.message}`, 'error');
  }
}

/** A live frame for the open order: refetch (throttled) to get the new timeline. */
const refresh = throttle((id) => { if (currentId === id) load(id); }, 1500);
export function orderChanged(order) {
  if (currentId && String(order.id) === currentId && !busy) {
    render({ ...order, events: current?.events }, true);
    refresh(currentId);
  }
}

function header(order) {
  const close = h('button', { type: 'button', class: 'icon-btn', 'aria-label': 'Close order details', 'data-action': 'close' }, icon('x'));
  close.addEventListener('click', () => closeDialog(dialog));
  return h('header', { class: 'drawer-head' },
    h('div', { class: 'drawer-title-row' },
      h('h2', { id: 'od-title', class: 'drawer-title', text: order ? `Order ${order.order_number || `#${order.id}`}` : 'Order' }),
      order ? statusBadge(order.status) : null),
    close);
}

function renderLoading() {
  replace(dialog, h('div', { class: 'drawer-inner' }, header(null), h('div', { class: 'drawer-body center' }, spinner('Loading order'))));
}

function renderMissing() {
  replace(dialog, h('div', { class: 'drawer-inner' }, header(null),
    h('div', { class: 'drawer-body' }, h('div', { class: 'empty-state' },
      h('div', { class: 'empty-icon' }, icon('search')),
      h('h3', { class: 'empty-title', text: 'Order not found' }),
      h('p', { class: 'empty-body', text: 'It does not exist in this shop, or the link is wrong.' })))));
}

function renderFailure(err, id) {
  const retry = h('button', { type: 'button', class: 'btn btn-secondary' }, icon('refresh'), 'Try again');
  retry.addEventListener('click', () => { renderLoading(); load(id); });
  replace(dialog, h('div', { class: 'drawer-inner' }, header(null),
    h('div', { class: 'drawer-body' }, h('div', { class: 'empty-state' },
      h('div', { class: 'empty-icon' }, icon('alert')),
      h('h3', { class: 'empty-title', text: 'Could not load this order' }),
      h('p', { class: 'empty-body', text: err.message }), retry))));
}

function render(order, partial) {
  current = order;
  const keepFocus = dialog.contains(document.activeElement) ? document.activeElement.dataset?.action : null;
  const keepStatus = keepFocus ? document.activeElement.dataset.status : null;
  const msg = order.message || {};
  const phone = order.phone
    ? h('a', { href: `tel:${order.phone}`, class: 'link', text: order.phone })
    : h('span', { class: 'muted', text: 'No usable phone' });
  const totalShown = orderTotal(order);
  const shopMoney = shopTotal(order);
  const rows = [
    ['Customer', order.customer_name || '—'],
    ['Phone', phone],
    ['Email', order.email ? h('a', { href: `mailto:${order.email}`, class: 'link', text: order.email }) : '—'],
    ['Total', [totalShown, shopMoney !== totalShown && order.presentment_total_price ? h('span', { class: 'muted small', text: ` (shop: ${shopMoney})` }) : null]],
    ['Delivery slot', order.slot || '—'],
    ['Placed', dateTime(order.created_at)],
    ['Last change', [dateTime(order.updated_at), ' ', h('span', { class: 'muted small' }, '(', timeEl(order.updated_at), ')')]],
    ['Shopify ID', h('span', { class: 'mono', text: order.id })],
    ['Shopify sync', [syncLabel(order.shopify_sync), order.shopify_sync?.last_error ? h('div', { class: 'muted small', text: order.shopify_sync.last_error }) : null]],
  ];

  const actionError = h('div', { id: 'order-action-error', class: 'form-error', role: 'alert', hidden: !actionErrorText },
    actionErrorText ? [icon('alert'), h('span', { text: actionErrorText })] : null);
  const buttons = (TRANSITIONS[order.status] || []).map(([status, label, iconName, cls]) => {
    const b = h('button', { type: 'button', class: ['btn', cls], 'data-action': 'status', 'data-status': status },
      icon(iconName), h('span', { text: label }));
    b.addEventListener('click', () => changeStatus(status, label, actionError));
    return b;
  });
  let resendNote = null;
  if (RESENDABLE.has(msg.state)) {
    const b = h('button', { type: 'button', class: 'btn btn-secondary', 'data-action': 'resend' }, icon('send'), h('span', { text: 'Resend message' }));
    b.addEventListener('click', () => resend(actionError));
    buttons.push(b);
    if (msg.state === 'unknown') resendNote = h('p', { class: 'hint', text: 'The last send may have reached the customer (no confirmation came back). Resending could deliver the message twice.' });
    else if (order.status === 'cancelled') resendNote = h('p', { class: 'hint', text: 'This order is cancelled: a resend still messages the customer.' });
  }

  const messageRows = [
    ['State', messageBadge(msg.state)],
    msg.state === 'scheduled' && msg.scheduled_at ? ['Sends', [dateTime(msg.scheduled_at), ' ', h('span', { class: 'muted small' }, '(', timeEl(msg.scheduled_at), ')')]] : null,
    msg.provider ? ['Via', providerName(msg.provider)] : null,
    msg.attempts ? ['Attempts', String(msg.attempts)] : null,
  ].filter(Boolean);

  const timeline = h('ol', { id: 'order-timeline', class: 'timeline' });
  if (order.events) {
    const events = [...order.events].reverse().sort((a, b) => (Date.parse(b.at) || 0) - (Date.parse(a.at) || 0));
    timeline.append(...events.map(eventItem));
    if (!events.length) timeline.append(h('li', { class: 'muted', text: 'No events yet.' }));
  } else {
    timeline.append(h('li', { class: 'timeline-loading' }, spinner('Loading timeline')));
  }

  replace(dialog, h('div', { class: 'drawer-inner', 'aria-busy': partial ? 'true' : null },
    header(order),
    h('div', { class: 'drawer-body' },
      h('p', { class: 'drawer-sub muted' }, 'Placed ', timeEl(order.created_at), order.test ? [' · ', h('span', { class: 'chip chip-test', text: 'Shopify test order' })] : null),
      buttons.length ? h('section', { class: 'drawer-section', 'aria-label': 'Actions' },
        h('div', { class: 'action-row' }, buttons), resendNote, actionError) : null,
      h('section', { class: 'drawer-section', 'aria-labelledby': 'od-msg' },
        h('h3', { id: 'od-msg', class: 'section-title', text: 'WhatsApp message' }),
        dl(messageRows),
        msg.last_error ? h('div', { class: 'callout callout-warn' }, icon('alert'), h('div', {}, h('strong', { text: 'Last error: ' }), msg.last_error)) : null),
      h('section', { class: 'drawer-section', 'aria-labelledby': 'od-details' },
        h('h3', { id: 'od-details', class: 'section-title', text: 'Details' }),
        dl(rows)),
      h('section', { class: 'drawer-section', 'aria-labelledby': 'od-timeline' },
        h('h3', { id: 'od-timeline', class: 'section-title', text: 'Timeline' }),
        timeline))));
  if (keepFocus) {
    const sel = keepStatus ? `[data-action="${keepFocus}"][data-status="${keepStatus}"]` : `[data-action="${keepFocus}"]`;
    (dialog.querySelector(sel) || dialog.querySelector('[data-action="close"]'))?.focus();
  }
}

function syncLabel(sync) {
  return { off: 'Off (no Admin API token set)', pending: 'Writing back…', done: 'Up to date', failed: 'Failed', held: 'Paused: token refused' }[sync?.state] || 'Off';
}

function dl(rows) {
  return h('dl', { class: 'kv' }, rows.map(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)]));
}

function providerName(p) {
  return { web: 'WhatsApp Web (linked phone)', cloud: 'WhatsApp Cloud API', log: 'Log only (demo)' }[p] || p;
}

function byName(by) {
  return { merchant: 'you', shopify: 'Shopify', customer: 'the customer', whatsapp: 'WhatsApp message', web: 'WhatsApp Web', cloud: 'Cloud API', log: 'log provider' }[by] || by;
}

const EVENT_VIEW = {
  received: ['inbox', 'Order received from Shopify'],
  scheduled: ['clock', 'Message scheduled'],
  sending: ['sending', 'Sending message'],
  sent: ['send', 'Message sent'],
  delivered: ['checks', 'Message delivered to the phone'],
  read: ['eye', 'Message read'],
  failed: ['alert', 'Message failed'],
  unknown: ['question', 'Delivery uncertain'],
  skipped: ['skip', 'Message skipped'],
  resend: ['refresh', 'Resend requested'],
  reply: ['reply', 'Customer replied'],
  status: ['dot', 'Status changed'],
  shopify_update: ['store', 'Updated by Shopify'],
  shopify_sync: ['store', 'Written back to Shopify'],
};

const SYNC_TITLES = {
  tag: ['Tag added in Shopify', 'Shopify refused the tag'],
  untag: ['Tag removed in Shopify', 'Shopify refused to remove the tag'],
  cancel: ['Order cancelled in Shopify', 'Shopify refused to cancel the order'],
};

function eventItem(ev) {
  const [iconName, baseTitle] = EVENT_VIEW[ev.type] || ['dot', capitalize(String(ev.type || 'event').replace(/[_.]/g, ' '))];
  let title = baseTitle;
  let detail = ev.text || null;
  let tone = ev.type;
  if (ev.type === 'status' && ev.status) {
    const label = ORDER_STATUS[ev.status]?.label || capitalize(ev.status);
    title = ev.by === 'whatsapp' ? `${label} automatically once the message was sent`
      : ev.by === 'customer' ? `${label} by the customer’s reply` : `${label}${ev.by ? ` by ${byName(ev.by)}` : ''}`;
    tone = `status-${ev.status}`;
  } else if (ev.type === 'sent') {
    title = ev.by ? `Message sent via ${byName(ev.by)}` : 'Message sent';
    if (detail === 'ask') detail = 'Confirmation request with reply choices.';
  } else if (ev.type === 'shopify_sync') {
    const [done, failed] = SYNC_TITLES[ev.action] || ['Written back to Shopify', 'Shopify write-back failed'];
    title = ev.result === 'failed' ? failed : done;
    detail = ev.detail || null;
    tone = ev.result === 'failed' ? 'failed' : 'shopify_sync';
  } else if (ev.type === 'scheduled' && ev.due_at) {
    title = `Message scheduled for ${dateTime(ev.due_at)}`;
  } else if (ev.type === 'resend' && ev.by) {
    title = `Resend requested by ${byName(ev.by)}`;
  } else if (ev.by && !EVENT_VIEW[ev.type]) {
    title += ` (${byName(ev.by)})`;
  } else if (ev.status && ev.type !== 'status') {
    detail = detail ? `${detail} · status ${ev.status}` : `status ${ev.status}`;
  }
  const iconKey = ev.type === 'status' && ev.status ? ORDER_STATUS[ev.status]?.icon || 'dot' : iconName;
  return h('li', { class: 'timeline-item', 'data-type': ev.type, 'data-tone': tone },
    h('span', { class: 'timeline-icon' }, icon(iconKey)),
    h('div', { class: 'timeline-body' },
      h('div', { class: 'timeline-title', text: title }),
      detail ? h(ev.type === 'reply' || ev.type === 'sent' ? 'blockquote' : 'div', { class: 'timeline-text', text: detail }) : null,
      h('time', { class: 'timeline-time', datetime: ev.at, title: dateTime(ev.at, true), text: dateTime(ev.at, true) })));
}

function setBusy(on) {
  busy = on;
  for (const b of dialog.querySelectorAll('[data-action="status"], [data-action="resend"]')) b.disabled = on;
}

async function changeStatus(status, label, errorEl) {
  if (!current || busy) return;
  const id = current.id;
  actionErrorText = null;
  errorEl.hidden = true;
  setBusy(true);
  try {
    const order = await admin.setStatus(id, status);
    if (currentId === id) render(order, false);
    receiveOrder(order);
    toast(`${current?.order_number || 'Order'} is now ${ORDER_STATUS[order.status]?.label.toLowerCase() || order.status}.`, 'success');
  } catch (err) {
    showActionError(errorEl, err, `Could not ${label.toLowerCase()}`);
  } finally {
    setBusy(false);
  }
}

async function resend(errorEl) {
  if (!current || busy) return;
  const id = current.id;
  actionErrorText = null;
  errorEl.hidden = true;
  setBusy(true);
  try {
    const order = await admin.resend(id);
    if (order && order.id) {
      if (currentId === id) render(order, false);
      receiveOrder(order);
    } else {
      load(id);
    }
    toast('Message queued to be sent again.', 'success');
  } catch (err) {
    showActionError(errorEl, err, 'Could not resend');
  } finally {
    setBusy(false);
  }
}

function showActionError(el, err, prefix) {
  const target = dialog.querySelector('#order-action-error') || el;
  actionErrorText = `${prefix}: ${err.message}`;
  target.replaceChildren(icon('alert'), h('span', { text: actionErrorText }));
  target.hidden = false;
  toast(`${prefix}: ${err.message}`, 'error');
}
