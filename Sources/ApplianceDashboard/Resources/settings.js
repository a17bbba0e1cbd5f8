// The Settings tab (#settings-form): Shopify webhook setup, message (delay, mode, template with
// live preview), WhatsApp provider (Cloud API fields), timezone and quiet hours. Only changed
// fields are PUT; a 422 names the field, which is marked invalid while the input is kept.

import { admin, ApiError, session } from './api.js';
import { h, icon, replace, copyField, debounce, toast, spinner, emptyState } from './ui.js';
import { getCachedOrder } from './orders.js';

const DEFAULT_PLACEHOLDERS = ['{customer_name}', '{order_number}', '{total_price}', '{currency}', '{slot}', '{shop_name}'];
const SECRETS = ['shopify_webhook_secret', 'cloud.access_token', 'cloud.app_secret', 'shopify.admin_access_token'];
const CLOUD_TEXT = ['cloud.phone_number_id', 'cloud.template_name', 'cloud.template_language', 'cloud.verify_token'];
const SHOPIFY_TEXT = ['shopify.shop_domain', 'shopify.confirm_tag', 'shopify.cancel_tag'];
const SHOPIFY_BOOL = ['shopify.cancel_orders', 'shopify.restock'];
const FIELD_NAMES = [
  'shop_name', 'shopify_webhook_secret', 'confirmation_delay_minutes', 'confirmation_mode', 'message_template',
  'whatsapp_provider', 'cloud.phone_number_id', 'cloud.access_token', 'cloud.template_name', 'cloud.template_language',
  'cloud.app_secret', 'cloud.verify_token', 'timezone', 'quiet_hours.start', 'quiet_hours.end', 'quiet_hours', 'cloud',
  'shopify.shop_domain', 'shopify.admin_access_token', 'shopify.confirm_tag', 'shopify.cancel_tag', 'shopify.cancel_orders',
  'shopify.restock', 'shopify',
];
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const LABELS = {
  shop_name: 'Shop name', shopify_webhook_secret: 'Webhook signing secret', confirmation_delay_minutes: 'Send after (minutes)',
  confirmation_mode: 'Mode', message_template: 'Message template', whatsapp_provider: 'Provider', timezone: 'Time zone',
  'cloud.phone_number_id': 'Phone number ID', 'cloud.access_token': 'Access token', 'cloud.template_name': 'Template name',
  'cloud.template_language': 'Template language', 'cloud.app_secret': 'App secret', 'cloud.verify_token': 'Verify token',
  quiet_hours: 'Quiet hours', 'quiet_hours.start': 'Start', 'quiet_hours.end': 'End',
  'shopify.shop_domain': 'Shop domain', 'shopify.admin_access_token': 'Admin API access token', 'shopify.confirm_tag': 'Confirm tag',
  'shopify.cancel_tag': 'Cancel tag', 'shopify.cancel_orders': 'Cancel orders in Shopify', 'shopify.restock': 'Restock',
};

/** "cloud.template_language must be …" → "Template language must be …." */
function friendly(name, message) {
  let text = String(message || '');
  if (name && LABELS[name] && text.startsWith(name)) text = LABELS[name] + text.slice(name.length);
  text = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?)]$/.test(text) ? text : `${text}.`;
}

let form;
let baseline = null; // the server's settings
const clearing = new Set(); // secrets to clear on save
let loaded = false;
let loadingPromise = null;
let previewController = null;
let els = {};
let me = null;

export function settingsDirty() { return loaded && Object.keys(collect().patch).length > 0; }
export function currentSettings() { return baseline; }
export function setAccount(account) { me = account; if (loaded) renderMetaUrl(); }

function get(obj, path) { return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj); }
function input(name) { return form.elements.namedItem(name); }

// ---------------------------------------------------------------- building the form

function errorEl(name) {
  return h('p', { class: 'field-error', id: `err-${name.replace(/\./g, '-')}`, 'data-error-for': name, hidden: true });
}

function textField(name, label, { hint, type = 'text', placeholder, autocomplete = 'off', extra, inputmode, mono } = {}) {
  const id = `set-${name.replace(/\./g, '-')}`;
  const hintId = hint ? `${id}-hint` : null;
  const errId = `err-${name.replace(/\./g, '-')}`;
  return h('div', { class: 'field', 'data-field': name },
    h('label', { class: 'label', for: id, text: label }),
    h('div', { class: 'input-row' },
      h('input', { class: ['input', mono && 'mono'], id, name, type, placeholder, autocomplete, inputmode, spellcheck: 'false', 'aria-describedby': [hintId, errId].filter(Boolean).join(' ') }),
      extra || null),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    errorEl(name));
}

function secretField(name, label, hint) {
  const id = `set-${name.replace(/\./g, '-')}`;
  const stateId = `${id}-state`;
  const errId = `err-${name.replace(/\./g, '-')}`;
  const clear = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-clear-for': name }, 'Clear');
  const field = h('div', { class: 'field', 'data-field': name },
    h('div', { class: 'label-row' },
      h('label', { class: 'label', for: id, text: label }),
      h('span', { class: 'secret-state', id: stateId, 'data-secret-state': name })),
    h('div', { class: 'input-row' },
      h('input', { class: 'input mono', id, name, type: 'password', autocomplete: 'new-password', spellcheck: 'false', 'aria-describedby': `${stateId} ${errId}${hint ? ` ${id}-hint` : ''}` }),
      clear),
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
    errorEl(name));
  clear.addEventListener('click', () => {
    if (clearing.has(name)) clearing.delete(name); else { clearing.add(name); input(name).value = ''; }
    renderSecretStates();
    onEdit();
  });
  return field;
}

function radioGroup(name, legend, options, hint) {
  return h('fieldset', { class: 'field radio-group', 'data-field': name, 'aria-describedby': `err-${name}` },
    h('legend', { class: 'label', text: legend }),
    hint ? h('p', { class: 'hint', text: hint }) : null,
    h('div', { class: 'radio-cards' }, options.map(([value, title, text, iconName]) => {
      const id = `set-${name}-${value}`;
      return h('label', { class: 'radio-card', for: id },
        h('input', { type: 'radio', name, value, id }),
        h('span', { class: 'radio-card-body' },
          h('span', { class: 'radio-card-title' }, iconName ? icon(iconName) : null, title),
          h('span', { class: 'radio-card-text', text })));
    })),
    errorEl(name));
}

function card(title, lead, ...children) {
  const id = `sec-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return h('section', { class: 'card settings-card', 'aria-labelledby': id },
    h('div', { class: 'card-head' }, h('h3', { class: 'card-title', id, text: title }), lead ? h('p', { class: 'muted', text: lead }) : null),
    h('div', { class: 'card-body' }, children));
}

export function mountSettings(panel) {
  const webhook = copyField({ id: 'webhook-url', label: 'Your webhook URL', value: '' });
  const steps = h('ol', { class: 'setup-steps' },
    h('li', {}, 'In your Shopify admin, open ', h('strong', { text: 'Settings → Notifications → Webhooks' }), '.'),
    h('li', {}, 'Click ', h('strong', { text: 'Create webhook' }), ': event ', h('strong', { text: 'Order creation' }), ', format ', h('strong', { text: 'JSON' }), ', URL = the webhook URL above. Save.'),
    h('li', {}, 'Repeat for ', h('strong', { text: 'Order update' }), ', ', h('strong', { text: 'Order cancellation' }), ' and ', h('strong', { text: 'Order fulfillment' }), ' with the same URL, so status changes in Shopify show up here.'),
    h('li', {}, 'Shopify shows “Your webhooks will be signed with …” below the list. Copy that signing secret and paste it into ', h('strong', { text: 'Webhook signing secret' }), ' below, then save.'));

  const chips = h('div', { class: 'chips', role: 'group', 'aria-label': 'Insert a placeholder', id: 'template-chips' });
  const template = h('textarea', { class: 'input textarea', id: 'set-message_template', name: 'message_template', rows: 5, maxlength: 1024, spellcheck: 'true', 'aria-describedby': 'template-count err-message_template' });
  const count = h('span', { class: 'muted small', id: 'template-count', 'aria-live': 'off' });
  const preview = h('div', { class: 'preview' },
    h('div', { class: 'preview-head' }, icon('chat'), h('span', { id: 'template-preview-source', text: 'Preview' })),
    h('div', { class: 'phone-chat' }, h('div', { class: 'bubble', id: 'template-preview', 'aria-live': 'polite', 'aria-busy': 'false' })));

  const zones = timezones();
  const tzSelect = h('select', { class: 'input select', id: 'set-timezone', name: 'timezone', 'aria-describedby': 'err-timezone' },
    zones.map((z) => h('option', { value: z, text: z.replace(/_/g, ' ') })));
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const useMine = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', id: 'use-browser-timezone' }, `Use ${browserZone.replace(/_/g, ' ')}`);
  useMine.addEventListener('click', () => { ensureOption(tzSelect, browserZone); tzSelect.value = browserZone; onEdit(); });

  const quietToggle = h('input', { type: 'checkbox', id: 'set-quiet-enabled', name: 'quiet_hours_enabled', class: 'switch-input', role: 'switch' });
  const quiet = h('fieldset', { class: 'field quiet', 'data-field': 'quiet_hours' },
    h('legend', { class: 'label', text: 'Quiet hours' }),
    h('label', { class: 'switch', for: 'set-quiet-enabled' }, quietToggle, h('span', { class: 'switch-track', 'aria-hidden': 'true' }),
      h('span', { text: 'Don’t send messages during the night' })),
    h('div', { class: 'quiet-times', id: 'quiet-times' },
      textField('quiet_hours.start', 'From', { placeholder: '22:00', inputmode: 'numeric', mono: true }),
      textField('quiet_hours.end', 'Until', { placeholder: '08:00', inputmode: 'numeric', mono: true })),
    h('p', { class: 'hint', text: 'Messages that fall due in this window wait until it ends (in the time zone above). Times are HH:MM, 24-hour.' }),
    errorEl('quiet_hours'));

  const cloud = h('div', { class: 'cloud-fields', id: 'cloud-fields' },
    h('div', { class: 'callout callout-info' }, icon('info'), h('div', {},
      'From ', h('strong', { text: 'Meta for Developers → your app → WhatsApp → API Setup' }), '. The template must be an approved utility template; in Ask mode its first quick-reply button confirms and the second cancels.')),
    h('div', { class: 'grid-2' },
      textField('cloud.phone_number_id', 'Phone number ID', { inputmode: 'numeric', mono: true }),
      secretField('cloud.access_token', 'Access token', 'A permanent system-user token is best; temporary tokens expire after 24 hours.'),
      textField('cloud.template_name', 'Template name', { placeholder: 'order_confirmation', mono: true }),
      textField('cloud.template_language', 'Template language', { placeholder: 'en_US', mono: true }),
      secretField('cloud.app_secret', 'App secret', 'Used to check that delivery and reply callbacks really come from Meta.'),
      textField('cloud.verify_token', 'Verify token', { mono: true, hint: 'Any string you choose; enter the same one in Meta’s webhook setup.' })),
    h('div', { id: 'meta-url-field' }));

  const checkbox = (name, label, hint, warn) => h('div', { class: 'field', 'data-field': name },
    h('label', { class: 'switch', for: `set-${name.replace(/\./g, '-')}` },
      h('input', { type: 'checkbox', id: `set-${name.replace(/\./g, '-')}`, name, class: 'switch-input', role: 'switch' }),
      h('span', { class: 'switch-track', 'aria-hidden': 'true' }), h('span', { text: label })),
    hint ? h('p', { class: ['hint', warn && 'hint-warn'], text: hint }) : null,
    errorEl(name));
  const testButton = h('button', { type: 'button', class: 'btn btn-secondary btn-sm', id: 'shopify-test' }, icon('refresh'), h('span', { text: 'Test connection' }));
  const testResult = h('p', { class: 'hint', id: 'shopify-test-result', role: 'status', 'aria-live': 'polite' });
  testButton.addEventListener('click', () => testShopify(testButton, testResult));
  const writeBack = card('Shopify write-back', 'Tag confirmed and cancelled orders in your Shopify admin, and optionally cancel them there.',
    h('div', { id: 'shopify-hold', class: 'callout callout-warn', role: 'alert', hidden: true }),
    h('ol', { class: 'setup-steps' },
      h('li', {}, 'In your Shopify admin: ', h('strong', { text: 'Settings → Apps and sales channels → Develop apps → Create an app' }), '.'),
      h('li', {}, 'Under ', h('strong', { text: 'Configuration → Admin API integration' }), ' choose the scopes ', h('strong', { text: 'write_orders' }), ' and ', h('strong', { text: 'read_orders' }), ', save, then ', h('strong', { text: 'Install app' }), '.'),
      h('li', {}, 'Reveal the ', h('strong', { text: 'Admin API access token' }), ' (shown once, starts with shpat_) and paste it below.')),
    h('div', { class: 'grid-2' },
      textField('shopify.shop_domain', 'Shop domain', { placeholder: 'your-shop.myshopify.com', mono: true, hint: 'Defaults to the shop that sends your orders.' }),
      secretField('shopify.admin_access_token', 'Admin API access token', 'Without it nothing is written back to Shopify.'),
      textField('shopify.confirm_tag', 'Confirm tag', { mono: true, hint: 'Added when the customer (or you) confirms. 1–40 characters, no comma.' }),
      textField('shopify.cancel_tag', 'Cancel tag', { mono: true, hint: 'Added when the customer (or you) cancels.' })),
    checkbox('shopify.cancel_orders', 'Also cancel the order in Shopify when it is cancelled here',
      'Irreversible in Shopify: a cancelled order cannot be restored. Off by default. No refund is issued and the customer is not notified by Shopify.', true),
    checkbox('shopify.restock', 'Put the stock back when an order is cancelled in Shopify'),
    h('div', { class: 'input-row' }, testButton), testResult);

  const status = h('span', { id: 'settings-status', class: 'save-status', role: 'status', 'aria-live': 'polite' });
  const dirty = h('span', { id: 'settings-dirty', class: 'dirty-pill', hidden: true }, h('span', { class: 'dirty-dot', 'aria-hidden': 'true' }), 'Unsaved changes');
  const discard = h('button', { type: 'button', class: 'btn btn-ghost', id: 'settings-discard', hidden: true }, 'Discard');
  const save = h('button', { type: 'submit', class: 'btn btn-primary', id: 'settings-save' }, icon('check'), h('span', { text: 'Save settings' }));
  const formError = h('div', { id: 'settings-error', class: 'form-error', role: 'alert', hidden: true });

  form = h('form', { id: 'settings-form', class: 'settings-form', novalidate: true, 'aria-busy': 'true' },
    card('Shopify', 'Send your Shopify orders here: one URL for every order event.',
      webhook, steps,
      h('div', { class: 'grid-2' },
        textField('shop_name', 'Shop name', { hint: 'Used as {shop_name} in messages. Defaults to your shop’s domain.', autocomplete: 'organization' }),
        secretField('shopify_webhook_secret', 'Webhook signing secret', 'Orders whose signature doesn’t match this secret are refused.'))),
    writeBack,
    card('Confirmation message', 'What your customers receive on WhatsApp, and when.',
      h('div', { class: 'grid-2' },
        textField('confirmation_delay_minutes', 'Send after (minutes)', {
          type: 'number', inputmode: 'decimal', hint: 'Time after the order is placed. 0 sends right away; fractions like 0.5 are allowed. A short wait lets customers fix mistakes first.',
        }),
        h('div')),
      radioGroup('confirmation_mode', 'Mode', [
        ['notify', 'Notify', 'Tell the customer the order is confirmed. The order turns Confirmed once the message is sent.', 'send'],
        ['ask', 'Ask to confirm', 'Ask the customer to reply 1 to confirm or 2 to cancel. The order updates by itself when they answer.', 'reply'],
      ]),
      h('div', { class: 'field template-field', 'data-field': 'message_template' },
        h('div', { class: 'label-row' }, h('label', { class: 'label', for: 'set-message_template', text: 'Message template' }), count),
        chips, template, errorEl('message_template'),
        h('p', { class: 'hint', text: 'Click a placeholder to insert it at the cursor. Each is replaced with the order’s value when the message is sent.' })),
      preview),
    card('WhatsApp provider', 'How messages leave this server.',
      radioGroup('whatsapp_provider', 'Send messages with', [
        ['web', 'WhatsApp Web', 'Link your own phone by scanning a QR code (WhatsApp tab). No Meta account needed.', 'phone'],
        ['cloud', 'Cloud API', 'Meta’s official WhatsApp Business API with an approved template. Needs a Meta app.', 'shield'],
        ['log', 'Log only (demo)', 'Nothing is sent; messages are written to the server log. For trying things out.', 'list'],
      ]),
      cloud),
    card('Schedule', 'When messages may go out.',
      h('div', { class: 'field', 'data-field': 'timezone' },
        h('div', { class: 'label-row' }, h('label', { class: 'label', for: 'set-timezone', text: 'Time zone' }), useMine),
        tzSelect, errorEl('timezone'),
        h('p', { class: 'hint', text: 'Used for quiet hours and for the dates in Analytics.' })),
      quiet),
    h('div', { class: 'save-bar' }, formError,
      h('div', { class: 'save-bar-inner' }, dirty, status, h('span', { class: 'spacer' }), discard, save)));

  const checklist = h('ul', { class: 'checklist', id: 'setup-checklist' });
  const jump = h('ul', { class: 'jump-list' }, [...form.querySelectorAll('.settings-card')].map((sec) => {
    const title = sec.querySelector('.card-title');
    const b = h('button', { type: 'button', class: 'jump', text: title.textContent });
    b.addEventListener('click', () => { sec.scrollIntoView({ behavior: 'smooth', block: 'start' }); sec.querySelector('input, select, textarea')?.focus({ preventScroll: true }); });
    return h('li', {}, b);
  }));
  replace(panel,
    h('div', { class: 'panel-head' }, h('div', {}, h('h2', { class: 'panel-title', text: 'Settings' }),
      h('p', { class: 'muted', text: 'Connect Shopify, shape your message and choose how it is sent.' }))),
    h('div', { id: 'settings-loading', class: 'center pad' }, spinner('Loading settings')),
    h('div', { class: 'settings-layout' }, form,
      h('aside', { class: 'settings-aside', id: 'settings-aside', 'aria-label': 'Setup progress', hidden: true },
        h('section', { class: 'card' },
          h('div', { class: 'card-head' }, h('h3', { class: 'card-title', text: 'Setup checklist' })),
          h('div', { class: 'card-body' }, checklist)),
        h('nav', { class: 'card jump-card', 'aria-label': 'Settings sections' },
          h('div', { class: 'card-head' }, h('h3', { class: 'card-title', text: 'On this page' })),
          h('div', { class: 'card-body' }, jump)))));
  form.hidden = true;
  document.addEventListener('sw:wa', (e) => { waStatus = e.detail; renderChecklist(); });
  document.addEventListener('sw:orders-count', (e) => { orderCount = e.detail; renderChecklist(); });

  els = { panel, template, count, preview, chips, status, dirty, discard, save, formError, cloud, quietToggle, tzSelect };

  form.addEventListener('input', (e) => onEdit(e));
  form.addEventListener('change', (e) => onEdit(e));
  form.addEventListener('submit', (e) => { e.preventDefault(); saveSettings(); });
  discard.addEventListener('click', () => { fill(baseline); onEdit(); clearErrors(); status.textContent = ''; });
  for (const name of ['quiet_hours.start', 'quiet_hours.end']) {
    input(name).addEventListener('input', () => { if (input(name).value) quietToggle.checked = true; renderQuiet(); });
  }
  window.addEventListener('beforeunload', (e) => { if (!document.body.dataset.leaving && settingsDirty()) { e.preventDefault(); e.returnValue = ''; } });
}

function timezones() {
  let zones = [];
  try { zones = Intl.supportedValuesOf('timeZone'); } catch { zones = []; }
  if (!zones.includes('UTC')) zones = ['UTC', ...zones];
  return zones;
}

function ensureOption(select, value) {
  if (value && ![...select.options].some((o) => o.value === value)) select.prepend(h('option', { value, text: value.replace(/_/g, ' ') }));
}

// ---------------------------------------------------------------- loading and filling

export function loadSettings(force = false) {
  if (loadingPromise && !force) return loadingPromise;
  loadingPromise = (async () => {
    try {
      const settings = await admin.settings();
      if (!loaded || !settingsDirty() || force) {
        baseline = settings;
        fill(settings);
      } else {
        baseline = settings; // keep the merchant's edits on screen
      }
      loaded = true;
      form.hidden = false;
      document.getElementById('settings-aside').hidden = false;
      form.setAttribute('aria-busy', 'false');
      document.getElementById('settings-loading')?.remove();
      renderChips(settings.placeholders);
      onEdit();
      document.dispatchEvent(new CustomEvent('sw:settings', { detail: settings }));
      return settings;
    } catch (err) {
      loadingPromise = null;
      const box = document.getElementById('settings-loading');
      if (box) {
        const retry = h('button', { type: 'button', class: 'btn btn-secondary' }, icon('refresh'), 'Try again');
        retry.addEventListener('click', () => { replace(box, spinner('Loading settings')); loadSettings(); });
        replace(box, emptyState({ iconName: 'alert', title: 'Settings could not be loaded', body: err.message, actions: retry }));
      }
      throw err;
    }
  })();
  return loadingPromise;
}

function fill(s) {
  document.getElementById('webhook-url').value = s.webhook_url || '';
  input('shop_name').value = s.shop_name || '';
  input('confirmation_delay_minutes').value = s.confirmation_delay_minutes ?? '';
  setRadio('confirmation_mode', s.confirmation_mode || 'notify');
  els.template.value = s.message_template || '';
  setRadio('whatsapp_provider', s.whatsapp_provider || 'web');
  for (const name of CLOUD_TEXT) input(name).value = get(s, name) || '';
  for (const name of SHOPIFY_TEXT) input(name).value = get(s, name) || '';
  for (const name of SHOPIFY_BOOL) input(name).checked = !!get(s, name);
  renderShopifyHold(s);
  for (const name of SECRETS) input(name).value = '';
  clearing.clear();
  ensureOption(els.tzSelect, s.timezone || 'UTC');
  els.tzSelect.value = s.timezone || 'UTC';
  els.quietToggle.checked = !!s.quiet_hours;
  input('quiet_hours.start').value = s.quiet_hours?.start || '';
  input('quiet_hours.end').value = s.quiet_hours?.end || '';
  renderSecretStates();
  renderProvider();
  renderQuiet();
  renderMetaUrl();
  updateCount();
  schedulePreview();
  renderChecklist();
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.getElementById('use-browser-timezone').hidden = !zone || zone === (s.timezone || 'UTC');
}

function setRadio(name, value) {
  for (const r of form.querySelectorAll(`input[name="${name}"]`)) r.checked = r.value === value;
}
function radioValue(name) {
  return form.querySelector(`input[name="${name}"]:checked`)?.value ?? null;
}

function renderChips(list) {
  const placeholders = Array.isArray(list) && list.length ? list : DEFAULT_PLACEHOLDERS;
  replace(els.chips, placeholders.map((p) => {
    const chip = h('button', { type: 'button', class: 'chip chip-btn', 'data-placeholder': p, title: `Insert ${p}` }, icon('plus', 'icon-sm'), p);
    chip.addEventListener('click', () => insertPlaceholder(p));
    return chip;
  }));
}

function insertPlaceholder(p) {
  const ta = els.template;
  const start = ta.selectionStart ?? ta.value.length;
  const end = ta.selectionEnd ?? ta.value.length;
  ta.setRangeText(p, start, end, 'end');
  ta.focus();
  ta.dispatchEvent(new Event('input', { bubbles: true }));
}

function renderSecretStates() {
  if (!baseline) return;
  for (const name of SECRETS) {
    const isSet = !!get(baseline, `${name}_set`);
    const el = form.querySelector(`[data-secret-state="${name}"]`);
    const clear = form.querySelector(`[data-clear-for="${name}"]`);
    const field = input(name);
    const willClear = clearing.has(name);
    el.replaceChildren();
    el.className = 'secret-state';
    if (willClear) {
      el.classList.add('is-clearing');
      el.append(icon('alert', 'icon-sm'), 'Will be removed when you save');
    } else if (isSet) {
      el.classList.add('is-set');
      el.append(icon('check', 'icon-sm'), 'Set ✓');
    } else {
      el.classList.add('is-unset');
      el.append('Not set');
    }
    field.placeholder = willClear ? 'Will be cleared' : isSet ? '•••••••• (type to replace)' : 'Paste it here';
    clear.hidden = !isSet;
    clear.textContent = willClear ? 'Undo' : 'Clear';
    field.disabled = willClear;
  }
}

let waStatus = null;
let orderCount = 0;
function renderChecklist() {
  const list = document.getElementById('setup-checklist');
  if (!list || !baseline) return;
  const provider = baseline.whatsapp_provider;
  const item = (ok, title, text, warn = false) => h('li', { class: ['check-item', ok ? 'is-done' : warn ? 'is-warn' : 'is-todo'] },
    h('span', { class: 'check-mark' }, icon(ok ? 'check' : warn ? 'alert' : 'dot')),
    h('div', {}, h('strong', { text: title }), h('span', { class: 'muted small', text: ` ${ok ? 'Done' : text}` })));
  const connected = waStatus && waStatus.state === 'connected';
  replace(list,
    item(!!baseline.shopify_webhook_secret_set, 'Shopify signing secret', 'Paste it from Shopify.'),
    provider === 'log'
      ? item(false, 'WhatsApp', 'Demo mode: nothing is sent.', true)
      : item(connected, provider === 'cloud' ? 'Cloud API credentials' : 'WhatsApp linked', provider === 'cloud' ? 'Add ID and token.' : 'Scan the QR code.'),
    item(orderCount > 0, 'First order received', 'Create an order in Shopify.'));
  for (const li of list.querySelectorAll('.is-warn strong, .is-todo strong')) li.parentElement.parentElement.setAttribute('aria-label', `${li.textContent}: to do`);
}

function renderProvider() {
  const provider = radioValue('whatsapp_provider');
  els.cloud.hidden = provider !== 'cloud';
}

function renderQuiet() {
  const on = els.quietToggle.checked;
  form.querySelector('#quiet-times').classList.toggle('is-off', !on);
}

function renderMetaUrl() {
  const box = document.getElementById('meta-url-field');
  if (!box || !baseline) return;
  const id = me?.id ?? session.user?.id ?? session.userId;
  const base = (baseline.webhook_url || '').replace(/\/api\/v1\/webhooks\/[^/]+\/?$/, '') || window.location.origin;
  replace(box, copyField({
    id: 'meta-callback-url', label: 'Meta callback URL',
    value: `${base}/api/v1/whatsapp/${id}/webhook`,
    hint: 'In Meta’s WhatsApp → Configuration → Webhook, use this callback URL with your verify token and subscribe to “messages”.',
  }));
}

function updateCount() {
  const n = els.template.value.length;
  els.count.textContent = `${n} / 1024`;
  els.count.classList.toggle('warn', n > 900);
}

// ---------------------------------------------------------------- diff, validation, save

function collect() {
  const patch = {};
  const errors = {};
  if (!baseline) return { patch, errors };
  const text = (name) => input(name).value.trim();
  const orig = (name) => get(baseline, name) ?? '';

  if (text('shop_name') !== (baseline.shop_name || '')) patch.shop_name = text('shop_name');

  const delayRaw = input('confirmation_delay_minutes').value.trim();
  const delay = delayRaw === '' ? NaN : Number(delayRaw);
  if (!Number.isFinite(delay)) errors.confirmation_delay_minutes = 'Enter a number of minutes (0 or more).';
  else if (delay !== Number(baseline.confirmation_delay_minutes)) patch.confirmation_delay_minutes = delay;

  const mode = radioValue('confirmation_mode');
  if (mode && mode !== baseline.confirmation_mode) patch.confirmation_mode = mode;
  if (els.template.value !== (baseline.message_template || '')) patch.message_template = els.template.value;
  const provider = radioValue('whatsapp_provider');
  if (provider && provider !== baseline.whatsapp_provider) patch.whatsapp_provider = provider;

  const cloud = {};
  let shopifySecret;
  for (const name of CLOUD_TEXT) if (text(name) !== (orig(name) || '')) cloud[name.split('.')[1]] = text(name) === '' ? null : text(name);
  for (const name of SECRETS) {
    const value = input(name).value.trim();
    let v;
    if (clearing.has(name)) v = '';
    else if (value) v = value;
    else continue;
    if (name.startsWith('cloud.')) cloud[name.split('.')[1]] = v;
    else if (name.startsWith('shopify.')) shopifySecret = v;
    else patch[name] = v;
  }
  if (Object.keys(cloud).length) patch.cloud = cloud;
  const shopify = {};
  for (const name of SHOPIFY_TEXT) if (text(name) !== (orig(name) || '')) shopify[name.split('.')[1]] = text(name) === '' ? null : text(name);
  for (const name of SHOPIFY_BOOL) if (input(name).checked !== !!orig(name)) shopify[name.split('.')[1]] = input(name).checked;
  if (shopifySecret !== undefined) shopify.admin_access_token = shopifySecret;
  if (Object.keys(shopify).length) patch.shopify = shopify;

  const tz = els.tzSelect.value;
  if (tz && tz !== baseline.timezone) patch.timezone = tz;

  if (els.quietToggle.checked) {
    const start = text('quiet_hours.start');
    const end = text('quiet_hours.end');
    if (!HHMM.test(start)) errors['quiet_hours.start'] = 'Enter a time as HH:MM, for example 22:00.';
    if (!HHMM.test(end)) errors['quiet_hours.end'] = 'Enter a time as HH:MM, for example 08:00.';
    if (!errors['quiet_hours.start'] && !errors['quiet_hours.end']) {
      if (start === end) errors['quiet_hours.end'] = 'The end must differ from the start.';
      const q = baseline.quiet_hours;
      if (!q || q.start !== start || q.end !== end) patch.quiet_hours = { start, end };
    }
  } else if (baseline.quiet_hours) {
    patch.quiet_hours = null;
  }
  return { patch, errors };
}

function onEdit(e) {
  if (!baseline) return;
  if (e && e.target === els.template) updateCount();
  if (e && (e.target === els.template || e.target.name === 'confirmation_mode')) schedulePreview();
  if (e && e.target.name === 'whatsapp_provider') renderProvider();
  if (e && e.target === els.quietToggle) renderQuiet();
  if (e && e.target.name && e.type === 'input') clearFieldError(e.target.name);
  const dirty = Object.keys(collect().patch).length > 0;
  els.dirty.hidden = !dirty;
  els.discard.hidden = !dirty;
  if (dirty && els.status.dataset.kind === 'saved') { els.status.textContent = ''; delete els.status.dataset.kind; }
  document.dispatchEvent(new CustomEvent('sw:dirty', { detail: dirty }));
}

function fieldTarget(name) {
  if (name === 'confirmation_mode' || name === 'whatsapp_provider') return form.querySelector(`input[name="${name}"]:checked`) || form.querySelector(`input[name="${name}"]`);
  if (name === 'quiet_hours') return input('quiet_hours.start');
  if (name === 'timezone') return els.tzSelect;
  return input(name);
}

function showFieldError(name, message, raw) {
  const el = form.querySelector(`[data-error-for="${name}"]`);
  if (!el) return false;
  el.replaceChildren(icon('alert', 'icon-sm'), h('span', { text: message }));
  el.dataset.message = raw || message;
  el.hidden = false;
  const targets = name === 'quiet_hours' ? [input('quiet_hours.start'), input('quiet_hours.end')]
    : name === 'confirmation_mode' || name === 'whatsapp_provider' ? [...form.querySelectorAll(`input[name="${name}"]`)]
      : [fieldTarget(name)];
  for (const t of targets) if (t) t.setAttribute('aria-invalid', 'true');
  form.querySelector(`[data-field="${name}"]`)?.classList.add('has-error');
  return true;
}

function clearFieldError(name) {
  for (const n of [name, name.startsWith('quiet_hours') ? 'quiet_hours' : null].filter(Boolean)) {
    const el = form.querySelector(`[data-error-for="${n}"]`);
    if (el) { el.hidden = true; el.replaceChildren(); }
    form.querySelector(`[data-field="${n}"]`)?.classList.remove('has-error');
  }
  const t = fieldTarget(name);
  if (t) t.removeAttribute('aria-invalid');
  if (name.startsWith('quiet_hours')) for (const n of ['quiet_hours.start', 'quiet_hours.end']) input(n).removeAttribute('aria-invalid');
}

function clearErrors() {
  for (const el of form.querySelectorAll('[data-error-for]')) { el.hidden = true; el.replaceChildren(); }
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.has-error')) el.classList.remove('has-error');
  els.formError.hidden = true;
}

/** The field a 422 message names ("cloud.access_token must be …" → cloud.access_token). */
function fieldFromMessage(message) {
  const m = String(message || '');
  const sorted = [...FIELD_NAMES].sort((a, b) => b.length - a.length);
  for (const name of sorted) {
    if (m.startsWith(name) && !/[\w.]/.test(m.charAt(name.length))) return name;
  }
  for (const name of sorted) {
    const re = new RegExp(`(^|[^\\w.])${name.replace('.', '\\.')}($|[^\\w.])`);
    if (re.test(m)) return name;
  }
  return null;
}

function reveal(name) {
  if (name.startsWith('cloud.') && radioValue('whatsapp_provider') !== 'cloud') els.cloud.hidden = false;
  const target = fieldTarget(name);
  if (target) {
    target.scrollIntoView({ block: 'center', behavior: 'smooth' });
    target.focus({ preventScroll: true });
  }
}

function setStatus(text, kind) {
  els.status.replaceChildren();
  if (kind === 'saved') els.status.append(icon('check', 'icon-sm'));
  if (kind === 'error') els.status.append(icon('alert', 'icon-sm'));
  els.status.append(h('span', { text }));
  els.status.dataset.kind = kind;
  els.status.className = `save-status is-${kind}`;
}

let saving = false;
export async function saveSettings() {
  if (!baseline || saving) return;
  clearErrors();
  const { patch, errors } = collect();
  const names = Object.keys(errors);
  if (names.length) {
    for (const name of names) showFieldError(name, errors[name]);
    setStatus('Not saved: check the highlighted field', 'error');
    reveal(names[0]);
    return;
  }
  if (!Object.keys(patch).length) { setStatus('Saved', 'saved'); return; }
  saving = true;
  els.save.disabled = true;
  setStatus('Saving…', 'saving');
  try {
    const settings = await admin.saveSettings(patch);
    baseline = settings;
    fill(settings);
    setStatus('Saved', 'saved');
    onEdit();
    document.dispatchEvent(new CustomEvent('sw:settings', { detail: settings }));
  } catch (err) {
    if (err instanceof ApiError && err.status === 422) {
      const name = fieldFromMessage(err.message);
      const nice = friendly(name, err.message);
      if (name && name !== 'cloud' && name !== 'shopify' && showFieldError(name, nice, err.message)) {
        reveal(name);
      } else {
        els.formError.replaceChildren(icon('alert'), h('span', { text: nice }));
        els.formError.hidden = false;
      }
      setStatus('Not saved: check the highlighted field', 'error');
    } else {
      els.formError.replaceChildren(icon('alert'), h('span', { text: `Could not save: ${err.message}` }));
      els.formError.hidden = false;
      setStatus('Not saved', 'error');
    }
  } finally {
    saving = false;
    els.save.disabled = false;
  }
}

// ---------------------------------------------------------------- preview

const SAMPLE = { customer_name: 'Amira Haddad', order_number: '#1001', total_price: '49.90', currency: 'EUR', slot: 'Tomorrow 10:00–12:00' };

const schedulePreview = debounce(runPreview, 350);

async function runPreview() {
  const bubble = document.getElementById('template-preview');
  const source = document.getElementById('template-preview-source');
  if (!bubble) return;
  if (previewController) previewController.abort();
  const controller = new AbortController();
  previewController = controller;
  const body = { message_template: els.template.value, confirmation_mode: radioValue('confirmation_mode') || 'notify' };
  bubble.setAttribute('aria-busy', 'true');
  bubble.classList.add('is-loading');
  try {
    const result = await admin.preview(body, controller.signal);
    if (controller.signal.aborted) return;
    bubble.classList.remove('is-error');
    bubble.textContent = result.text ?? '';
    source.textContent = result.order_id ? `Preview from order ${orderLabel(result)}` : 'Preview from a sample order';
  } catch (err) {
    if (err.name === 'AbortError') return;
    if (err instanceof ApiError && (err.status === 404 || err.status === 405)) {
      bubble.classList.remove('is-error');
      bubble.textContent = localRender(body);
      source.textContent = 'Preview from a sample order';
    } else if (err instanceof ApiError && (err.status === 0 || err.status >= 500)) {
      source.textContent = 'Preview unavailable right now';
    } else {
      bubble.classList.add('is-error');
      bubble.textContent = err.message;
      source.textContent = 'This template cannot be used yet';
    }
  } finally {
    if (previewController === controller) {
      bubble.setAttribute('aria-busy', 'false');
      bubble.classList.remove('is-loading');
    }
  }
}

function orderLabel(result) {
  if (result.order_number) return result.order_number;
  const cached = getCachedOrder(result.order_id);
  return cached?.order_number || String(result.order_id);
}

function localRender({ message_template: template, confirmation_mode: mode }) {
  const values = { ...SAMPLE, shop_name: input('shop_name').value.trim() || 'your shop' };
  let text = template.replace(/\{(\w+)\}/g, (m, key) => (key in values ? values[key] : m));
  if (mode === 'ask' && !/\b1\b/.test(text)) text += '\nReply 1 to confirm or 2 to cancel.';
  return text;
}

// ---------------------------------------------------------------- Shopify write-back

/** The one banner of a tenant whose Admin API token Shopify refused (write-backs held). */
function renderShopifyHold(s) {
  const box = document.getElementById('shopify-hold');
  if (!box) return;
  const reason = s?.shopify?.hold_reason;
  box.hidden = !reason;
  if (reason) box.replaceChildren(icon('alert'), h('div', {}, h('strong', { text: 'Shopify write-back is paused. ' }),
    h('span', { text: `${String(reason).replace(/\.?$/, '.')} Fix the token or the app's scopes and save this section to resume.` })));
  document.dispatchEvent(new CustomEvent('sw:shopify-hold', { detail: reason || null }));
}

async function testShopify(button, result) {
  button.disabled = true;
  result.className = 'hint';
  result.textContent = 'Asking Shopify…';
  try {
    const answer = await admin.testShopify();
    result.className = 'hint test-result is-ok';
    result.textContent = `Connected to “${answer.shop?.name ?? 'your shop'}”.`;
  } catch (err) {
    result.className = 'hint test-result is-error';
    result.textContent = err.status === 422 ? `Not set up yet: ${err.message}.` : `Shopify answered: ${err.message}`;
  } finally {
    button.disabled = false;
  }
}
