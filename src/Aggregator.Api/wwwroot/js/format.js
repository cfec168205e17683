// Entity types, dates and numbers as the dashboard shows them.
import { el } from './dom.js';

export const TYPES = ['PERSON', 'LOCATION', 'ORGANIZATION'];
export const TYPE_LABELS = { PERSON: 'Person', LOCATION: 'Location', ORGANIZATION: 'Organization' };

export const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
export const numberFormat = new Intl.NumberFormat();

export function parseTime(value) {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function relativeTime(value) {
  const date = parseTime(value);
  if (!date) return '—';
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  const abs = Math.abs(seconds);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 86400 * 30) return rtf.format(Math.round(seconds / 86400), 'day');
  return dateFormat.format(date);
}

export function timeNode(value, relative = true) {
  const date = parseTime(value);
  if (!date) return el('span', { class: 'muted' }, '—');
  return el('time', { datetime: date.toISOString(), title: dateTimeFormat.format(date) },
    relative ? relativeTime(value) : dateTimeFormat.format(date));
}

export function num(value, digits) {
  if (value === undefined || value === null || Number.isNaN(Number(value))) return '—';
  return digits === undefined ? numberFormat.format(value) : Number(value).toFixed(digits);
}

export function typeBadge(type) {
  const t = String(type || '').toUpperCase();
  return el('span', { class: `badge type-${t.toLowerCase()}` }, TYPE_LABELS[t] || t || '?');
}
