// The header's figures: stories, feeds, entities and failing feeds.
import { el, clear, append } from './dom.js';
import { num } from './format.js';
import { api } from './api.js';

export async function loadStats() {
  const box = document.getElementById('stats');
  try {
    const s = await api('/api/stats');
    // The helper, not Element.append: it leaves out the failing count when there is none (append would write "null").
    append(clear(box), [
      statItem(s.stories, 'stories'), statItem(s.feeds, 'feeds'), statItem(s.entities, 'entities'),
      s.failingFeeds ? el('a', { class: 'stat failing', href: '#/feeds' }, `${num(s.failingFeeds)} failing`) : null]);
    return s;
  } catch {
    clear(box);
    return null;
  }
}

function statItem(value, label) {
  return el('span', { class: 'stat' }, el('strong', null, num(value)), ` ${label}`);
}
