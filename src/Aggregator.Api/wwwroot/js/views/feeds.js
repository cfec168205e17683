// #/feeds : the feeds with their health; adding, refreshing, pausing, resuming, deleting and re-timing them; sorted and filtered.
import { el, clear, pageHeader } from '../dom.js';
import { num, parseTime, timeNode } from '../format.js';
import { api, apiKey, apiKeyField, operatorError, query, errorBox } from '../api.js';
import { POLL_MS } from '../live.js';

const SORTS = { failing: 'Failing first', name: 'Name', success: 'Last success' };
const STATUSES = { all: 'All feeds', failing: 'Failing', paused: 'Paused', ok: 'Working' };

function stateOf(f) {
  const failures = Number(f.health && f.health.consecutiveFailures) || 0;
  if (!f.enabled) return ['disabled', 'Paused'];
  if (failures > 0) return ['failing', `Failing ×${failures}`];
  return f.health && f.health.lastSuccessAt ? ['ok', 'OK'] : ['pending', 'Not polled yet'];
}

function matches(f, status, text) {
  const state = stateOf(f)[0];
  if (status === 'failing' && state !== 'failing') return false;
  if (status === 'paused' && state !== 'disabled') return false;
  if (status === 'ok' && state !== 'ok') return false;
  if (!text) return true;
  const needle = text.toLowerCase();
  return [f.name, f.url, ...(f.tags || [])].some(v => String(v).toLowerCase().includes(needle));
}

const byName = (a, b) => String(a.name).localeCompare(String(b.name), undefined, { sensitivity: 'base' }) || a.id - b.id;
const lastSuccess = f => (parseTime(f.health && f.health.lastSuccessAt) || new Date(0)).getTime();
const ORDER = {
  failing: (a, b) => (Number(b.health.consecutiveFailures) || 0) - (Number(a.health.consecutiveFailures) || 0) || Number(a.enabled) - Number(b.enabled) || byName(a, b),
  name: byName,
  success: (a, b) => lastSuccess(b) - lastSuccess(a) || byName(a, b),
};

export async function feedsPage(ctx) {
  const view = {
    sort: SORTS[ctx.params.get('sort')] ? ctx.params.get('sort') : 'failing',
    status: STATUSES[ctx.params.get('status')] ? ctx.params.get('status') : 'all',
    q: ctx.params.get('q') || '',
  };
  let feeds = [];
  const tableBox = el('div', { class: 'feeds-box' }, el('p', { class: 'muted' }, 'Loading…'));
  const message = el('div', { class: 'form-message', 'aria-live': 'polite' });
  const url = el('input', { type: 'url', id: 'feed-url', name: 'url', required: true, placeholder: 'https://example.org/rss, or the site itself', autocomplete: 'off' });
  const name = el('input', { type: 'text', id: 'feed-name', name: 'name', placeholder: 'Optional: taken from the feed', autocomplete: 'off' });
  const interval = el('input', { type: 'number', id: 'feed-interval', name: 'intervalMinutes', min: 1, placeholder: '15' });
  const keyField = apiKeyField('api-key');
  const submit = el('button', { type: 'submit', class: 'button' }, 'Add feed');
  const form = el('form', { class: 'feed-form card', novalidate: true },
    el('h2', null, 'Add a feed'),
    el('div', { class: 'field-row' },
      el('div', { class: 'field grow' }, el('label', { for: 'feed-url' }, 'Feed or site URL'), url),
      el('div', { class: 'field' }, el('label', { for: 'feed-name' }, 'Name'), name),
      el('div', { class: 'field narrow' }, el('label', { for: 'feed-interval' }, 'Every (min)'), interval),
      el('div', { class: 'field actions' }, submit)),
    keyField,
    message);

  const say = (kind, text) => { message.className = `form-message ${kind}`; message.textContent = text; };
  const sayError = e => say('error', operatorError(e));

  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    clear(message).className = 'form-message';
    if (!url.value.trim()) {
      say('error', 'Give the feed\u2019s URL.');
      url.focus();
      return;
    }
    const body = { url: url.value.trim() };
    if (name.value.trim()) body.name = name.value.trim();
    if (interval.value) body.intervalMinutes = Number(interval.value);
    submit.disabled = true;
    try {
      const feed = await api('/api/feeds', { method: 'POST', body });
      const found = feed.discovery ? ` (found on ${feed.discovery.page})` : '';
      say('ok', `Added “${feed.name}”${found}. It will be polled shortly.`);
      form.reset();
      keyField.querySelector('input').value = apiKey();
      await loadFeeds(feed.id);
    } catch (e) {
      if (e.status === 409) {
        // problem+json naming the feed that has this URL already
        const feed = e.body && e.body.feed;
        say('error', `This feed already exists${feed && feed.name ? ` as “${feed.name}”` : ''}.`);
        if (feed && feed.id !== undefined) highlightFeed(feed.id);
      } else {
        sayError(e);
      }
    } finally {
      submit.disabled = false;
    }
  });

  // Sorting and filtering happen here, over the list the page has; the hash keeps them for a reload or a link.
  const filter = el('input', { type: 'search', id: 'feed-filter', value: view.q, placeholder: 'Name, URL or tag', autocomplete: 'off' });
  const status = el('select', { id: 'feed-status' }, Object.entries(STATUSES).map(([v, label]) => el('option', { value: v, selected: v === view.status }, label)));
  const sort = el('select', { id: 'feed-sort' }, Object.entries(SORTS).map(([v, label]) => el('option', { value: v, selected: v === view.sort }, label)));
  const controls = el('div', { class: 'feed-controls' },
    el('label', null, 'Show ', status), el('label', null, 'Sort ', sort), el('label', { class: 'grow' }, 'Filter ', filter));
  const changed = () => {
    Object.assign(view, { q: filter.value.trim(), status: status.value, sort: sort.value });
    history.replaceState(null, '', `#/feeds${query({ sort: view.sort === 'failing' ? '' : view.sort, status: view.status === 'all' ? '' : view.status, q: view.q })}`);
    render();
  };
  filter.addEventListener('input', changed);
  status.addEventListener('change', changed);
  sort.addEventListener('change', changed);

  ctx.root.append(pageHeader('Feeds'), form, controls, tableBox);

  function highlightFeed(id) {
    const row = tableBox.querySelector(`[data-id="${CSS.escape(String(id))}"]`);
    if (row) { row.classList.add('flash'); row.scrollIntoView({ block: 'nearest' }); }
  }

  async function loadFeeds(flashId) {
    try {
      feeds = await api('/api/feeds', { signal: ctx.signal });
    } catch (e) {
      if (e.name === 'AbortError') return;
      clear(tableBox).appendChild(errorBox(e, 'The feed list'));
      return;
    }
    render();
    if (flashId !== undefined) highlightFeed(flashId);
  }

  function render() {
    const failing = feeds.filter(f => stateOf(f)[0] === 'failing').length;
    const shown = feeds.filter(f => matches(f, view.status, view.q)).sort(ORDER[view.sort]);
    const heads = ['Feed', 'Status', 'Last attempt', 'Last success', 'HTTP', 'Last error', 'Failures', 'Next poll', 'Every (min)', 'Stories', ''];
    clear(tableBox).append(
      el('p', { class: 'muted status' }, `${feeds.length} ${feeds.length === 1 ? 'feed' : 'feeds'}`,
        failing ? el('span', { class: 'failing-count' }, ` · ${failing} failing`) : '',
        shown.length < feeds.length ? ` · ${shown.length} shown` : ''),
      !feeds.length ? el('p', { class: 'muted' }, 'No feeds yet: add one above.')
        : !shown.length ? el('p', { class: 'muted' }, 'No feed matches.')
          : el('div', { class: 'table-scroll' }, el('table', { class: 'table feeds' },
            el('thead', null, el('tr', null, heads.map((h, i) => el('th', { class: [6, 9].includes(i) ? 'num' : null }, h)))),
            el('tbody', null, shown.map(f => feedRow(f, heads))))));
  }

  function feedRow(f, heads) {
    const h = f.health || {};
    const [state, label] = stateOf(f);
    const cell = (i, attrs, ...content) => el('td', { ...attrs, 'data-label': heads[i] }, ...content);
    const every = el('input', { type: 'number', class: 'interval', min: 1, max: 1440, value: f.intervalMinutes, 'aria-label': `Poll ${f.name} every N minutes` });
    every.addEventListener('change', () => act(f, `Every ${every.value} min`, () => api(`/api/feeds/${f.id}`, { method: 'PATCH', body: { intervalMinutes: Number(every.value) } })));
    const actions = el('div', { class: 'row-actions' },
      el('button', { type: 'button', class: 'button secondary small', 'data-action': 'refresh', onclick: () => refresh(f) }, 'Refresh'),
      el('button', { type: 'button', class: 'button secondary small', 'data-action': f.enabled ? 'pause' : 'resume',
        onclick: () => act(f, f.enabled ? 'Paused' : 'Resumed', () => api(`/api/feeds/${f.id}`, { method: 'PATCH', body: { enabled: !f.enabled } })) },
        f.enabled ? 'Pause' : 'Resume'),
      el('button', { type: 'button', class: 'button secondary small danger', 'data-action': 'delete', onclick: ev => confirmDelete(f, ev.currentTarget) }, 'Delete'));
    return el('tr', { class: `feed-row ${state}`, dataset: { id: f.id } },
      cell(0, { class: 'feed-cell' },
        el('div', { class: 'feed-name' }, f.name),
        el('div', { class: 'feed-url muted' }, f.url),
        (f.tags && f.tags.length) ? el('div', { class: 'chips' }, f.tags.map(t => el('span', { class: 'chip small' }, t))) : null),
      cell(1, null, el('span', { class: `badge status-${state}` }, label)),
      cell(2, null, timeNode(h.lastAttemptAt)),
      cell(3, null, timeNode(h.lastSuccessAt)),
      cell(4, null, h.lastStatus ?? '—'),
      cell(5, { class: 'error-cell' }, h.lastError ? el('span', { class: 'error-text', title: h.lastError }, h.lastError) : el('span', { class: 'muted' }, '—')),
      cell(6, { class: 'num' }, String(Number(h.consecutiveFailures) || 0)),
      cell(7, null, f.enabled ? timeNode(h.nextPollAt) : el('span', { class: 'muted' }, '—')),
      cell(8, null, every),
      cell(9, { class: 'num' }, el('a', { href: `#/search${query({ feed: f.id })}` }, num(f.storyCount))),
      cell(10, { class: 'actions-cell' }, actions));
  }

  /** One change to one feed, said in the message line, then the list again. */
  async function act(f, done, request) {
    try {
      await request();
      say('ok', `${done}: “${f.name}”.`);
    } catch (e) {
      sayError(e);
    }
    await loadFeeds(f.id);
  }

  /** A refresh polls at once, even a resting feed; its result shows as the list is read again. */
  async function refresh(f) {
    try {
      await api(`/api/feeds/${f.id}/refresh`, { method: 'POST' });
      say('ok', `Polling “${f.name}” now.`);
    } catch (e) {
      sayError(e);
      return;
    }
    for (const wait of [1500, 4000, 10000]) {
      await new Promise(resolve => setTimeout(resolve, wait));
      if (ctx.signal.aborted) return;
      await loadFeeds();
    }
  }

  /** Deleting asks first, in the row itself. */
  function confirmDelete(f, button) {
    const box = button.closest('.row-actions');
    const question = el('div', { class: 'confirm', role: 'group', 'aria-label': `Delete ${f.name}?` },
      el('span', null, `Delete “${f.name}”? Its stories stay.`),
      el('button', { type: 'button', class: 'button small danger', 'data-action': 'confirm-delete',
        onclick: () => act(f, 'Deleted', () => api(`/api/feeds/${f.id}`, { method: 'DELETE' })) }, 'Delete'),
      el('button', { type: 'button', class: 'button secondary small', 'data-action': 'cancel', onclick: () => question.replaceWith(box) }, 'Cancel'));
    box.replaceWith(question);
    question.querySelector('[data-action=cancel]').focus();
  }

  await loadFeeds();
  const timer = setInterval(() => { if (!document.hidden) loadFeeds(); }, POLL_MS);
  ctx.onLeave(() => clearInterval(timer));
}
