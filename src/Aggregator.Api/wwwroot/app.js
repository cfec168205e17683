// Aggregator dashboard: plain JavaScript modules (js/, one per view under js/views/), hash routing, no dependencies
// and no build step. Everything that comes from feeds (titles, text, names, errors) is inserted as text, never as markup.
import { el, clear } from './js/dom.js';
import { errorBox } from './js/api.js';
import { POLL_MS, startStream } from './js/live.js';
import { loadStats } from './js/stats.js';
import { latestPage } from './js/views/latest.js';
import { searchPage } from './js/views/search.js';
import { trendsPage } from './js/views/trends.js';
import { feedsPage } from './js/views/feeds.js';
import { entityByNamePage, entityPage } from './js/views/entity.js';
import { storyPage } from './js/views/story.js';
import { notFoundPage } from './js/views/not-found.js';

const view = document.getElementById('view');

const routes = [
  [/^\/?$/, latestPage, 'latest'],
  [/^\/search$/, searchPage, 'search'],
  [/^\/trends$/, trendsPage, 'trends'],
  [/^\/feeds$/, feedsPage, 'feeds'],
  [/^\/entity$/, entityByNamePage, null],
  [/^\/entity\/([^/]+)$/, entityPage, null],
  [/^\/story\/([^/]+)$/, storyPage, 'latest'],
];

/** Each page gets a context: its container, its query, and a signal that says it has been left. */
let current = null;

function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, search = ''] = hash.split('?');
  if (current) current.leave();
  const controller = new AbortController();
  const leaveHandlers = [];
  const root = el('div', { class: 'page' });
  const ctx = {
    root, params: new URLSearchParams(search), signal: controller.signal, id: null,
    onLeave: fn => leaveHandlers.push(fn),
    leave: () => { controller.abort(); leaveHandlers.forEach(fn => { try { fn(); } catch { /* ignore */ } }); },
  };
  current = ctx;
  let handler = notFoundPage, nav = null;
  for (const [pattern, page, section] of routes) {
    const m = pattern.exec(path);
    if (m) { handler = page; nav = section; ctx.id = m[1] ? decodeURIComponent(m[1]) : null; break; }
  }
  document.title = 'Aggregator';
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === nav) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  clear(view).appendChild(root);
  window.scrollTo(0, 0);
  Promise.resolve(handler(ctx)).catch(e => {
    if (e && e.name === 'AbortError') return;
    root.appendChild(errorBox(e));
  });
}

// A view that shows the hash already current (a search submitted again) asks for it by this event.
window.addEventListener('hashchange', route);
startStream();
loadStats();
setInterval(() => { if (!document.hidden) loadStats(); }, POLL_MS * 2);
route();
