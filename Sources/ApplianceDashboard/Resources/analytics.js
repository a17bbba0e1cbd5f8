// The Analytics tab: the four headline cards, an SVG daily chart drawn here (with a data table
// for screen readers), the message funnel and the status breakdown.

import { admin } from './api.js';
import { h, s, icon, replace, number, percent, emptyState, spinner, debounce } from './ui.js';

let els = {};
let data = null;
let days = 30;
let loading = null;

export function mountAnalytics(panel) {
  const stat = (id, label, iconName) => h('div', { class: 'card stat-card', 'data-stat': id },
    h('div', { class: 'stat-top' }, h('span', { class: 'stat-label', id: `${id}-label`, text: label }), h('span', { class: 'stat-icon', 'aria-hidden': 'true' }, icon(iconName))),
    h('p', { class: 'stat-value', id, 'aria-labelledby': `${id}-label ${id}`, text: '–' }),
    h('p', { class: 'stat-sub muted', id: `${id}-sub` }));

  const range = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Period' },
    [7, 30, 90].map((d) => {
      const b = h('button', { type: 'button', class: ['segment', d === days && 'active'], 'data-days': d, 'aria-pressed': String(d === days) }, `${d} days`);
      b.addEventListener('click', () => {
        days = d;
        for (const x of range.querySelectorAll('button')) { const on = Number(x.dataset.days) === d; x.classList.toggle('active', on); x.setAttribute('aria-pressed', String(on)); }
        loadAnalytics();
      });
      return b;
    }));

  const chartBox = h('div', { class: 'chart-box', id: 'daily-chart-box' });
  const legend = h('ul', { class: 'legend', 'aria-hidden': 'true' },
    h('li', {}, h('span', { class: 'key key-orders' }), 'Orders'),
    h('li', {}, h('span', { class: 'key key-confirmed' }), 'Confirmed'),
    h('li', {}, h('span', { class: 'key key-cancelled' }), 'Cancelled'));
  const table = h('details', { class: 'chart-table' }, h('summary', { text: 'Show the numbers as a table' }), h('div', { id: 'daily-table' }));

  const funnel = h('ul', { id: 'message-funnel', class: 'funnel' });
  const breakdown = h('div', { id: 'status-breakdown' });

  replace(panel,
    h('div', { class: 'panel-head' },
      h('div', {}, h('h2', { class: 'panel-title', text: 'Analytics' }),
        h('p', { class: 'muted', id: 'analytics-lead', text: 'How your confirmations are doing.' })),
      range),
    h('div', { class: 'stats-grid' },
      stat('stat-total', 'Total orders', 'store'),
      stat('stat-confirmation', 'Confirmation rate', 'check'),
      stat('stat-cancellation', 'Cancellation rate', 'x'),
      stat('stat-delivery', 'Delivery success', 'truck')),
    h('div', { class: 'analytics-grid' },
      h('section', { class: 'card chart-card', 'aria-labelledby': 'chart-heading' },
        h('div', { class: 'card-head card-head-row' }, h('h3', { class: 'card-title', id: 'chart-heading', text: 'Orders per day' }), legend),
        h('div', { class: 'card-body' }, chartBox, table)),
      h('div', { class: 'side-stack' },
        h('section', { class: 'card', 'aria-labelledby': 'funnel-heading' },
          h('div', { class: 'card-head' }, h('h3', { class: 'card-title', id: 'funnel-heading', text: 'Messages' }),
            h('p', { class: 'muted small', text: 'All time. A read message also counts as sent and delivered.' })),
          h('div', { class: 'card-body' }, funnel)),
        h('section', { class: 'card', 'aria-labelledby': 'breakdown-heading' },
          h('div', { class: 'card-head' }, h('h3', { class: 'card-title', id: 'breakdown-heading', text: 'Orders by status' })),
          h('div', { class: 'card-body' }, breakdown)))));

  els = { panel, chartBox, table, funnel, breakdown };
  replace(chartBox, h('div', { class: 'center pad' }, spinner('Loading analytics')));

  if ('ResizeObserver' in window) {
    let lastWidth = 0;
    new ResizeObserver(debounce(() => {
      const w = chartBox.clientWidth;
      if (data && w && Math.abs(w - lastWidth) > 4) { lastWidth = w; drawChart(data.daily || []); }
    }, 120)).observe(chartBox);
  }
}

export function loadAnalytics() {
  if (loading) return loading;
  loading = (async () => {
    try {
      data = await admin.analytics(days);
      render(data);
    } catch (err) {
      if (!data) replace(els.chartBox, emptyState({ iconName: 'alert', title: 'Analytics could not be loaded', body: err.message }));
    } finally {
      loading = null;
    }
  })();
  return loading;
}

function setStat(id, value, sub) {
  document.getElementById(id).textContent = value;
  document.getElementById(`${id}-sub`).textContent = sub;
}

function render(a) {
  const total = a.total_orders || 0;
  const confirmedAll = (a.confirmed || 0) + (a.delivered || 0);
  setStat('stat-total', number(total), `${number(a.pending)} waiting for confirmation`);
  setStat('stat-confirmation', percent(a.confirmation_rate), `${number(confirmedAll)} of ${number(total)} confirmed or delivered`);
  setStat('stat-cancellation', percent(a.cancellation_rate), `${number(a.cancelled)} of ${number(total)} cancelled`);
  setStat('stat-delivery', percent(a.delivery_success_rate), `${number(a.delivered)} of ${number(confirmedAll)} confirmed orders delivered`);
  drawChart(a.daily || []);
  drawTable(a.daily || []);
  drawFunnel(a.messages || {});
  drawBreakdown(a);
}

// ---------------------------------------------------------------- the daily chart

function niceMax(v) {
  if (v <= 4) return 4;
  const mag = 10 ** Math.floor(Math.log10(v));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * mag * 4 >= v) return step * mag * 4;
  return Math.ceil(v / mag) * mag;
}

const dayFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const dayLong = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });
const dayLabel = (date, long = false) => {
  const t = Date.parse(`${date}T00:00:00Z`);
  return Number.isFinite(t) ? (long ? dayLong : dayFmt).format(new Date(t)) : date;
};

function drawChart(daily) {
  const box = els.chartBox;
  const totalOrders = daily.reduce((n, d) => n + d.orders, 0);
  const totalConfirmed = daily.reduce((n, d) => n + d.confirmed, 0);
  const totalCancelled = daily.reduce((n, d) => n + d.cancelled, 0);
  const width = Math.max(300, box.clientWidth || 640);
  const height = width < 500 ? 220 : 260;
  const m = { top: 12, right: 12, bottom: 28, left: 36 };
  const iw = width - m.left - m.right;
  const ih = height - m.top - m.bottom;
  const max = niceMax(Math.max(1, ...daily.map((d) => d.orders)));
  const n = Math.max(1, daily.length);
  const band = iw / n;
  const x = (i) => m.left + band * i + band / 2;
  const y = (v) => m.top + ih - (v / max) * ih;
  const best = daily.reduce((b, d) => (d.orders > (b?.orders ?? -1) ? d : b), null);

  const svg = s('svg', {
    id: 'daily-chart', class: 'chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'daily-chart-title daily-chart-desc',
  },
  s('title', { id: 'daily-chart-title', text: `Orders per day, last ${daily.length} days` }),
  s('desc', {
    id: 'daily-chart-desc',
    text: daily.length
      ? `${totalOrders} orders from ${dayLabel(daily[0].date)} to ${dayLabel(daily[daily.length - 1].date)}: ${totalConfirmed} confirmed, ${totalCancelled} cancelled.${best && best.orders ? ` Busiest day ${dayLabel(best.date)} with ${best.orders}.` : ''} The table below lists every day.`
      : 'No data yet.',
  }));

  // Grid and y axis.
  const ticks = 4;
  const grid = s('g', { class: 'chart-grid', 'aria-hidden': 'true' });
  for (let i = 0; i <= ticks; i += 1) {
    const v = (max / ticks) * i;
    const yy = Math.round(y(v)) + 0.5;
    grid.append(s('line', { x1: m.left, x2: width - m.right, y1: yy, y2: yy, class: i === 0 ? 'axis-line' : 'grid-line' }));
    grid.append(s('text', { x: m.left - 8, y: yy + 4, class: 'axis-text', 'text-anchor': 'end', text: Number.isInteger(v) ? String(v) : v.toFixed(1) }));
  }
  svg.append(grid);

  // X labels: as many as fit.
  const labelEvery = Math.max(1, Math.ceil(n / Math.floor(iw / 58)));
  const xAxis = s('g', { class: 'chart-x', 'aria-hidden': 'true' });
  daily.forEach((d, i) => {
    if ((n - 1 - i) % labelEvery !== 0) return;
    xAxis.append(s('text', { x: x(i), y: height - 8, class: 'axis-text', 'text-anchor': 'middle', text: dayLabel(d.date) }));
  });
  svg.append(xAxis);

  // Bars: orders.
  const bw = Math.max(2, Math.min(28, band * 0.62));
  const bars = s('g', { class: 'bars', 'aria-hidden': 'true' });
  daily.forEach((d, i) => {
    if (!d.orders) return;
    const top = y(d.orders);
    bars.append(s('rect', { x: x(i) - bw / 2, y: top, width: bw, height: m.top + ih - top, rx: Math.min(4, bw / 3), class: 'bar-orders' }));
  });
  svg.append(bars);

  // Lines: confirmed (circles) and cancelled (squares).
  const line = (key, cls, marker) => {
    const g = s('g', { class: cls, 'aria-hidden': 'true' });
    const pts = daily.map((d, i) => `${x(i).toFixed(1)},${y(d[key]).toFixed(1)}`);
    if (pts.length > 1) g.append(s('polyline', { points: pts.join(' '), class: 'line' }));
    if (n <= 45) {
      daily.forEach((d, i) => {
        if (marker === 'circle') g.append(s('circle', { cx: x(i), cy: y(d[key]), r: 3.5, class: 'marker' }));
        else g.append(s('rect', { x: x(i) - 3.5, y: y(d[key]) - 3.5, width: 7, height: 7, class: 'marker' }));
      });
    }
    return g;
  };
  svg.append(line('confirmed', 'series-confirmed', 'circle'));
  svg.append(line('cancelled', 'series-cancelled', 'square'));

  // Hover targets with native tooltips.
  const hits = s('g', { class: 'hits' });
  daily.forEach((d, i) => {
    hits.append(s('rect', { x: m.left + band * i, y: m.top, width: band, height: ih, class: 'hit' },
      s('title', { text: `${dayLabel(d.date, true)}: ${d.orders} orders, ${d.confirmed} confirmed, ${d.cancelled} cancelled` })));
  });
  svg.append(hits);

  const wrap = [svg];
  if (!totalOrders) wrap.push(h('p', { class: 'chart-empty muted', text: 'No orders in this period yet. The chart fills in as orders arrive.' }));
  replace(box, wrap);
}

function drawTable(daily) {
  const rows = [...daily].reverse();
  replace(document.getElementById('daily-table'), h('div', { class: 'table-scroll table-limit' },
    h('table', { class: 'data-table compact' },
      h('caption', { class: 'visually-hidden', text: 'Orders per day, newest first' }),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Date' }), h('th', { scope: 'col', class: 'num', text: 'Orders' }),
        h('th', { scope: 'col', class: 'num', text: 'Confirmed' }), h('th', { scope: 'col', class: 'num', text: 'Cancelled' }))),
      h('tbody', {}, rows.map((d) => h('tr', {},
        h('th', { scope: 'row', text: dayLabel(d.date, true) }), h('td', { class: 'num', text: number(d.orders) }),
        h('td', { class: 'num', text: number(d.confirmed) }), h('td', { class: 'num', text: number(d.cancelled) })))))));
}

function drawFunnel(msg) {
  const sent = msg.sent || 0;
  const max = Math.max(1, sent, msg.failed || 0);
  const row = (key, label, value, note, iconName) => {
    const bar = h('span', { class: `funnel-fill fill-${key}` });
    bar.style.width = `${Math.max(value ? 2 : 0, (value / max) * 100)}%`;
    return h('li', { class: 'funnel-row', 'data-key': key },
      h('div', { class: 'funnel-label' }, icon(iconName, 'icon-sm'), h('span', { text: label }),
        h('span', { class: 'funnel-value' }, note ? h('span', { class: 'funnel-note muted', text: `${note} · ` }) : null, number(value))),
      h('div', { class: 'funnel-track', 'aria-hidden': 'true' }, bar));
  };
  const pct = (v) => (sent ? `${percent(v / sent)} of sent` : '');
  replace(els.funnel,
    row('sent', 'Sent', sent, '', 'send'),
    row('delivered', 'Delivered', msg.delivered || 0, pct(msg.delivered || 0), 'checks'),
    row('read', 'Read', msg.read || 0, pct(msg.read || 0), 'eye'),
    row('failed', 'Failed', msg.failed || 0, msg.failed ? 'never reached WhatsApp' : '', 'alert'));
}

function drawBreakdown(a) {
  const total = a.total_orders || 0;
  const parts = [['pending', 'Pending', 'clock'], ['confirmed', 'Confirmed', 'check'], ['delivered', 'Delivered', 'truck'], ['cancelled', 'Cancelled', 'x']];
  const bar = h('div', { class: 'stack-bar', 'aria-hidden': 'true' });
  for (const [key] of parts) {
    if (!a[key]) continue;
    const seg = h('span', { class: `stack-seg seg-${key}` });
    seg.style.flexGrow = String(a[key]);
    bar.append(seg);
  }
  if (!total) bar.append(h('span', { class: 'stack-seg seg-empty' }));
  replace(els.breakdown, bar, h('ul', { class: 'breakdown-list' }, parts.map(([key, label, iconName]) => h('li', {},
    h('span', { class: 'badge', 'data-status': key }, icon(iconName), h('span', { class: 'badge-label', text: label })),
    h('span', { class: 'breakdown-num', text: number(a[key] || 0) }),
    h('span', { class: 'muted small', text: total ? percent((a[key] || 0) / total) : '' })))));
}
