// A text input that suggests entities as it is typed (names or aliases starting with the text), for the search
// filters and the entity page's merge.
import { el, clear } from './dom.js';
import { num, typeBadge } from './format.js';
import { api, query } from './api.js';

/**
 * Wraps the input in a combo box. Arrows move through the suggestions; a click or Enter picks the one shown active
 * (onPick gets the entity: id, name, type, stories); Enter with none active calls onEnter with the text.
 * type() narrows the suggestions to a type ('' for any); accept(entity) leaves some out.
 */
export function entityCombo(input, { listId, type = () => '', accept = () => true, onPick, onEnter }) {
  const suggestions = el('ul', { class: 'suggestions', id: listId, role: 'listbox', hidden: true });
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', listId);
  input.autocomplete = 'off';
  let shown = [], active = -1, timer = null, seq = 0;

  const hide = () => { suggestions.hidden = true; input.setAttribute('aria-expanded', 'false'); };
  const pick = entity => { hide(); onPick(entity); };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (!text) { hide(); return; }
    timer = setTimeout(async () => {
      const mine = ++seq;
      try {
        const list = await api(`/api/entities${query({ q: text, type: type(), limit: 8 })}`);
        if (mine !== seq) return;
        shown = (list || []).filter(accept);
        active = -1;
        clear(suggestions);
        for (const e of shown) {
          suggestions.appendChild(el('li', { role: 'option', class: 'suggestion', dataset: { id: e.id, name: e.name },
            onmousedown: ev => { ev.preventDefault(); pick(e); } },
            el('span', { class: 'suggestion-name' }, e.name), typeBadge(e.type), el('span', { class: 'muted' }, `${num(e.stories)} stories`)));
        }
        suggestions.hidden = !shown.length;
        input.setAttribute('aria-expanded', String(!suggestions.hidden));
      } catch { hide(); }
    }, 150);
  });
  input.addEventListener('keydown', ev => {
    const items = [...suggestions.children];
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      if (suggestions.hidden || !items.length) return;
      ev.preventDefault();
      active = (active + (ev.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length;
      items.forEach((li, i) => li.classList.toggle('active', i === active));
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      if (!suggestions.hidden && shown[active]) pick(shown[active]);
      else { hide(); onEnter(input.value.trim()); }
    } else if (ev.key === 'Escape') hide();
  });
  input.addEventListener('blur', () => setTimeout(hide, 100));
  return el('div', { class: 'combo' }, input, suggestions);
}
