// The Orders tab: filters, search, cursor paging (only loaded pages are ever rendered), live
// merge of frames (Map id → row, updated in place), catch-up after reconnects, and the
// "Rejected deliveries" view.

import { admin, ApiError } from './api.js';
import {
  h, icon, replace, statusBadge, messageBadge, syncBadge, timeEl, orderTotal, debounce, emptyState, dateTime, bytes, toast, parseTime,
} from './ui.js';

const PAGE = 50;
const STATUSES = [
  ['', 'All statuses'], ['pending', 'Pending'], ['confirmed', 'Confirmed'], ['cancelled', 'Cancelled'], ['delivered', 'Delivered'],
];

const state = {
  status: '',
  q: '',
  view: 'orders',
  rows: new Map(), // id → { order, tr }
  nextCursor: null,
  loading: false,
  loadedOnce: false,
  generation: 0,
  controller: null,
  oldestCreated: null,
  maxUpdated: null, // { raw, ms }: greatest updated_at seen, for catch-up
  webhookUrl: null,
  userId: null,
  firstPageLoading: false,
  pending: [], // frames that arrived while a first page was loading
};

let els = {};
let onFirstRender = null;
let routeChange = () => {};

export function ordersReadyHandler(fn) { onFirstRender = fn; }
export function setOnboarding({ webhookUrl, userId }) { state.webhookUrl = webhookUrl; state.userId = userId; if (state.loadedOnce && !state.rows.size) renderEmpty(); }
export function getCachedOrder(id) { return state.rows.get(String(id))?.order || null; }
export function maxUpdatedAt() { return state.maxUpdated ? state.maxUpdated.raw : null; }

/** Builds the panel. navigate(params) is called when filters change (to keep them in the URL). */
export function mountOrders(panel, { onFilters }) {
  routeChange = onFilters;
  const search = h('input', {
    id: 'order-search', class: 'input', type: 'search', name: 'q', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'Order #, customer, email or phone',
  });
  const status = h('select', { id: 'status-filter', class: 'input select', name: 'status' },
    STATUSES.map(([value, label]) => h('option', { value, text: label })));
  const more = h('button', { type: 'button', id: 'orders-more', class: 'btn btn-secondary', hidden: true }, 'Load more');
  const body = h('tbody', { id: 'orders-body' });
  const table = h('table', { class: 'orders-table', id: 'orders-table' },
    h('caption', { class: 'visually-hidden', text: 'Orders, newest first. Select an order number to see its details.' }),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', class: 'col-number', text: 'Order #' }),
      h('th', { scope: 'col', class: 'col-customer', text: 'Customer' }),
      h('th', { scope: 'col', class: 'col-total', text: 'Total' }),
      h('th', { scope: 'col', class: 'col-status', text: 'Status' }),
      h('th', { scope: 'col', class: 'col-slot', text: 'Slot' }),
      h('th', { scope: 'col', class: 'col-message', text: 'Message' }),
      h('th', { scope: 'col', class: 'col-created', text: 'Placed' }))),
    body);
  const empty = h('div', { id: 'orders-empty', hidden: true });
  const count = h('p', { id: 'orders-count', class: 'muted small', 'aria-live': 'polite' });
  const sentinel = h('div', { class: 'sentinel', 'aria-hidden': 'true' });

  const ordersView = h('div', { id: 'orders-view' },
    h('div', { class: 'toolbar' },
      h('div', { class: 'search-box' },
        h('label', { for: 'order-search', class: 'visually-hidden', text: 'Search orders' }),
        icon('search', 'search-icon'), search),
      h('div', { class: 'filter-box' },
        h('label', { for: 'status-filter', class: 'inline-label', text: 'Status' }), status)),
    h('div', { class: 'card table-card' },
      h('div', { class: 'table-scroll' }, table),
      empty,
      h('div', { class: 'table-foot' }, count, more),
      sentinel));

  const rejectedBody = h('tbody', { id: 'rejected-body' });
  const rejectedView = h('div', { id: 'rejected-view', hidden: true },
    h('p', { class: 'muted section-lead', text: 'Deliveries Shopify sent with a valid signature that could not be used (not JSON, no order id, unknown topic). They are kept here so you can spot a misconfigured webhook.' }),
    h('div', { class: 'card table-card' },
      h('div', { class: 'table-scroll' },
        h('table', { class: 'data-table rejected-table', id: 'rejected-table' },
          h('caption', { class: 'visually-hidden', text: 'Rejected deliveries, newest first' }),
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col', text: 'Received' }), h('th', { scope: 'col', text: 'Topic' }),
            h('th', { scope: 'col', text: 'Webhook ID' }), h('th', { scope: 'col', text: 'Reason' }),
            h('th', { scope: 'col', class: 'num', text: 'Size' }))),
          rejectedBody)),
      h('div', { id: 'rejected-empty', hidden: true })));

  const viewOrders = h('a', { href: '#/orders', id: 'view-orders', class: 'segment', 'aria-current': 'page' }, icon('list'), 'Orders');
  const viewRejected = h('a', { href: '#/orders/rejected', id: 'view-rejected', class: 'segment' }, icon('ban'), 'Rejected deliveries');

  replace(panel,
    h('div', { class: 'panel-head' },
      h('div', {}, h('h2', { class: 'panel-title', text: 'Orders' }),
        h('p', { class: 'muted', id: 'orders-lead', text: 'Every Shopify order and its WhatsApp confirmation, updated live.' })),
      h('nav', { class: 'segmented', 'aria-label': 'Orders views' }, viewOrders, viewRejected)),
    ordersView, rejectedView);

  els = { panel, search, status, more, body, table, empty, count, sentinel, ordersView, rejectedView, rejectedBody, viewOrders, viewRejected };

  const pushFilters = () => routeChange({ status: state.status, q: state.q });
  const runSearch = () => {
    const q = search.value.trim();
    if (q === state.q) return;
    state.q = q;
    pushFilters();
    loadFirstPage();
  };
  const onSearch = debounce(runSearch, 300);
  search.addEventListener('input', onSearch);
  search.addEventListener('change', onSearch);
  search.addEventListener('search', () => { onSearch.cancel(); runSearch(); });
  search.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); onSearch.cancel(); runSearch(); } });
  status.addEventListener('change', () => {
    state.status = status.value;
    pushFilters();
    loadFirstPage();
  });
  more.addEventListener('click', () => loadMore());
  body.addEventListener('click', (e) => {
    if (e.target.closest('a, button')) return;
    const tr = e.target.closest('tr[data-order-id]');
    if (tr && !window.getSelection()?.toString()) window.location.hash = `#/orders/${tr.dataset.orderId}`;
  });
  body.addEventListener('animationend', (e) => { if (e.target.classList) e.target.classList.remove('flash', 'flash-new'); });

  if ('IntersectionObserver' in window) {
    new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && !panel.hidden && state.view === 'orders') loadMore();
    }, { rootMargin: '600px 0px' }).observe(sentinel);
  }
}

/** Called by the router for #/orders… routes. */
export function showOrdersRoute({ status = '', q = '', view = 'orders' }) {
  const validStatus = STATUSES.some(([value]) => value === status) ? status : '';
  const changed = validStatus !== state.status || q !== state.q;
  state.status = validStatus;
  state.q = q;
  if (els.status.value !== validStatus) els.status.value = validStatus;
  if (els.search.value.trim() !== q && document.activeElement !== els.search) els.search.value = q;
  setView(view);
  if (changed || !state.loadedOnce) loadFirstPage();
}

/** The first page is needed whatever tab is open (live merge, catch-up, the ready flag). */
export function ensureOrdersLoaded() {
  if (!state.loadedOnce && !state.loading) loadFirstPage();
}

export function currentFilters() { return { status: state.status, q: state.q }; }

function setView(view) {
  state.view = view;
  const rejected = view === 'rejected';
  els.ordersView.hidden = rejected;
  els.rejectedView.hidden = !rejected;
  els.viewOrders.toggleAttribute('aria-current', !rejected);
  els.viewRejected.toggleAttribute('aria-current', rejected);
  if (!rejected) els.viewOrders.setAttribute('aria-current', 'page'); else els.viewRejected.setAttribute('aria-current', 'page');
  els.viewOrders.classList.toggle('active', !rejected);
  els.viewRejected.classList.toggle('active', rejected);
  els.viewOrders.href = `#/orders${filterQuery()}`;
  if (rejected) loadRejected();
}

function filterQuery() {
  const p = new URLSearchParams();
  if (state.status) p.set('status', state.status);
  if (state.q) p.set('q', state.q);
  const s = p.toString();
  return s ? `?${s}` : '';
}

// ---------------------------------------------------------------- loading pages

function params(cursor) {
  const p = { limit: PAGE };
  if (cursor) p.cursor = cursor;
  if (state.status) p.status = state.status;
  if (state.q) p.q = state.q;
  return p;
}

export async function loadFirstPage() {
  const generation = ++state.generation;
  if (state.controller) state.controller.abort();
  const controller = new AbortController();
  state.controller = controller;
  state.loading = true;
  state.firstPageLoading = true;
  state.pending = [];
  state.rows.clear();
  state.nextCursor = null;
  state.oldestCreated = null;
  els.empty.hidden = true;
  els.more.hidden = true;
  els.table.hidden = false;
  els.table.setAttribute('aria-busy', 'true');
  replace(els.body, skeletonRows(6));
  els.count.textContent = 'Loading orders…';
  try {
    const page = await admin.orders(params(null), controller.signal);
    if (generation !== state.generation) return;
    els.body.replaceChildren();
    addPage(page);
  } catch (err) {
    if (err.name === 'AbortError' || generation !== state.generation) return;
    els.body.replaceChildren();
    showLoadError(err);
  } finally {
    if (generation === state.generation) {
      state.loading = false;
      state.firstPageLoading = false;
      const pending = state.pending;
      state.pending = [];
      for (const order of pending) receiveOrder(order, { flash: false });
      els.table.removeAttribute('aria-busy');
      const first = !state.loadedOnce;
      state.loadedOnce = true;
      if (first && onFirstRender) onFirstRender();
      updateFoot();
    }
  }
}

async function loadMore() {
  if (state.loading || !state.nextCursor || state.view !== 'orders') return;
  const generation = state.generation;
  state.loading = true;
  els.more.disabled = true;
  els.more.textContent = 'Loading…';
  let ok = false;
  try {
    const page = await admin.orders(params(state.nextCursor), state.controller?.signal);
    if (generation !== state.generation) return;
    addPage(page);
    ok = true;
  } catch (err) {
    if (err.name === 'AbortError' || generation !== state.generation) return;
    toast(`Could not load more orders: ${err.message}`, 'error');
  } finally {
    if (generation === state.generation) state.loading = false;
    els.more.disabled = false;
    els.more.textContent = 'Load more';
    updateFoot();
    // Still near the bottom (the observer only fires on changes): keep filling.
    if (ok) requestAnimationFrame(() => { if (sentinelNear()) loadMore(); });
  }
}

function sentinelNear() {
  if (els.panel.hidden || state.view !== 'orders' || !state.nextCursor) return false;
  const r = els.sentinel.getBoundingClientRect();
  return r.top < window.innerHeight + 600;
}

function addPage(page) {
  const frag = document.createDocumentFragment();
  for (const order of page.orders || []) {
    noteUpdated(order);
    noteCreated(order);
    if (state.rows.has(order.id)) { updateEntry(state.rows.get(order.id), order, false); continue; }
    const tr = renderRow(order);
    state.rows.set(order.id, { order, tr });
    frag.append(tr);
  }
  els.body.append(frag);
  state.nextCursor = page.next_cursor || null;
  if (!state.rows.size) renderEmpty(); else els.empty.hidden = true;
}

function showLoadError(err) {
  els.table.hidden = true;
  els.empty.hidden = false;
  const retry = h('button', { type: 'button', class: 'btn btn-secondary' }, icon('refresh'), 'Try again');
  retry.addEventListener('click', () => loadFirstPage());
  replace(els.empty, emptyState({
    iconName: 'alert',
    title: err.status === 422 ? 'That search could not be run' : 'Orders could not be loaded',
    body: err.message,
    actions: retry,
  }));
}

function renderEmpty() {
  els.table.hidden = true;
  els.empty.hidden = false;
  if (state.status || state.q) {
    const clear = h('button', { type: 'button', class: 'btn btn-secondary', id: 'orders-clear-filters' }, 'Clear filters');
    clear.addEventListener('click', () => {
      els.search.value = '';
      routeChange({ status: '', q: '' });
      showOrdersRoute({ status: '', q: '' });
    });
    replace(els.empty, emptyState({
      iconName: 'search',
      title: 'No orders match',
      body: state.q ? `Nothing found for “${state.q}”${state.status ? ` with status ${state.status}` : ''}.` : `No ${state.status} orders yet.`,
      actions: clear,
    }));
    return;
  }
  const step = (n, title, body) => h('li', {}, h('span', { class: 'step-num', text: String(n) }),
    h('div', {}, h('strong', { text: title }), h('div', { class: 'muted', text: '' }, body)));
  const uid = state.userId ?? 'N';
  replace(els.empty, h('div', { class: 'onboarding' },
    emptyState({
      iconName: 'store',
      title: 'No orders yet',
      body: 'New Shopify orders appear here the moment they arrive, no reload needed. Three steps to your first confirmation:',
    }),
    h('ol', { class: 'steps' },
      step(1, 'Add the webhook in Shopify', [h('a', { href: '#/settings', class: 'link', text: 'Copy your webhook URL' }), ' and signing secret in Settings.']),
      step(2, 'Connect WhatsApp', [h('a', { href: '#/whatsapp', class: 'link', text: 'Link your phone' }), ' by scanning a QR code, or use the Cloud API.']),
      step(3, 'Send a test order', ['Run ', h('code', { text: `shopify-whatsapp trigger-order --user-id ${uid}` }), ' on the server, or place an order in your store.']))));
}

function updateFoot() {
  const n = state.rows.size;
  if (!state.status && !state.q) document.dispatchEvent(new CustomEvent('sw:orders-count', { detail: n }));
  els.more.hidden = !state.nextCursor;
  if (!n) { els.count.textContent = ''; return; }
  els.count.textContent = state.nextCursor
    ? `Showing the newest ${n.toLocaleString()} orders. Scroll for more.`
    : `${n.toLocaleString()} order${n === 1 ? '' : 's'}${state.status || state.q ? ' match' : ''}. That’s all.`;
}

function skeletonRows(n) {
  return Array.from({ length: n }, () => h('tr', { class: 'skeleton-row', 'aria-hidden': 'true' },
    Array.from({ length: 7 }, () => h('td', {}, h('span', { class: 'skeleton' })))));
}

// ---------------------------------------------------------------- rows

function renderRow(order, isNew = false) {
  const tr = h('tr', { 'data-order-id': order.id, class: ['order-row', isNew && 'flash-new'] });
  fillRow(tr, order);
  return tr;
}

function fillRow(tr, order) {
  tr.dataset.status = order.status;
  const msg = order.message || {};
  const messageCell = h('td', { class: 'col-message', 'data-label': 'Message' }, messageBadge(msg.state));
  if (msg.state === 'scheduled' && msg.scheduled_at) {
    messageCell.append(h('div', { class: 'cell-sub' }, icon('clock', 'icon-sm'), timeEl(msg.scheduled_at)));
  } else if (msg.state === 'sending' && msg.attempts > 1) {
    messageCell.append(h('div', { class: 'cell-sub', text: `attempt ${msg.attempts}` }));
  }
  if (msg.last_error) {
    messageCell.title = msg.last_error;
    messageCell.append(h('div', { class: 'cell-sub cell-error', text: msg.last_error }));
  }
  tr.replaceChildren(
    h('td', { class: 'col-number', 'data-label': 'Order' },
      h('a', { href: `#/orders/${encodeURIComponent(order.id)}`, class: 'order-link', text: order.order_number || `#${order.id}` }),
      order.test ? h('span', { class: 'chip chip-test', title: 'Shopify test order: never messaged', text: 'Test' }) : null),
    h('td', { class: 'col-customer', 'data-label': 'Customer', text: order.customer_name || '—' }),
    h('td', { class: 'col-total', 'data-label': 'Total', text: orderTotal(order) }),
    h('td', { class: 'col-status', 'data-label': 'Status' }, statusBadge(order.status), syncBadge(order.shopify_sync)),
    h('td', { class: ['col-slot', !order.slot && 'muted'], 'data-label': 'Slot', text: order.slot || '—' }),
    messageCell,
    h('td', { class: 'col-created', 'data-label': 'Placed' }, timeEl(order.created_at)));
}

function updateEntry(entry, order, flash = true) {
  const oldMs = parseTime(entry.order.updated_at) ?? 0;
  const newMs = parseTime(order.updated_at) ?? 0;
  if (newMs < oldMs) return false; // a stale frame: keep what is newer
  const changed = JSON.stringify(entry.order) !== JSON.stringify(order);
  entry.order = order;
  if (!changed) return false;
  fillRow(entry.tr, order);
  if (flash) {
    entry.tr.classList.remove('flash');
    void entry.tr.offsetWidth; // restart the animation
    entry.tr.classList.add('flash');
  }
  return true;
}

function noteUpdated(order) {
  const ms = parseTime(order.updated_at);
  if (ms === null) return;
  if (!state.maxUpdated || ms > state.maxUpdated.ms) state.maxUpdated = { raw: order.updated_at, ms };
}

function noteCreated(order) {
  const ms = parseTime(order.created_at);
  if (ms === null) return;
  if (state.oldestCreated === null || ms < state.oldestCreated) state.oldestCreated = ms;
}

function matchesFilter(order) {
  if (state.status && order.status !== state.status) return false;
  const needle = state.q.toLowerCase();
  if (!needle) return true;
  const hay = [order.order_number, order.customer_name, order.email].filter(Boolean).map((v) => String(v).toLowerCase());
  if (hay.some((v) => v.includes(needle))) return true;
  const digits = needle.replace(/\D/g, '');
  return !!(order.phone && (order.phone.includes(needle) || (digits.length >= 3 && order.phone.replace(/\D/g, '').includes(digits))));
}

/** An order from a live frame, a catch-up page or an action. */
export function receiveOrder(order, { kind = 'order.updated', flash = true } = {}) {
  if (!order || order.id === undefined) return;
  order.id = String(order.id);
  noteUpdated(order);
  const entry = state.rows.get(order.id);
  if (entry) { updateEntry(entry, order, flash); return; }
  if (state.firstPageLoading) { state.pending.push(order); return; } // replayed once the page is in
  if (!matchesFilter(order)) return;
  // An order older than everything loaded, while older pages exist, arrives with paging.
  const created = parseTime(order.created_at);
  if (kind !== 'order.created' && state.nextCursor && created !== null && state.oldestCreated !== null && created < state.oldestCreated) return;
  const tr = renderRow(order, flash);
  state.rows.set(order.id, { order, tr });
  els.body.prepend(tr);
  els.table.hidden = false;
  els.empty.hidden = true;
  updateFoot();
}

/** After a reconnect: fetch what changed since the newest updated_at seen and merge it. */
export async function catchUp() {
  if (!state.loadedOnce || !state.maxUpdated) return 0;
  const since = state.maxUpdated.raw;
  const sinceMs = state.maxUpdated.ms;
  const found = [];
  let cursor = null;
  for (let pages = 0; pages < 25; pages += 1) {
    const p = { updated_since: since, limit: 200 };
    if (cursor) p.cursor = cursor;
    let page;
    try { page = await admin.orders(p); } catch (err) {
      if (err instanceof ApiError && err.status === 422) break; // a server without updated_since
      throw err;
    }
    const list = page.orders || [];
    let older = false;
    for (const order of list) {
      const ms = parseTime(order.updated_at);
      if (ms !== null && ms < sinceMs) { older = true; continue; } // server ignored the filter
      found.push(order);
    }
    cursor = page.next_cursor;
    if (!cursor || older) break;
  }
  // Oldest first, so the newest unknown order ends up on top.
  for (const order of found.reverse()) receiveOrder(order, { kind: 'catch-up' });
  return found.length;
}

// ---------------------------------------------------------------- rejected deliveries

async function loadRejected() {
  replace(els.rejectedBody, skeletonRows(3));
  const emptyEl = els.rejectedView.querySelector('#rejected-empty');
  emptyEl.hidden = true;
  try {
    const data = await admin.rejected();
    const list = data.rejected || [];
    els.rejectedBody.replaceChildren(...list.map((r) => h('tr', {},
      h('td', { 'data-label': 'Received' }, h('time', { datetime: r.received_at, title: dateTime(r.received_at, true), text: dateTime(r.received_at) })),
      h('td', { 'data-label': 'Topic' }, r.topic ? h('code', { text: r.topic }) : h('span', { class: 'muted', text: 'none' })),
      h('td', { 'data-label': 'Webhook ID', class: 'mono small' }, r.webhook_id || '—'),
      h('td', { 'data-label': 'Reason', text: r.reason }),
      h('td', { 'data-label': 'Size', class: 'num', text: bytes(r.bytes) }))));
    els.rejectedView.querySelector('table').hidden = !list.length;
    if (!list.length) {
      emptyEl.hidden = false;
      replace(emptyEl, emptyState({ iconName: 'check', title: 'No rejected deliveries', body: 'Every signed delivery from Shopify could be used.' }));
    }
  } catch (err) {
    els.rejectedBody.replaceChildren();
    emptyEl.hidden = false;
    replace(emptyEl, emptyState({ iconName: 'alert', title: 'Could not load rejected deliveries', body: err.message }));
  }
}
