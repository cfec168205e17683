// #/search : stories by text, entities, type, feed and date.
import { el, clear, pageHeader } from '../dom.js';
import { TYPES, TYPE_LABELS } from '../format.js';
import { api, query, errorBox } from '../api.js';
import { storyItem } from '../stories.js';
import { entityCombo } from '../entity-combo.js';

function searchParamsFromHash(params) {
  return {
    q: params.get('q') || '',
    entity: params.getAll('entity'),
    match: params.get('match') || 'all',
    type: params.get('type') || '',
    feed: params.get('feed') || '',
    from: params.get('from') || '',
    to: params.get('to') || '',
    sort: params.get('sort') || 'published',
  };
}

export async function searchPage(ctx) {
  const state = searchParamsFromHash(ctx.params);
  const entities = [...state.entity];

  const q = el('input', { type: 'search', name: 'q', id: 'q', value: state.q, placeholder: 'Words, "a phrase", prefix*, -exclude, OR', autocomplete: 'off', maxlength: 500 });
  const entityInput = el('input', { type: 'text', id: 'entity-input', placeholder: 'Type a person, place or organisation' });
  const chips = el('div', { class: 'chips entity-chips' });
  const type = el('select', { id: 'type', name: 'type' },
    el('option', { value: '' }, 'Any type'), TYPES.map(t => el('option', { value: t, selected: state.type === t }, TYPE_LABELS[t])));
  const match = el('select', { id: 'match', name: 'match' },
    el('option', { value: 'all', selected: state.match !== 'any' }, 'all entities'),
    el('option', { value: 'any', selected: state.match === 'any' }, 'any entity'));
  const from = el('input', { type: 'date', id: 'from', name: 'from', value: state.from.slice(0, 10) });
  const to = el('input', { type: 'date', id: 'to', name: 'to', value: state.to.slice(0, 10) });
  const sort = el('select', { id: 'sort', name: 'sort' },
    el('option', { value: 'published', selected: state.sort !== 'relevance' }, 'Newest first'),
    el('option', { value: 'relevance', selected: state.sort === 'relevance' }, 'Most relevant'));

  const renderChips = () => {
    clear(chips);
    for (const name of entities) {
      chips.appendChild(el('span', { class: 'chip filter-chip' }, name,
        el('button', { type: 'button', class: 'chip-remove', 'aria-label': `Remove ${name}`, onclick: () => { entities.splice(entities.indexOf(name), 1); renderChips(); } }, '×')));
    }
    match.parentElement && (match.parentElement.hidden = entities.length < 2);
  };

  const addEntity = name => {
    const trimmed = String(name || '').trim();
    if (trimmed && !entities.some(e => e.toLowerCase() === trimmed.toLowerCase())) entities.push(trimmed);
    entityInput.value = '';
    renderChips();
  };
  const entityField = entityCombo(entityInput, {
    listId: 'entity-suggestions', type: () => type.value,
    onPick: e => addEntity(e.name),
    onEnter: text => { if (text) addEntity(text); else form.requestSubmit(); },
  });

  const form = el('form', { class: 'search-form', role: 'search' },
    el('div', { class: 'field grow' }, el('label', { for: 'q' }, 'Text'), q),
    el('div', { class: 'field grow entity-field' }, el('label', { for: 'entity-input' }, 'Entities'),
      entityField, chips),
    el('div', { class: 'field-row' },
      el('div', { class: 'field' }, el('label', { for: 'type' }, 'Type'), type),
      el('div', { class: 'field', hidden: entities.length < 2 }, el('label', { for: 'match' }, 'Match'), match),
      el('div', { class: 'field' }, el('label', { for: 'from' }, 'From'), from),
      el('div', { class: 'field' }, el('label', { for: 'to' }, 'To'), to),
      el('div', { class: 'field' }, el('label', { for: 'sort' }, 'Sort'), sort),
      el('div', { class: 'field actions' }, el('button', { type: 'submit', class: 'button' }, 'Search'))));

  form.addEventListener('submit', ev => {
    ev.preventDefault();
    if (entityInput.value.trim()) addEntity(entityInput.value);
    const params = {
      q: q.value.trim(), entity: entities, match: entities.length > 1 ? match.value : '', type: type.value,
      feed: state.feed, from: from.value, to: to.value, sort: sort.value === 'relevance' ? 'relevance' : '',
    };
    const hash = `#/search${query(params)}`;
    if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange')); else location.hash = hash;
  });

  const results = el('div', { class: 'results' });
  ctx.root.append(pageHeader('Search'), form, results);
  renderChips();

  const hasCriteria = state.q || entities.length || state.from || state.to || state.feed || state.type;
  if (!hasCriteria) {
    results.appendChild(el('p', { class: 'muted' }, 'Search stories by text, by the entities they mention, by type and by date.'));
    q.focus();
    return;
  }
  if (state.sort === 'relevance' && !state.q) {
    results.appendChild(el('div', { class: 'notice' }, 'Sorting by relevance needs a search text; showing newest first.'));
    state.sort = 'published';
  }
  const params = {
    q: state.q, entity: entities, match: entities.length > 1 ? state.match : '', type: state.type, feed: state.feed,
    from: state.from, to: state.to ? nextDay(state.to) : '', sort: state.sort === 'relevance' ? 'relevance' : '', limit: 20,
  };
  const list = el('ol', { class: 'stories results-list', 'aria-label': 'Search results' });
  const summary = el('p', { class: 'muted status' }, 'Searching…');
  const more = el('button', { type: 'button', class: 'button secondary', hidden: true }, 'More results');
  results.append(summary, list, el('div', { class: 'more' }, more));
  let next = null, count = 0;
  const load = async cursor => {
    const page = await api(`/api/stories${query({ ...params, cursor })}`, { signal: ctx.signal });
    for (const s of page.items || []) { list.appendChild(storyItem(s, { snippet: true })); count++; }
    next = page.next;
    more.hidden = !next;
    summary.textContent = count ? `${count}${next ? '+' : ''} ${count === 1 ? 'story' : 'stories'}` : 'No stories match.';
  };
  try {
    await load(null);
  } catch (e) {
    if (e.name === 'AbortError') return;
    summary.replaceWith(errorBox(e));
  }
  more.addEventListener('click', async () => {
    more.disabled = true;
    try { await load(next); } catch (e) { if (e.name !== 'AbortError') more.after(errorBox(e)); } finally { more.disabled = false; }
  });
}

/** The date inputs are whole days; `to` is exclusive on the server, so the day after includes the chosen day. */
function nextDay(date) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
