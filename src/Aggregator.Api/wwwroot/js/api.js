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
