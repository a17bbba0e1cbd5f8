// The HTTP API client: bearer token from localStorage, JSON in and out, errors as ApiError.
// A 401 from an admin route asks the auth module to log in again (an overlay that keeps the
// page as it is), then repeats the request, so nothing in progress is lost.

const TOKEN_KEY = 'sw.token';
const USER_KEY = 'sw.user';

export class ApiError extends Error {
  constructor(status, code, message, retryAfter = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

export const session = {
  get token() { return localStorage.getItem(TOKEN_KEY); },
  set token(value) {
    if (value) localStorage.setItem(TOKEN_KEY, value);
    else localStorage.removeItem(TOKEN_KEY);
  },
  get user() {
    try { return JSON.parse(localStorage.getItem(USER_KEY) || 'null'); } catch { return null; }
  },
  set user(value) {
    if (value) localStorage.setItem(USER_KEY, JSON.stringify(value));
    else localStorage.removeItem(USER_KEY);
  },
  /** Seconds since 1970 at which the token expires, from its (unverified) payload. */
  get expiresAt() {
    const token = this.token;
    if (!token) return null;
    try {
      const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      const payload = JSON.parse(atob(part + '='.repeat((4 - (part.length % 4)) % 4)));
      return typeof payload.exp === 'number' ? payload.exp : null;
    } catch { return null; }
  },
  get userId() {
    const token = this.token;
    if (!token) return null;
    try {
      const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      const payload = JSON.parse(atob(part + '='.repeat((4 - (part.length % 4)) % 4)));
      return payload.sub != null ? String(payload.sub) : null;
    } catch { return null; }
  },
  get expired() {
    const exp = this.expiresAt;
    return exp !== null && exp * 1000 <= Date.now();
  },
};

let unauthorizedHandler = null;
/** fn() → Promise that resolves once a new token is stored (or rejects when the user gives up). */
export function onUnauthorized(fn) { unauthorizedHandler = fn; }

export async function api(path, { method = 'GET', body, signal, auth = true, retried = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (auth && session.token) headers.Authorization = `Bearer ${session.token}`;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: 'no-store',
    });
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (response.ok) return data;

  if (response.status === 401 && auth && path.startsWith('/api/v1/admin/') && !retried && unauthorizedHandler) {
    await unauthorizedHandler();
    return api(path, { method, body, signal, auth, retried: true });
  }
  const err = data && data.error;
  const retryAfter = response.headers.get('Retry-After');
  throw new ApiError(
    response.status,
    (err && err.code) || `http_${response.status}`,
    (err && err.message) || defaultMessage(response.status),
    retryAfter !== null && retryAfter !== '' ? Number(retryAfter) : null,
  );
}

function defaultMessage(status) {
  switch (status) {
    case 404: return 'Not found.';
    case 409: return 'That change is not possible right now.';
    case 413: return 'The request is too large.';
    case 429: return 'Too many attempts. Please wait and try again.';
    case 503: return 'The server cannot store data right now. Try again shortly.';
    default: return status >= 500 ? 'The server had a problem. Try again shortly.' : `Request failed (${status}).`;
  }
}

// Convenience wrappers for the admin API.
export const admin = {
  orders: (params, signal) => api(`/api/v1/admin/orders?${new URLSearchParams(params)}`, { signal }),
  order: (id) => api(`/api/v1/admin/orders/${encodeURIComponent(id)}`),
  setStatus: (id, status) => api(`/api/v1/admin/orders/${encodeURIComponent(id)}/status`, { method: 'POST', body: { status } }),
  resend: (id) => api(`/api/v1/admin/orders/${encodeURIComponent(id)}/resend`, { method: 'POST', body: {} }),
  rejected: () => api('/api/v1/admin/webhooks/rejected'),
  settings: () => api('/api/v1/admin/settings'),
  saveSettings: (patch) => api('/api/v1/admin/settings', { method: 'PUT', body: patch }),
  testShopify: () => api('/api/v1/admin/shopify/test', { method: 'POST', body: {} }),
  preview: (body, signal) => api('/api/v1/admin/messages/preview', { method: 'POST', body, signal }),
  analytics: (days) => api(`/api/v1/admin/analytics${days ? `?days=${days}` : ''}`),
  waStatus: () => api('/api/v1/admin/whatsapp/status'),
  waConnect: () => api('/api/v1/admin/whatsapp/connect', { method: 'POST', body: {} }),
  waDisconnect: () => api('/api/v1/admin/whatsapp/disconnect', { method: 'POST', body: {} }),
  waTest: (phone) => api('/api/v1/admin/whatsapp/test', { method: 'POST', body: { phone } }),
  waInbox: () => api('/api/v1/admin/whatsapp/inbox'),
};
