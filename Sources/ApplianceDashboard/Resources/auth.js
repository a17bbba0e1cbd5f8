// Sign-up and log-in: a full screen before the dashboard exists, and the same card inside a
// locked dialog when a token expires mid-session (the page underneath stays as it was).

import { api, ApiError, session } from './api.js';
import { h, icon, openDialog, closeDialog } from './ui.js';

const LAST_EMAIL = 'sw.lastEmail';
// An invite link (`/?invite=<code>`, printed by `shopify-whatsapp user invite`) carries its code.
const INVITE = new URLSearchParams(window.location.search).get('invite');

let card = null;
let mode = 'signup';
let overlay = null; // { resolve, reject, previousUserId } while re-logging in
let onLoggedInCallback = null;
let retryTimer = null;

function field(form, name, label, type, autocomplete, hintText) {
  const id = `${form}-${name}`;
  const hintId = hintText ? `${id}-hint` : null;
  return h('div', { class: 'field' },
    h('label', { class: 'label', for: id, text: label }),
    h('input', { class: 'input', id, name, type, autocomplete, required: true, 'aria-describedby': hintId, spellcheck: 'false' }),
    hintText ? h('p', { class: 'hint', id: hintId, text: hintText }) : null);
}

function buildCard() {
  const switchTo = (target) => (e) => { e.preventDefault(); setMode(target, true); };
  const signupForm = h('form', { id: 'signup-form', class: 'auth-form', novalidate: true, 'aria-labelledby': 'auth-title' },
    field('signup', 'email', 'Email', 'email', 'email'),
    field('signup', 'password', 'Password', 'password', 'new-password', 'At least 8 characters.'),
    h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, h('span', { text: 'Create account' })),
    h('p', { class: 'auth-switch' }, 'Already have an account? ',
      h('a', { href: '#login', class: 'link', 'data-switch': 'login', onclick: switchTo('login') }, 'Log in')));
  const loginForm = h('form', { id: 'login-form', class: 'auth-form', novalidate: true, 'aria-labelledby': 'auth-title' },
    field('login', 'email', 'Email', 'email', 'username'),
    field('login', 'password', 'Password', 'password', 'current-password'),
    h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, h('span', { text: 'Log in' })),
    h('p', { class: 'auth-switch auth-switch-signup' }, 'Need an account? ',
      h('a', { href: '#signup', class: 'link', 'data-switch': 'signup', onclick: switchTo('signup') }, 'Sign up')),
    h('p', { class: 'auth-switch auth-switch-logout', hidden: true }, 'Not you? ',
      h('button', { type: 'button', class: 'link', id: 'auth-logout', onclick: () => logout() }, 'Log out')));

  signupForm.addEventListener('submit', (e) => { e.preventDefault(); submit('signup', signupForm); });
  loginForm.addEventListener('submit', (e) => { e.preventDefault(); submit('login', loginForm); });

  card = h('div', { class: 'auth-card' },
    h('div', { class: 'auth-brand' },
      h('img', { src: '/assets/favicon.svg', alt: '', width: 40, height: 40 }),
      h('div', {}, h('div', { class: 'auth-product', text: 'Shopify WhatsApp' }), h('div', { class: 'auth-tagline', text: 'Order confirmations on autopilot' }))),
    h('h1', { class: 'auth-title', id: 'auth-title' }),
    h('p', { class: 'auth-lead', id: 'auth-lead' }),
    h('div', { class: 'segmented auth-tabs', role: 'tablist', 'aria-label': 'Account' },
      h('a', { href: '#signup', id: 'show-signup', role: 'tab', class: 'segment', onclick: switchTo('signup') }, 'Sign up'),
      h('a', { href: '#login', id: 'show-login', role: 'tab', class: 'segment', onclick: switchTo('login') }, 'Log in')),
    h('div', { id: 'auth-error', class: 'form-error', role: 'alert', hidden: true }),
    signupForm, loginForm);
  return card;
}

function setMode(next, focus = false) {
  mode = next;
  const signup = mode === 'signup';
  card.querySelector('#signup-form').hidden = !signup;
  card.querySelector('#login-form').hidden = signup;
  const showSignup = card.querySelector('#show-signup');
  const showLogin = card.querySelector('#show-login');
  showSignup.setAttribute('aria-selected', String(signup));
  showLogin.setAttribute('aria-selected', String(!signup));
  showSignup.classList.toggle('active', signup);
  showLogin.classList.toggle('active', !signup);
  card.querySelector('#auth-title').textContent = overlay ? 'Session expired' : signup ? 'Create your account' : 'Welcome back';
  card.querySelector('#auth-lead').textContent = overlay
    ? 'Log in again to continue. Everything on this page stays as you left it.'
    : signup ? 'Start sending WhatsApp order confirmations in minutes.' : 'Log in to see your orders and WhatsApp connection.';
  showError(null);
  const form = card.querySelector(signup ? '#signup-form' : '#login-form');
  const email = form.querySelector('[name=email]');
  if (!email.value) email.value = (overlay && session.user?.email) || localStorage.getItem(LAST_EMAIL) || '';
  if (focus) (email.value ? form.querySelector('[name=password]') : email).focus();
}

function showError(message) {
  const el = card.querySelector('#auth-error');
  if (!message) { el.hidden = true; el.replaceChildren(); return; }
  el.replaceChildren(icon('alert'), h('span', { text: message }));
  el.hidden = false;
}

// 429: the submit button stays disabled with a countdown until Retry-After has passed.
let throttleUntil = 0;
let throttleForm = null;
function throttled(seconds, form) {
  throttleUntil = Date.now() + Math.max(1, Math.ceil(seconds)) * 1000;
  throttleForm = form;
  clearInterval(retryTimer);
  retryTimer = setInterval(throttleTick, 1000);
  throttleTick();
}

function throttleTick() {
  const left = Math.ceil((throttleUntil - Date.now()) / 1000);
  const button = throttleForm.querySelector('[type=submit]');
  const visible = !throttleForm.hidden;
  if (left <= 0) {
    clearInterval(retryTimer);
    retryTimer = null;
    button.disabled = false;
    if (visible) showError('You can try again now.');
    return;
  }
  button.disabled = true;
  const about = left > 90 ? ` (about ${Math.ceil(left / 60)} minutes)` : '';
  if (visible) showError(`Too many failed attempts. Try again in ${left} second${left === 1 ? '' : 's'}${about}.`);
}

async function submit(kind, form) {
  const button = form.querySelector('[type=submit]');
  const email = form.querySelector('[name=email]').value.trim();
  const password = form.querySelector('[name=password]').value;
  for (const input of form.querySelectorAll('input')) input.removeAttribute('aria-invalid');
  showError(null);
  button.disabled = true;
  button.classList.add('busy');
  let isThrottled = false;
  try {
    const body = kind === 'signup' && INVITE ? { email, password, invite: INVITE } : { email, password };
    const result = await api(`/api/v1/auth/${kind}`, { method: 'POST', body, auth: false });
    localStorage.setItem(LAST_EMAIL, result.user?.email || email);
    const previous = overlay ? overlay.previousUserId : null;
    session.token = result.access_token;
    session.user = result.user;
    form.querySelector('[name=password]').value = '';
    if (overlay) {
      const { resolve } = overlay;
      const sameUser = previous === null || String(result.user?.id) === String(previous);
      overlay = null;
      closeDialog(document.getElementById('auth-dialog'));
      if (!sameUser) { document.body.dataset.leaving = '1'; window.location.reload(); return; }
      resolve();
    } else if (onLoggedInCallback) {
      onLoggedInCallback(result.user);
    }
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    if (err.status === 429) { isThrottled = true; throttled(err.retryAfter ?? 60, form); return; }
    let message = err.message;
    if (err.status === 409) message = 'An account with this email already exists. Log in instead.';
    else if (err.status === 401) message = 'Wrong email or password.';
    else if (err.status === 422 || err.status === 403) message = sentence(err.message);
    showError(message);
    const target = /password/i.test(err.message) && err.status === 422 ? 'password' : 'email';
    if (err.status === 422) form.querySelector(`[name=${target}]`).setAttribute('aria-invalid', 'true');
    if (err.status === 401) form.querySelector('[name=password]').select();
  } finally {
    button.classList.remove('busy');
    if (!isThrottled) button.disabled = false;
  }
}

function sentence(text) {
  if (!text) return 'Please check your input.';
  const t = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** The full-page auth screen (no dashboard yet). */
export function showAuthScreen(onLoggedIn) {
  onLoggedInCallback = onLoggedIn;
  if (!card) buildCard();
  const screen = document.getElementById('auth-screen');
  screen.replaceChildren(h('div', { class: 'auth-wrap' }, card, authAside()));
  screen.hidden = false;
  document.getElementById('app').hidden = true;
  card.querySelector('.auth-tabs').hidden = false;
  card.querySelector('.auth-switch-signup').hidden = false;
  card.querySelector('.auth-switch-logout').hidden = true;
  const hash = window.location.hash;
  setMode(INVITE || hash === '#signup' ? 'signup' : hash === '#login' ? 'login' : localStorage.getItem(LAST_EMAIL) ? 'login' : 'signup', true);
}

export function hideAuthScreen() {
  const screen = document.getElementById('auth-screen');
  screen.hidden = true;
  screen.replaceChildren();
  document.getElementById('app').hidden = false;
}

function authAside() {
  const point = (name, title, text) => h('li', {}, h('span', { class: 'aside-icon' }, icon(name)),
    h('div', {}, h('strong', { text: title }), h('span', { text })));
  return h('aside', { class: 'auth-aside', 'aria-label': 'What you get' },
    h('h2', { text: 'Confirm every order on WhatsApp' }),
    h('ul', { class: 'aside-points' },
      point('send', 'Automatic messages', 'Each Shopify order gets a WhatsApp confirmation after the delay you choose, outside your quiet hours.'),
      point('reply', 'Replies update orders', 'Customers answer 1 or 2; the order turns confirmed or cancelled by itself.'),
      point('shield', 'Your data stays yours', 'Self-hosted: orders, settings and your WhatsApp session never leave this server.')));
}

/** Shows the locked re-login dialog; resolves once a new token is stored. Concurrent callers share it. */
let pending = null;
export function reauth() {
  if (pending) return pending;
  pending = new Promise((resolve, reject) => {
    if (!card) buildCard();
    overlay = { resolve, reject, previousUserId: session.user?.id ?? session.userId };
    const dialog = document.getElementById('auth-dialog');
    dialog.replaceChildren(card);
    card.querySelector('.auth-tabs').hidden = true;
    card.querySelector('.auth-switch-signup').hidden = true;
    card.querySelector('.auth-switch-logout').hidden = false;
    card.querySelector('#login-form [name=email]').value = session.user?.email || localStorage.getItem(LAST_EMAIL) || '';
    card.querySelector('#login-form [name=password]').value = '';
    setMode('login');
    openDialog(dialog, { locked: true, initialFocus: card.querySelector('#login-form [name=password]') });
    document.dispatchEvent(new CustomEvent('sw:reauth', { detail: { open: true } }));
  }).finally(() => {
    pending = null;
    document.dispatchEvent(new CustomEvent('sw:reauth', { detail: { open: false } }));
  });
  return pending;
}

export function reauthOpen() { return pending !== null; }

export function logout() {
  session.token = null;
  session.user = null;
  history.replaceState(null, '', window.location.pathname + '#login');
  window.location.reload();
}
