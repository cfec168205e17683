// #/ : the latest stories, live.
import { el, pageHeader } from '../dom.js';
import { api, query, errorBox } from '../api.js';
import { storyItem } from '../stories.js';
import { live, POLL_MS } from '../live.js';
import { loadStats } from '../stats.js';
import { timeChart } from '../chart.js';

export async function latestPage(ctx) {
  const list = el('ol', { class: 'stories', 'aria-label': 'Latest stories' });
  const status = el('p', { class: 'muted status' }, 'Loading…');
  const more = el('button', { type: 'button', class: 'button secondary', hidden: true }, 'More stories');
  const perHour = el('div', { class: 'per-hour' });
  const liveNote = el('span', { class: 'live muted' });
  ctx.root.append(pageHeader('Latest stories', liveNote), perHour, status, list, el('div', { class: 'more' }, more));
  const seen = new Set();
  let next = null;

  const add = (items, { atTop = false, fresh = false } = {}) => {
    const nodes = [];
    for (const s of items) {
      if (seen.has(s.id)) continue;
      seen.add(s.id);
      nodes.push(storyItem(s, { fresh }));
    }
    if (atTop) list.prepend(...nodes); else list.append(...nodes);
    return nodes.length;
  };

  try {
    const page = await api(`/api/stories${query({ limit: 30 })}`, { signal: ctx.signal });
    add(page.items || []);
    next = page.next;
    more.hidden = !next;
    status.textContent = seen.size ? '' : 'No stories yet. Add a feed on the Feeds page; stories appear here as feeds are polled.';
    status.hidden = seen.size > 0;
  } catch (e) {
    if (e.name === 'AbortError') return;
    status.replaceWith(errorBox(e, 'The story list'));
  }

  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      const page = await api(`/api/stories${query({ limit: 30, cursor: next })}`);
      add(page.items || []);
      next = page.next;
      more.hidden = !next;
    } catch (e) {
      more.after(errorBox(e));
    } finally {
      more.disabled = false;
    }
  });

  // Live: the SSE stream when the server has one, else a light poll of the first page.
  const onStory = s => {
    if (add([{ id: s.id, title: s.title, published: s.published, feeds: [] }], { atTop: true, fresh: true })) status.hidden = true;
  };
  live.listeners.add(onStory);
  ctx.onLeave(() => live.listeners.delete(onStory));
  const poll = setInterval(async () => {
    if (live.sse || document.hidden) return;
    try {
      const page = await api(`/api/stories${query({ limit: 30 })}`, { signal: ctx.signal });
      const fresh = (page.items || []).filter(s => !seen.has(s.id)).reverse();
      for (const s of fresh) add([s], { atTop: true, fresh: true });
      if (seen.size) status.hidden = true;
    } catch { /* the next poll tries again */ }
  }, POLL_MS);
  ctx.onLeave(() => clearInterval(poll));
  const updateLive = () => { liveNote.textContent = live.sse ? '● live' : 'refreshes every 30 s'; };
  updateLive();
  const liveTimer = setInterval(updateLive, 2000);
  ctx.onLeave(() => clearInterval(liveTimer));

  const stats = await loadStats();
  if (stats && Array.isArray(stats.perHour) && stats.perHour.length && !ctx.signal.aborted) {
    perHour.append(el('h2', { class: 'small-heading' }, 'Stories per hour'),
      timeChart(stats.perHour.map(p => ({ time: p.hour, value: p.stories })), { interval: 'hour', height: 140, label: 'stories' }));
  }
}
