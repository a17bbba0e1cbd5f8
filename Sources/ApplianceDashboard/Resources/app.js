// Boot, hash router (#/orders, #/orders/<id>, #/orders/rejected, #/settings, #/whatsapp,
// #/analytics), header and tabs, and the wiring between the live feed and the views.

import { admin, api, ApiError, session, onUnauthorized } from './api.js';
import { showAuthScreen, hideAuthScreen, reauth, logout } from './auth.js';
import { live, livePill, start as startLive, liveState } from './live.js';
import {
  mountOrders, showOrdersRoute, receiveOrder, catchUp, ordersReadyHandler, currentFilters, setOnboarding, ensureOrdersLoaded,
} from './orders.js';
import { mountOrderDetail, openOrder, closeOrder, orderChanged, openOrderId } from './order-detail.js';
import { mountSettings, loadSettings, setAccount } from './settings.js';
import { mountWhatsApp, loadWhatsApp, showWhatsApp, applyStatus } from './whatsapp.js';
import { mountAnalytics, loadAnalytics } from './analytics.js';
import { $, h, icon, refreshRelativeTimes, throttle, toast } from './ui.js';

const TABS = ['orders', 'settings', 'whatsapp', 'analytics'];
const TAB_TITLES = { orders: 'Orders', settings: 'Settings', whatsapp: 'WhatsApp', analytics: 'Analytics' };

let started = false;
let currentTab = null;
let shopName = '';
let firstOrdersLoaded = false;
let unseen = 0;

onUnauthorized(() => reauth());

// ---------------------------------------------------------------- routing

function parseHash() {
  const raw = window.location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map((p) => { try { return decodeURIComponent(p); } catch { return p; } });
  const params = Object.fromEntries(new URLSearchParams(query));
  const tab = TABS.includes(parts[0]) ? parts[0] : 'orders';
  let orderId = null;
  let view = 'orders';
  if (tab === 'orders' && parts[1]) {
    if (parts[1] === 'rejected') view = 'rejected';
    else orderId = parts[1];
  }
  return { tab, orderId, view, params };
}

function route() {
  if (!started) return;
  const { tab, orderId, view, params } = parseHash();
  selectTab(tab);
  if (tab === 'orders') {
    if (orderId) {
      if (!firstOrdersLoaded) showOrdersRoute({ status: params.status || '', q: params.q || '' });
      openOrder(orderId);
      return;
    }
    showOrdersRoute({ status: params.status || '', q: params.q || '', view });
  } else if (tab === 'settings') {
    loadSettings().catch(() => {});
  } else if (tab === 'whatsapp') {
    showWhatsApp();
  } else if (tab === 'analytics') {
    loadAnalytics();
  }
  if (openOrderId()) closeOrder();
}

function ordersHash(filters = currentFilters()) {
  const p = new URLSearchParams();
  if (filters.status) p.set('status', filters.status);
  if (filters.q) p.set('q', filters.q);
  const q = p.toString();
  return `#/orders${q ? `?${q}` : ''}`;
}

function selectTab(tab) {
  if (currentTab === tab) return;
  const previous = currentTab;
  currentTab = tab;
  for (const name of TABS) {
    const button = document.getElementById(`tab-${name}`);
    const panel = document.getElementById(`panel-${name}`);
    const on = name === tab;
    button.setAttribute('aria-selected', String(on));
    button.tabIndex = on ? 0 : -1;
    panel.hidden = !on;
  }
  updateTitle();
  // Move focus to the panel only when the user switched tabs by keyboard/mouse, not at boot.
  if (previous && document.activeElement?.getAttribute('role') !== 'tab') document.getElementById(`panel-${tab}`).focus({ preventScroll: true });
  window.scrollTo({ top: 0 });
}

function updateTitle() {
  const prefix = unseen ? `(${unseen}) ` : '';
  document.title = `${prefix}${TAB_TITLES[currentTab] || 'Dashboard'}${shopName ? ` · ${shopName}` : ''} · Shopify WhatsApp`;
}

// ---------------------------------------------------------------- shell

function wireTabs() {
  const tabs = TABS.map((name) => document.getElementById(`tab-${name}`));
  tabs.forEach((button, i) => {
    button.addEventListener('click', () => {
      const name = TABS[i];
      const target = name === 'orders' ? ordersHash() : `#/${name}`;
      if (window.location.hash !== target) window.location.hash = target; else route();
    });
    button.addEventListener('keydown', (e) => {
      let next = null;
      if (e.key === 'ArrowRight') next = (i + 1) % tabs.length;
      else if (e.key === 'ArrowLeft') next = (i - 1 + tabs.length) % tabs.length;
      else if (e.key === 'Home') next = 0;
      else if (e.key === 'End') next = tabs.length - 1;
      if (next === null) return;
      e.preventDefault();
      tabs[next].focus();
      tabs[next].click();
    });
  });
}

function setShopName(name) {
  shopName = name || '';
  $('#shop-name').textContent = shopName || 'Your shop';
  updateTitle();
}

const refreshHold = throttle(() => {
  admin.settings().then((s) => document.dispatchEvent(new CustomEvent('sw:shopify-hold', { detail: s?.shopify?.hold_reason || null })))
    .catch(() => {});
}, 3000);

function mountAll() {
  $('#live-slot').replaceWith(livePill());
  $('#logout').addEventListener('click', () => { document.body.dataset.leaving = '1'; logout(); });
  wireTabs();
  mountOrders($('#panel-orders'), {
    onFilters: (filters) => history.replaceState(null, '', ordersHash(filters)),
  });
  mountOrderDetail({
    onClose: () => { if (parseHash().orderId) window.location.hash = ordersHash(); },
  });
  mountSettings($('#panel-settings'));
  mountWhatsApp($('#panel-whatsapp'));
  mountAnalytics($('#panel-analytics'));

  ordersReadyHandler(() => {
    firstOrdersLoaded = true;
    document.body.dataset.ready = '1';
    performance.mark('orders-ready');
    // For `bench dashboard`: when the first page of orders has been painted.
    requestAnimationFrame(() => setTimeout(() => performance.mark('orders-painted'), 0));
    if (liveState() === 'live') catchUp().catch(() => {});
  });

  document.addEventListener('sw:settings', (e) => setShopName(e.detail.shop_name));
  // One banner for a tenant whose Shopify token is refused (not one error per order).
  const holdBanner = h('div', { id: 'shopify-hold-banner', class: 'callout callout-warn banner', role: 'alert', hidden: true });
  $('#panel-orders').prepend(holdBanner);
  document.addEventListener('sw:shopify-hold', (e) => {
    holdBanner.hidden = !e.detail;
    if (e.detail) {
      const fix = h('a', { href: '#/settings', class: 'link', text: 'Open Settings › Shopify write-back' });
      holdBanner.replaceChildren(icon('alert'), h('div', {}, h('strong', { text: 'Shopify write-back is paused: ' }),
        h('span', { text: `${String(e.detail).replace(/\.?$/, '.')} ` }), fix));
    }
  });
  document.addEventListener('sw:dirty', (e) => $('#tab-settings').classList.toggle('has-dot', !!e.detail));
  document.addEventListener('sw:wa', (e) => {
    const tab = $('#tab-whatsapp');
    const st = e.detail;
    const ok = st.state === 'connected' || st.provider === 'log';
    tab.dataset.wa = ok ? 'ok' : ['expired', 'error'].includes(st.state) ? 'bad' : 'warn';
    $('#tab-whatsapp-note').textContent = ok ? '' : ` (${st.state === 'expired' ? 'logged out' : st.state === 'error' ? 'error' : 'not connected'})`;
  });

  const refreshAnalytics = throttle(() => { if (currentTab === 'analytics') loadAnalytics(); }, 5000);
  live.addEventListener('frame', (e) => {
    const frame = e.detail;
    if (frame.type === 'order.created' || frame.type === 'order.updated') {
      receiveOrder(frame.order, { kind: frame.type });
      orderChanged(frame.order);
      // A write-back held (token refused) or released: the banner follows the settings.
      const syncState = frame.order?.shopify_sync?.state;
      const bannerShown = !document.getElementById('shopify-hold-banner')?.hidden;
      if ((syncState === 'held') !== bannerShown && (syncState === 'held' || syncState === 'done')) refreshHold();
      refreshAnalytics();
      if (frame.type === 'order.created') {
        if (document.hidden) { unseen += 1; updateTitle(); }
        if (currentTab !== 'orders') toast(`New order ${frame.order.order_number || ''} from ${frame.order.customer_name || 'a customer'}`, 'info', 3500);
      }
    } else if (frame.type === 'whatsapp.status') {
      applyStatus(frame.whatsapp);
    }
  });
  live.addEventListener('open', () => {
    if (firstOrdersLoaded) catchUp().catch(() => {});
    loadWhatsApp();
    if (currentTab === 'analytics') loadAnalytics();
  });
  document.addEventListener('visibilitychange', () => { if (!document.hidden && unseen) { unseen = 0; updateTitle(); } });

  window.addEventListener('hashchange', route);
  setInterval(() => refreshRelativeTimes(document), 30000);
  document.addEventListener('keydown', (e) => {
    if (e.key === '/' && !e.ctrlKey && !e.metaKey && !/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName) && !document.querySelector('dialog[open]')) {
      const search = $('#order-search');
      if (search && currentTab === 'orders') { e.preventDefault(); search.focus(); }
    }
  });
}

async function startDashboard(user) {
  hideAuthScreen();
  if (user) session.user = user;
  if (!started) {
    mountAll();
    started = true;
  }
  const u = session.user;
  $('#account-email').textContent = u?.email || '';
  setShopName(shopName);
  if (/^#(login|signup)?$/.test(window.location.hash) || !window.location.hash) history.replaceState(null, '', '#/orders');
  route();
  ensureOrdersLoaded();
  startLive();
  // Account details (webhook URL, id) and settings (shop name) in the background.
  api('/api/v1/auth/me').then((me) => {
    if (!me) return;
    session.user = { ...(session.user || {}), id: me.id, email: me.email };
    $('#account-email').textContent = me.email;
    setOnboarding({ webhookUrl: me.webhook_url, userId: me.id });
    setAccount(me);
  }).catch(() => {});
  loadSettings().catch(() => {});
  loadWhatsApp();
}

async function boot() {
  if (!session.token || session.expired) {
    session.token = null;
    showAuthScreen(startDashboard);
    return;
  }
  // A token that has not expired: open the dashboard at once (the orders load in parallel
  // with /auth/me). A token the server refuses brings the login dialog over the page.
  if (session.user) {
    startDashboard();
    return;
  }
  try {
    const me = await api('/api/v1/auth/me');
    session.user = { id: me.id, email: me.email };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      session.token = null;
      showAuthScreen(startDashboard);
      return;
    }
    // Offline or server trouble: open the dashboard anyway; it retries by itself.
  }
  startDashboard();
}

boot();

