// #/entity/{id} (and #/entity?name=&type=) : one entity, its mentions over time, its company and its stories, and
// for operators its edits (js/views/entity-edit.js).
import { el, clear, append } from '../dom.js';
import { dateFormat, num, parseTime, timeNode, typeBadge } from '../format.js';
import { api, query, errorBox } from '../api.js';
import { resolveEntity, storyItem } from '../stories.js';
import { timeChart } from '../chart.js';
import { entityEditor, otherNames } from './entity-edit.js';

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

const DAY = 86400000;
const PRESETS = [['7d', 'Last 7 days', 7], ['30d', 'Last 30 days', 30], ['90d', 'Last 90 days', 90], ['365d', 'Last year', 365]];

/** YYYY-MM-DD of a time, in UTC (the API's dates are UTC). */
const isoDay = time => new Date(time).toISOString().slice(0, 10);

/**
 * The window the chart and the co-occurrences cover, from the hash: a preset (range=30d), or from/to dates (to
 * inclusive). Default: the last 30 days, or 7 days hourly. The API is asked for exactly this window, so the page can say it.
 */
function windowFrom(params, interval) {
  const now = Date.now();
  const from = /^\d{4}-\d{2}-\d{2}$/.test(params.get('from') || '') ? Date.parse(`${params.get('from')}T00:00:00Z`) : NaN;
  const to = /^\d{4}-\d{2}-\d{2}$/.test(params.get('to') || '') ? Date.parse(`${params.get('to')}T00:00:00Z`) + DAY : NaN;
  if (!Number.isNaN(from) || !Number.isNaN(to)) {
    const end = Number.isNaN(to) ? now : to;
    return { preset: null, start: Number.isNaN(from) ? end - 30 * DAY : from, end };
  }
  const preset = PRESETS.find(p => p[0] === params.get('range')) || (interval === 'hour' ? PRESETS[0] : PRESETS[1]);
  return { preset: preset[0], start: now - preset[2] * DAY, end: now };
}

function describeWindow(w) {
  const preset = PRESETS.find(p => p[0] === w.preset);
  const span = `${dateFormat.format(new Date(w.start))} – ${dateFormat.format(new Date(w.end - 1))}`;
  return preset ? `${preset[1].toLowerCase()} (${span})` : span;
}


export async function entityPage(ctx) {
  const interval = ctx.params.get('interval') === 'hour' ? 'hour' : 'day';
  const win = windowFrom(ctx.params, interval);
  // Set when the id asked for was merged into this entity (the API answered 308 to it), or a merge just came here.
  const mergedFrom = /^\d+$/.test(ctx.params.get('merged') || '') ? ctx.params.get('merged') : null;
  const box = el('div', { class: 'entity' }, el('p', { class: 'muted' }, 'Loading…'));
  ctx.root.append(box);
  const here = extra => `#/entity/${encodeURIComponent(ctx.id)}${query({ interval: interval === 'day' ? '' : interval, ...extra })}`;
  let editing = false;

  /** Reads the entity and shows it; after an edit, again, with the edit area open and what was done said there. */
  async function show(flash) {
    let e;
    try {
      e = await api(`/api/entities/${encodeURIComponent(ctx.id)}${query({ interval, from: new Date(win.start).toISOString(), to: new Date(win.end).toISOString() })}`,
        { signal: ctx.signal });
    } catch (err) {
      if (err.name === 'AbortError') return;
      clear(box).appendChild(err.status === 404
        ? el('div', { class: 'notice' }, el('strong', null, 'No such entity. '), `There is no entity ${ctx.id}. `,
          el('a', { href: '#/search' }, 'Search the stories'))
        : errorBox(err));
      return;
    }
    if (Number(e.id) !== Number(ctx.id)) {
      // fetch followed the 308 of a merged id: show the entity it is part of under its own id, saying so.
      const params = new URLSearchParams(ctx.params);
      params.set('merged', ctx.id);
      location.replace(`#/entity/${encodeURIComponent(e.id)}?${params}`);
      return;
    }
    const lastSeen = parseTime(e.lastSeen);
    if (win.preset && lastSeen && lastSeen.getTime() < win.start) {
      // Not mentioned in the default window: show the same length of time up to its last mention, saying so in the hash.
      const days = PRESETS.find(p => p[0] === win.preset)[2];
      location.replace(here({ from: isoDay(lastSeen.getTime() - (days - 1) * DAY), to: isoDay(lastSeen.getTime()), merged: mergedFrom }));
      return;
    }
    render(e, flash);
  }

  function render(e, flash) {
    document.title = `${e.name} · Aggregator`;
    const switcher = el('div', { class: 'segmented', role: 'group', 'aria-label': 'Interval' },
      ['hour', 'day'].map(v => el('a', { href: `#/entity/${encodeURIComponent(ctx.id)}${query({ interval: v === 'day' ? '' : v, range: win.preset, from: win.preset ? '' : isoDay(win.start), to: win.preset ? '' : isoDay(win.end - DAY) })}`,
        class: v === interval ? 'active' : '', 'aria-current': v === interval ? 'true' : null }, v === 'hour' ? 'Hourly' : 'Daily')));
    const fromInput = el('input', { type: 'date', id: 'entity-from', value: isoDay(win.start) });
    const toInput = el('input', { type: 'date', id: 'entity-to', value: isoDay(win.end - 1) });
    const range = el('form', { class: 'range-control', 'aria-label': 'Time window' },
      el('div', { class: 'segmented', role: 'group', 'aria-label': 'Preset windows' },
        PRESETS.map(([key, label]) => el('a', { href: here({ range: key }), class: key === win.preset ? 'active' : '', 'aria-current': key === win.preset ? 'true' : null }, label))),
      el('label', null, 'From ', fromInput), el('label', null, 'To ', toInput),
      el('button', { type: 'submit', class: 'button secondary small' }, 'Show'));
    range.addEventListener('submit', ev => {
      ev.preventDefault();
      location.hash = here({ from: fromInput.value, to: toInput.value });
    });
    const series = (e.series || []).map(p => ({ time: p.time, value: Number(p.mentions) || 0, stories: p.stories }));
    const co = e.cooccurrences || [];
    const latest = e.latest || [];
    const windowText = describeWindow(win);
    // The helper, not Element.append: parts that do not apply (no aliases) are left out, not written as "null".
    append(clear(box), [
      el('div', { class: 'page-header entity-header' },
        el('h1', { class: 'entity-name' }, e.name), typeBadge(e.type),
        el('a', { class: 'button secondary small', href: `#/search${query({ entity: e.name, type: e.type })}` }, 'Search its stories')),
      mergedFrom ? el('div', { class: 'notice merged-notice', role: 'status' },
        `Entity ${mergedFrom} was merged into ${e.name}: its id shows this entity now.`) : null,
      e.ignored ? el('div', { class: 'notice ignored-notice', role: 'status' }, el('strong', null, 'Not an entity. '),
        'It is left out of lists, trends and co-occurrences, and its mentions are hidden; “Edit” below undoes that.') : null,
      otherNames(e).length ? el('p', { class: 'aliases' }, el('span', { class: 'muted' }, 'Also written as: '), otherNames(e).join(' · ')) : null,
      el('dl', { class: 'figures wide', 'aria-label': 'All time' },
        el('div', null, el('dt', null, 'Mentions, all time'), el('dd', { class: 'entity-mentions' }, num(e.mentions))),
        el('div', null, el('dt', null, 'Stories, all time'), el('dd', { class: 'entity-stories' }, num(e.stories))),
        el('div', null, el('dt', null, 'First seen'), el('dd', null, timeNode(e.firstSeen, false))),
        el('div', null, el('dt', null, 'Last seen'), el('dd', null, timeNode(e.lastSeen, false)))),
      el('section', { class: 'card window' },
        el('div', { class: 'section-head' }, el('h2', null, 'Mentions over time'), switcher),
        range,
        el('p', { class: 'muted window-text' }, `${interval === 'hour' ? 'Hourly' : 'Daily'}, ${windowText}: ${num(series.reduce((n, p) => n + p.value, 0))} mentions.`),
        series.some(p => p.value > 0) ? timeChart(series, { interval, height: 260, label: 'mentions' })
          : el('p', { class: 'muted' }, 'No mentions in this window. ',
            lastSeen ? el('a', { href: here({ from: isoDay(lastSeen.getTime() - 29 * DAY), to: isoDay(lastSeen.getTime()) }) }, 'Show the 30 days up to its last mention') : null)),
      el('div', { class: 'columns' },
        el('section', { class: 'card' }, el('h2', null, 'Often mentioned with'),
          el('p', { class: 'muted window-text' }, `In the stories of the ${windowText}.`),
          co.length ? el('table', { class: 'table cooccurrences' },
            el('thead', null, el('tr', null, el('th', null, 'Entity'), el('th', null, 'Type'), el('th', { class: 'num' }, 'Stories'), el('th', { class: 'num', title: 'How much more often they appear together than by chance' }, 'Lift'))),
            el('tbody', null, co.map(c => el('tr', null,
              el('td', null, el('a', { href: `#/entity/${encodeURIComponent(c.id)}` }, c.name)),
              el('td', null, typeBadge(c.type)),
              el('td', { class: 'num' }, num(c.stories)),
              el('td', { class: 'num' }, num(c.lift, 2))))))
            : el('p', { class: 'muted' }, 'No entity shares its stories in this window.')),
        el('section', { class: 'card' }, el('h2', null, 'Latest stories'),
          el('p', { class: 'muted window-text' }, 'The newest, whatever the window.'),
          latest.length ? el('ol', { class: 'stories compact' }, latest.map(s => storyItem(s))) : el('p', { class: 'muted' }, 'No stories.'))),
      entityEditor(e, { open: editing, flash, signal: ctx.signal, reload: done => { editing = true; return show(done); }, onToggle: open => { editing = open; } }),
    ]);
  }

  await show();
}
