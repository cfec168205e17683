// The API: JSON over fetch with the operator key of this tab, and its errors as the pages show them.
import { el } from './dom.js';

export class ApiError extends Error {
  constructor(status, detail, body) {
    super(detail);
    this.status = status;
    this.body = body;
  }
}

export function apiKey() {
  try { return sessionStorage.getItem('aggregator.apiKey') || ''; } catch { return ''; }
}

function saveApiKey(value) {
  try { if (value) sessionStorage.setItem('aggregator.apiKey', value); else sessionStorage.removeItem('aggregator.apiKey'); } catch { /* private mode */ }
}

/** The operator key's field, folded away: kept in this tab only, for every page, as it is typed. */
export function apiKeyField(id) {
  const input = el('input', { type: 'password', id, autocomplete: 'off', value: apiKey(), placeholder: 'Only when the server asks for it' });
  input.addEventListener('input', () => saveApiKey(input.value));
  return el('details', { class: 'api-key' }, el('summary', null, 'API key'),
    el('div', { class: 'field' }, el('label', { for: id }, 'Operator key (kept in this tab only)'), input));
}

/** An operator action's error as the pages say it: a refusal (401, 403) says what is missing and where to give it. */
export function operatorError(error, refused = 'This needs the operator key') {
  return error.status === 401 || error.status === 403
    ? `${refused}: enter it under “API key”. (${error.message})`
    : error.message;
}

export async function api(path, options = {}) {
  const headers = { Accept: 'application/json', ...(options.headers || {}) };
  const key = apiKey();
  if (key) headers['X-Api-Key'] = key;
  let body = options.body;
  if (body !== undefined && typeof body !== 'string') {
    body = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, { method: options.method || 'GET', headers, body, signal: options.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'The server cannot be reached.');
  }
  const type = response.headers.get('Content-Type') || '';
  let data = null;
  if (type.includes('json')) {
    try { data = await response.json(); } catch { data = null; }
  }
  if (!response.ok) {
    const detail = (data && (data.detail || data.title)) || `${response.status} ${response.statusText}`.trim();
    throw new ApiError(response.status, detail, data);
  }
  return data;
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) value.forEach(v => { if (v !== '' && v != null) search.append(key, v); });
    else if (value !== '' && value !== undefined && value !== null) search.append(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function errorBox(error, what) {
  if (error && error.status === 404 && what) {
    return el('div', { class: 'notice' }, `${what} is not available from this server yet.`);
  }
  return el('div', { class: 'notice error', role: 'alert' }, (error && error.message) || 'Something went wrong.');
}
