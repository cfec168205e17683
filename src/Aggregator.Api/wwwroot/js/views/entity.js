// #/entity/{id} (and #/entity?name=&type=) : one entity, its mentions over time, its company and its stories.
import { el, clear } from '../dom.js';
import { num, parseTime, timeNode, typeBadge } from '../format.js';
import { api, query, errorBox } from '../api.js';
import { resolveEntity, storyItem } from '../stories.js';
import { timeChart } from '../chart.js';

/** #/entity?name=..&type=..: find the id by the canonical name, then show the entity page. */
export async function entityByNamePage(ctx) {
  const name = ctx.params.get('name') || '';
  const type = ctx.params.get('type') || '';
  const box = el('div', null, el('p', { class: 'muted' }, `Looking up ${name}…`));
  ctx.root.append(box);
  try {
    const id = await resolveEntity(name, type);
    if (ctx.signal.aborted) return;
    if (id !== null && id !== undefined) {
      location.replace(`#/entity/${encodeURIComponent(id)}`);
      return;
    }
    clear(box).append(el('div', { class: 'notice' }, `No entity page for ${name}. `,
      el('a', { href: `#/search${query({ entity: name, type })}` }, 'Search stories mentioning it')));
  } catch (e) {
    clear(box).append(errorBox(e), el('p', null, el('a', { href: `#/search${query({ entity: name, type })}` }, `Search stories mentioning ${name}`)));
  }
}

const entityCache = new Map();

export async function entityPage(ctx) {
  const interval = ctx.params.get('interval') === 'hour' ? 'hour' : 'day';
  const box = el('div', { class: 'entity' }, el('p', { class: 'muted' }, 'Loading…'));
  ctx.root.append(box);
  const known = entityCache.get(ctx.id);
  const params = { interval };
  if (interval === 'hour' && known && known.lastSeen) {
    // Hourly buckets over the last week of the entity's mentions.
    const last = parseTime(known.lastSeen);
    if (last) {
      params.from = new Date(last.getTime() - 7 * 86400000).toISOString();
      params.to = new Date(last.getTime() + 3600000).toISOString();
    }
  }
  let e;
  try {
    e = await api(`/api/entities/${encodeURIComponent(ctx.id)}${query(params)}`, { signal: ctx.signal });
  } catch (err) {
    if (err.name === 'AbortError') return;
    clear(box).appendChild(errorBox(err, 'The entity page'));
    return;
  }
  entityCache.set(ctx.id, e);
  document.title = `${e.name} · Aggregator`;
  const switcher = el('div', { class: 'segmented', role: 'group', 'aria-label': 'Interval' },
    ['hour', 'day'].map(v => el('a', { href: `#/entity/${encodeURIComponent(ctx.id)}${query({ interval: v })}`, class: v === interval ? 'active' : '', 'aria-current': v === interval ? 'true' : null }, v === 'hour' ? 'Hourly' : 'Daily')));
  const series = (e.series || []).map(p => ({ time: p.time, value: Number(p.mentions) || 0, stories: p.stories }));
  const co = e.cooccurrences || [];
  const latest = e.latest || [];
  clear(box).append(
    el('div', { class: 'page-header entity-header' },
      el('h1', { class: `entity-name` }, e.name), typeBadge(e.type),
      el('a', { class: 'button secondary small', href: `#/search${query({ entity: e.name, type: e.type })}` }, 'Search its stories')),
    (e.aliases && e.aliases.length) ? el('p', { class: 'aliases' }, el('span', { class: 'muted' }, 'Also written as: '), e.aliases.join(' · ')) : null,
    el('dl', { class: 'figures wide' },
      el('div', null, el('dt', null, 'Mentions'), el('dd', null, num(e.mentions))),
      el('div', null, el('dt', null, 'Stories'), el('dd', null, num(e.stories))),
      el('div', null, el('dt', null, 'First seen'), el('dd', null, timeNode(e.firstSeen, false))),
      el('div', null, el('dt', null, 'Last seen'), el('dd', null, timeNode(e.lastSeen, false)))),
    el('section', { class: 'card' },
      el('div', { class: 'section-head' }, el('h2', null, 'Mentions over time'), switcher),
      series.length ? timeChart(series, { interval, height: 260, label: 'mentions' }) : el('p', { class: 'muted' }, 'No mentions in this range.')),
    el('div', { class: 'columns' },
      el('section', { class: 'card' }, el('h2', null, 'Often mentioned with'),
        co.length ? el('table', { class: 'table cooccurrences' },
          el('thead', null, el('tr', null, el('th', null, 'Entity'), el('th', null, 'Type'), el('th', { class: 'num' }, 'Stories'), el('th', { class: 'num', title: 'How much more often they appear together than by chance' }, 'Lift'))),
          el('tbody', null, co.map(c => el('tr', null,
            el('td', null, el('a', { href: `#/entity/${encodeURIComponent(c.id)}` }, c.name)),
            el('td', null, typeBadge(c.type)),
            el('td', { class: 'num' }, num(c.stories)),
            el('td', { class: 'num' }, num(c.lift, 2))))))
          : el('p', { class: 'muted' }, 'No co-occurring entities yet.')),
      el('section', { class: 'card' }, el('h2', null, 'Latest stories'),
        latest.length ? el('ol', { class: 'stories compact' }, latest.map(s => storyItem(s))) : el('p', { class: 'muted' }, 'No stories.'))));
}
