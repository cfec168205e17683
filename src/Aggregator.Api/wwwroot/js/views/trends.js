// #/trends : entities mentioned in more stories than usual.
import { el, clear, pageHeader } from '../dom.js';
import { TYPES, TYPE_LABELS, num, typeBadge, timeNode } from '../format.js';
import { api, query, errorBox } from '../api.js';

export async function trendsPage(ctx) {
  const windowValue = ctx.params.get('window') || '24h';
  const typeValue = ctx.params.get('type') || '';
  const windowSelect = el('select', { id: 'window' },
    [['1h', 'Last hour'], ['6h', 'Last 6 hours'], ['24h', 'Last 24 hours'], ['7d', 'Last 7 days']]
      .map(([v, label]) => el('option', { value: v, selected: v === windowValue }, label)));
  const typeSelect = el('select', { id: 'trend-type' },
    el('option', { value: '' }, 'All types'), TYPES.map(t => el('option', { value: t, selected: t === typeValue }, TYPE_LABELS[t])));
  const change = () => { location.hash = `#/trends${query({ window: windowSelect.value, type: typeSelect.value })}`; };
  windowSelect.addEventListener('change', change);
  typeSelect.addEventListener('change', change);
  const body = el('div', { class: 'trends' }, el('p', { class: 'muted' }, 'Loading…'));
  ctx.root.append(
    pageHeader('Trending', el('div', { class: 'inline-controls' },
      el('label', null, 'Window ', windowSelect), el('label', null, 'Type ', typeSelect))),
    el('p', { class: 'muted intro' }, 'Entities mentioned in more stories than usual: the count in the window against their baseline rate.'),
    body);
  try {
    const trends = await api(`/api/trends${query({ window: windowValue, type: typeValue, limit: 25 })}`, { signal: ctx.signal });
    clear(body);
    if (!trends || !trends.length) {
      body.appendChild(el('p', { class: 'muted' }, 'Nothing is trending in this window.'));
      return;
    }
    const max = Math.max(...trends.map(t => Number(t.score) || 0), 1);
    body.appendChild(el('ol', { class: 'trend-list' }, trends.map((t, i) => el('li', { class: 'trend card' },
      el('div', { class: 'trend-head' },
        el('span', { class: 'rank' }, String(i + 1)),
        el('a', { class: 'trend-name', href: `#/entity/${encodeURIComponent(t.id)}` }, t.name),
        typeBadge(t.type),
        el('span', { class: 'score-bar', title: `score ${num(t.score, 2)}` }, el('span', { style: `width:${Math.max(2, Math.round(100 * (Number(t.score) || 0) / max))}%` }))),
      el('dl', { class: 'figures' },
        el('div', null, el('dt', null, 'Score'), el('dd', null, num(t.score, 2))),
        el('div', null, el('dt', null, 'In window'), el('dd', null, num(t.windowCount))),
        el('div', null, el('dt', null, 'Baseline'), el('dd', null, `${num(t.baselineRate, 2)} / window`))),
      (t.evidence && t.evidence.length) ? el('ul', { class: 'evidence' }, t.evidence.map(s => el('li', null,
        el('a', { href: `#/story/${encodeURIComponent(s.id)}` }, s.title || '(untitled)'), ' ', timeNode(s.published)))) : null))));
  } catch (e) {
    if (e.name === 'AbortError') return;
    clear(body).appendChild(errorBox(e, 'Trending'));
  }
}
