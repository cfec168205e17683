// The entity page's edit area, for operators: rename, retype, "not an entity", merge into another entity (found by
// name), split an alias off, and the edits of this entity with their undo. The API says who may: a refusal is shown
// as such, and so is every other problem it answers.
import { el, clear, append } from '../dom.js';
import { TYPES, TYPE_LABELS, num, timeNode } from '../format.js';
import { api, apiKeyField, operatorError, query } from '../api.js';
import { entityCombo } from '../entity-combo.js';

const REFUSED = 'Editing needs the operator key';

/** The names the entity is also written as: its aliases but its own name. */
export const otherNames = e => (e.aliases || []).filter(alias => alias !== e.name);

/**
 * e: the entity as the entity page has it. reload(flash): the page shows the entity again, flash (text and nodes)
 * said in this area. open: whether the area starts open; onToggle(open) keeps that for the next showing.
 */
export function entityEditor(e, { open, flash, signal, reload, onToggle }) {
  const path = `/api/entities/${encodeURIComponent(e.id)}`;
  const message = el('div', { class: 'form-message', 'aria-live': 'polite' });
  const say = (kind, ...content) => { message.className = `form-message ${kind}`; append(clear(message), content); };

  /** One edit at a time: the controls wait for the answer; a problem is said, success goes on with what it answered. */
  async function edit(request, done) {
    const controls = [...area.querySelectorAll('button, input, select')];
    controls.forEach(c => { c.disabled = true; });
    let result;
    try {
      result = await request();
    } catch (err) {
      if (err.name === 'AbortError') return;
      say('error', operatorError(err, REFUSED));
      controls.forEach(c => { c.disabled = false; });
      return;
    }
    await done(result);
  }

  const entityLink = entity => el('a', { href: `#/entity/${encodeURIComponent(entity.id)}` }, entity.name);

  // Name and type.
  const name = el('input', { type: 'text', id: 'entity-new-name', value: e.name, maxlength: 200, autocomplete: 'off' });
  const rename = el('form', { class: 'field-row', 'aria-label': 'Rename' },
    el('div', { class: 'field grow' }, el('label', { for: 'entity-new-name' }, 'Canonical name'), name),
    el('div', { class: 'field actions' }, el('button', { type: 'submit', class: 'button small', 'data-action': 'rename' }, 'Rename')));
  rename.addEventListener('submit', ev => {
    ev.preventDefault();
    const value = name.value.trim();
    if (!value) { say('error', 'Give the new name.'); name.focus(); return; }
    edit(() => api(path, { method: 'PATCH', body: { name: value } }),
      r => reload([`Renamed to “${r.entity.name}”; “${e.name}” stays an alias.`]));
  });
  const type = el('select', { id: 'entity-new-type' }, TYPES.map(t => el('option', { value: t, selected: t === e.type }, TYPE_LABELS[t])));
  const retype = el('form', { class: 'field-row', 'aria-label': 'Retype' },
    el('div', { class: 'field grow' }, el('label', { for: 'entity-new-type' }, 'Type'), type),
    el('div', { class: 'field actions' }, el('button', { type: 'submit', class: 'button small', 'data-action': 'retype' }, 'Retype')));
  retype.addEventListener('submit', ev => {
    ev.preventDefault();
    edit(() => api(path, { method: 'PATCH', body: { type: type.value } }),
      r => reload([`Now a${r.entity.type === 'ORGANIZATION' ? 'n' : ''} ${TYPE_LABELS[r.entity.type].toLowerCase()}.`]));
  });
  const ignore = el('div', { class: 'row-actions' }, e.ignored
    ? el('button', { type: 'button', class: 'button secondary small', 'data-action': 'unignore',
      onclick: () => edit(() => api(path, { method: 'PATCH', body: { ignored: false } }), () => reload(['An entity again: back in lists, trends and co-occurrences.'])) },
      'It is an entity')
    : el('button', { type: 'button', class: 'button secondary small danger', 'data-action': 'ignore',
      onclick: () => edit(() => api(path, { method: 'PATCH', body: { ignored: true } }), () => reload(['Marked as not an entity.'])) },
      'Not an entity'),
    el('span', { class: 'muted fine' }, e.ignored ? 'Its mentions are hidden.' : 'Leaves lists, trends and co-occurrences; its mentions stay stored, hidden.'));

  // Merge: find the target by name, then confirm; the page goes to the target.
  const target = el('input', { type: 'search', id: 'merge-target', placeholder: 'Type the name of the entity to merge into' });
  const confirmation = el('div', { class: 'merge-confirm' });
  const askMerge = into => {
    target.value = into.name;
    clear(confirmation).append(el('div', { class: 'confirm', role: 'group', 'aria-label': `Merge into ${into.name}?` },
      el('span', null, `Merge “${e.name}” (${num(e.stories)} stories) into “${into.name}” (${TYPE_LABELS[into.type] || into.type}, ${num(into.stories)} stories)? Its names, mentions and counts move there.`),
      el('button', { type: 'button', class: 'button small danger', 'data-action': 'confirm-merge',
        onclick: () => edit(() => api(`${path}/merge`, { method: 'POST', body: { into: into.id } }),
          r => { location.hash = `#/entity/${encodeURIComponent(r.entity.id)}${query({ merged: e.id })}`; }) }, 'Merge'),
      el('button', { type: 'button', class: 'button secondary small', 'data-action': 'cancel-merge',
        onclick: () => { clear(confirmation); target.value = ''; target.focus(); } }, 'Cancel')));
  };
  const merge = entityCombo(target, {
    listId: 'merge-suggestions', accept: other => other.id !== e.id, onPick: askMerge,
    onEnter: text => { if (text) say('error', `Pick the entity to merge into from the names suggested for “${text}”.`); },
  });

  // Aliases, each of which can become an entity of its own again.
  const others = otherNames(e);
  const aliases = others.length
    ? el('ul', { class: 'alias-list' }, others.map(alias => el('li', null, el('span', { class: 'alias' }, alias),
      el('button', { type: 'button', class: 'button secondary small', 'data-action': 'split',
        onclick: () => edit(() => api(`${path}/split`, { method: 'POST', body: { alias } }),
          r => reload([`Split “${alias}” off as `, entityLink(r.entity), ` (${num(r.entity.mentions)} mentions in ${num(r.entity.stories)} stories).`])) },
      'Split off'))))
    : el('p', { class: 'muted' }, 'No aliases.');

  // The edits of this entity (either side of a merge or split), newest first, each undone from here.
  const edits = el('div', { class: 'edits' }, el('p', { class: 'muted' }, 'Loading…'));
  const editItem = x => el('li', { class: `edit-item${x.undoneAt ? ' undone' : ''}`, dataset: { id: x.id } },
    el('div', { class: 'edit-summary' }, x.summary),
    el('div', { class: 'edit-meta muted' }, timeNode(x.at), el('span', null, x.actor),
      x.undoneAt ? el('span', null, 'undone ', timeNode(x.undoneAt)) : null),
    x.undoneAt ? null : el('button', { type: 'button', class: 'button secondary small', 'data-action': 'undo',
      onclick: () => edit(() => api(`/api/entities/edits/${encodeURIComponent(x.id)}`, { method: 'DELETE' }),
        r => reload([`Undone: ${x.summary}.`, r.entity.id !== e.id ? [' See ', entityLink(r.entity), '.'] : null])) }, 'Undo'));
  let editsLoaded = false;
  async function loadEdits() {
    editsLoaded = true;
    let list;
    try {
      list = await api(`/api/entities/edits${query({ entity: e.id, limit: 20 })}`, { signal });
    } catch (err) {
      if (err.name === 'AbortError') return;
      editsLoaded = false;
      clear(edits).append(el('div', { class: 'notice error', role: 'alert' }, operatorError(err, REFUSED)));
      return;
    }
    clear(edits).append(list.length ? el('ol', { class: 'edit-list' }, list.map(editItem)) : el('p', { class: 'muted' }, 'No edits of this entity yet.'));
  }

  const key = apiKeyField('entity-api-key');
  key.querySelector('input').addEventListener('change', loadEdits);
  const area = el('details', { class: 'card entity-edit', open: open || null },
    el('summary', null, el('h2', null, 'Edit'), el('span', { class: 'muted' }, 'Rename, retype, merge, split, undo: for operators')),
    message,
    el('div', { class: 'edit-grid' },
      el('section', null, el('h3', null, 'Name and type'), rename, retype, ignore),
      el('section', null, el('h3', null, 'Merge into another entity'),
        el('div', { class: 'field' }, el('label', { for: 'merge-target' }, 'Merge into'), merge), confirmation),
      el('section', null, el('h3', null, 'Aliases'), aliases),
      el('section', { class: 'edit-log' }, el('h3', null, 'Edits'), edits)),
    key);
  area.addEventListener('toggle', () => {
    onToggle(area.open);
    if (area.open && !editsLoaded) loadEdits();
  });
  if (flash) say('ok', ...flash);
  if (open) loadEdits();
  return area;
}
