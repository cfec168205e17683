// #/story/{id} : one story whole.
import { el, clear } from '../dom.js';
import { api, errorBox } from '../api.js';
import { storyDetail } from '../stories.js';

export async function storyPage(ctx) {
  const box = el('div', { class: 'card' }, el('p', { class: 'muted' }, 'Loading…'));
  ctx.root.append(box);
  try {
    const story = await api(`/api/stories/${encodeURIComponent(ctx.id)}`, { signal: ctx.signal });
    clear(box).appendChild(storyDetail(story));
    document.title = `${story.title} · Aggregator`;
  } catch (e) {
    if (e.name === 'AbortError') return;
    clear(box).appendChild(errorBox(e));
  }
}
