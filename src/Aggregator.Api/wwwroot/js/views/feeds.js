// #/feeds : the feeds, their health, and adding one.
import { el, clear, pageHeader } from '../dom.js';
import { num, timeNode } from '../format.js';
import { api, apiKey, query, errorBox } from '../api.js';
import { POLL_MS } from '../live.js';

export async function feedsPage(ctx) {
  const tableBox = el('div', { class: 'feeds-box' }, el('p', { class: 'muted' }, 'Loading…'));
  const message = el('div', { class: 'form-message', 'aria-live': 'polite' });
  const url = el('input', { type: 'url', id: 'feed-url', name: 'url', required: true, placeholder: 'https://example.org/rss', autocomplete: 'off' });
  const name = el('input', { type: 'text', id: 'feed-name', name: 'name', placeholder: 'Optional: taken from the feed', autocomplete: 'off' });
  const interval = el('input', { type: 'number', id: 'feed-interval', name: 'intervalMinutes', min: 1, placeholder: '15' });
  const key = el('input', { type: 'password', id: 'api-key', autocomplete: 'off', value: apiKey(), placeholder: 'Only when the server asks for it' });
  const submit = el('button', { type: 'submit', class: 'button' }, 'Add feed');
  const form = el('form', { class: 'feed-form card', novalidate: true },
    el('h2', null, 'Add a feed'),
    el('div', { class: 'field-row' },
      el('div', { class: 'field grow' }, el('label', { for: 'feed-url' }, 'Feed URL'), url),
      el('div', { class: 'field' }, el('label', { for: 'feed-name' }, 'Name'), name),
      el('div', { class: 'field narrow' }, el('label', { for: 'feed-interval' }, 'Every (min)'), interval),
      el('div', { class: 'field actions' }, submit)),
    el('details', { class: 'api-key' }, el('summary', null, 'API key'),
      el('div', { class: 'field' }, el('label', { for: 'api-key' }, 'Operator key (kept in this tab only)'), key)),
    message);

  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    clear(message).className = 'form-message';
    try { if (key.value) sessionStorage.setItem('aggregator.apiKey', key.value); else sessionStorage.removeItem('aggregator.apiKey'); } catch { /* private mode */ }
    if (!url.value.trim()) {
      message.classList.add('error');
      message.textContent = 'Give the feed\u2019s URL.';
      url.focus();
      return;
    }
    const body = { url: url.value.trim() };
    if (name.value.trim()) body.name = name.value.trim();
    if (interval.value) body.intervalMinutes = Number(interval.value);
    submit.disabled = true;
    try {
      const feed = await api('/api/feeds', { method: 'POST', body });
      message.classList.add('ok');
      const found = feed.discovery ? ` (found on ${feed.discovery.page})` : '';
      message.textContent = `Added “${feed.name}”${found}. It will be polled shortly.`;
      form.reset();
      key.value = apiKey();
      await loadFeeds(feed.id);
    } catch (e) {
      message.classList.add('error');
      if (e.status === 409) {
        // problem+json naming the feed that has this URL already
        const feed = e.body && e.body.feed;
        message.textContent = `This feed already exists${feed && feed.name ? ` as “${feed.name}”` : ''}.`;
        if (feed && feed.id !== undefined) highlightFeed(feed.id);
      } else if (e.status === 401) {
        message.textContent = `${e.message} Enter the operator key under “API key”.`;
      } else {
        message.textContent = e.message;
      }
    } finally {
      submit.disabled = false;
    }
  });

  ctx.root.append(pageHeader('Feeds'), form, tableBox);

  function highlightFeed(id) {
    const row = tableBox.querySelector(`tr[data-id="${CSS.escape(String(id))}"]`);
    if (row) { row.classList.add('flash'); row.scrollIntoView({ block: 'nearest' }); }
  }

  async function loadFeeds(flashId) {
    let feeds;
    try {
      feeds = await api('/api/feeds', { signal: ctx.signal });
    } catch (e) {
      if (e.name === 'AbortError') return;
      clear(tableBox).appendChild(errorBox(e, 'The feed list'));
      return;
    }
    const failing = feeds.filter(f => f.health && f.health.consecutiveFailures > 0).length;
    clear(tableBox).append(
      el('p', { class: 'muted status' }, `${feeds.length} ${feeds.length === 1 ? 'feed' : 'feeds'}`, failing ? el('span', { class: 'failing-count' }, ` · ${failing} failing`) : null),
      feeds.length ? el('div', { class: 'table-scroll' }, el('table', { class: 'table feeds' },
        el('thead', null, el('tr', null,
          ['Feed', 'Status', 'Last attempt', 'Last success', 'HTTP', 'Last error', 'Failures', 'Next poll', 'Stories']
            .map((h, i) => el('th', { class: i >= 6 && i !== 7 ? 'num' : null }, h)))),
        el('tbody', null, feeds.map(feedRow)))) : el('p', { class: 'muted' }, 'No feeds yet: add one above.'));
    if (flashId !== undefined) highlightFeed(flashId);
  }

  function feedRow(f) {
    const h = f.health || {};
    const failures = Number(h.consecutiveFailures) || 0;
    const state = !f.enabled ? ['disabled', 'Disabled'] : failures > 0 ? ['failing', `Failing ×${failures}`]
      : h.lastSuccessAt ? ['ok', 'OK'] : ['pending', 'Not polled yet'];
    return el('tr', { class: `feed-row ${state[0]}`, dataset: { id: f.id } },
      el('td', { class: 'feed-cell' },
        el('div', { class: 'feed-name' }, f.name),
        el('div', { class: 'feed-url muted' }, f.url),
        (f.tags && f.tags.length) ? el('div', { class: 'chips' }, f.tags.map(t => el('span', { class: 'chip small' }, t))) : null),
      el('td', null, el('span', { class: `badge status-${state[0]}` }, state[1])),
      el('td', null, timeNode(h.lastAttemptAt)),
      el('td', null, timeNode(h.lastSuccessAt)),
      el('td', null, h.lastStatus ?? '—'),
      el('td', { class: 'error-cell' }, h.lastError ? el('span', { class: 'error-text', title: h.lastError }, h.lastError) : el('span', { class: 'muted' }, '—')),
      el('td', { class: 'num' }, String(failures)),
      el('td', null, f.enabled ? timeNode(h.nextPollAt) : el('span', { class: 'muted' }, '—')),
      el('td', { class: 'num' }, el('a', { href: `#/search${query({ feed: f.id })}` }, num(f.storyCount))));
  }

  await loadFeeds();
  const timer = setInterval(() => { if (!document.hidden) loadFeeds(); }, POLL_MS);
  ctx.onLeave(() => clearInterval(timer));
}
