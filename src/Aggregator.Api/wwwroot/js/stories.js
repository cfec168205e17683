// Stories in lists and whole, with their entity mentions as links to the entity pages.
import { el, clear, externalLink, snippetNode } from './dom.js';
import { TYPES, TYPE_LABELS, timeNode } from './format.js';
import { api, query, errorBox } from './api.js';

const entityIdCache = new Map();

/** Mentions carry the canonical name, not the id: look it up, exact name and type. */
export async function resolveEntity(name, type) {
  const key = `${type}\u0000${name}`;
  if (entityIdCache.has(key)) return entityIdCache.get(key);
  const list = await api(`/api/entities${query({ q: name, type, limit: 5 })}`);
  const lower = name.toLowerCase();
  const match = (list || []).find(e => e.name === name) || (list || []).find(e => String(e.name).toLowerCase() === lower);
  const id = match ? match.id : null;
  entityIdCache.set(key, id);
  return id;
}

export function entityNameHref(name, type) {
  return `#/entity${query({ name, type })}`;
}

/** Text with entity mentions as coloured links; offsets are JS string indices, end exclusive. */
export function highlighted(text, mentions, tag = 'span') {
  const out = el(tag);
  const sorted = (mentions || [])
    .filter(m => Number.isInteger(m.start) && Number.isInteger(m.end) && m.start >= 0 && m.end <= text.length && m.start < m.end)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let at = 0;
  for (const m of sorted) {
    if (m.start < at) continue; // overlapping: keep the first
    if (m.start > at) out.appendChild(document.createTextNode(text.slice(at, m.start)));
    const type = String(m.type || '').toUpperCase();
    const canonical = m.canonical || m.text || text.slice(m.start, m.end);
    out.appendChild(el('a', {
      class: `ent ent-${type.toLowerCase()}`,
      href: entityNameHref(canonical, type),
      title: `${TYPE_LABELS[type] || type}: ${canonical}`,
      dataset: { type, canonical },
    }, text.slice(m.start, m.end)));
    at = m.end;
  }
  if (at < text.length) out.appendChild(document.createTextNode(text.slice(at)));
  return out;
}

export function legend() {
  return el('div', { class: 'legend', 'aria-label': 'Entity colours' },
    TYPES.map(t => el('span', { class: `legend-item` }, el('span', { class: `swatch ent-${t.toLowerCase()}` }), TYPE_LABELS[t])));
}

export function paragraphs(text, mentions) {
  // Split on blank lines, keeping offsets: each paragraph gets the mentions inside it, shifted.
  const container = el('div', { class: 'story-text' });
  const parts = [];
  const re = /\n\s*\n/g;
  let last = 0, match;
  while ((match = re.exec(text)) !== null) {
    parts.push([last, match.index]);
    last = match.index + match[0].length;
  }
  parts.push([last, text.length]);
  for (const [start, end] of parts) {
    const inside = (mentions || []).filter(m => m.start >= start && m.end <= end)
      .map(m => ({ ...m, start: m.start - start, end: m.end - start }));
    const p = highlighted(text.slice(start, end), inside, 'p');
    if (p.textContent.trim() !== '') container.appendChild(p);
  }
  return container;
}

export function feedNames(feeds) {
  return (feeds || []).map(f => f && f.name).filter(Boolean).join(', ');
}

export function storyDetail(story) {
  const mentions = story.mentions || [];
  const inTitle = mentions.filter(m => m.field === 'Title');
  const inText = mentions.filter(m => m.field !== 'Title');
  const counts = {};
  for (const m of mentions) counts[m.canonical + '\u0000' + m.type] = { name: m.canonical, type: m.type };
  const entities = Object.values(counts);
  const source = externalLink(story.link, 'Read the original');
  return el('div', { class: 'story-detail' },
    el('h3', { class: 'detail-title' }, highlighted(story.title || '', inTitle)),
    el('div', { class: 'meta' },
      story.author ? el('span', null, `By ${story.author}`) : null,
      el('span', null, 'Published ', timeNode(story.published, false)),
      el('span', null, 'First seen ', timeNode(story.firstSeen)),
      story.extraction ? el('span', { class: 'muted', title: 'Where the text comes from' }, `Text: ${extractionLabel(story.extraction)}`) : null,
      source),
    legend(),
    story.text ? paragraphs(story.text, inText) : el('p', { class: 'muted' }, story.summary || 'No text.'),
    entities.length ? el('div', { class: 'chips' }, el('span', { class: 'muted' }, 'Entities: '),
      entities.map(e => el('a', { class: `chip ent-${String(e.type).toLowerCase()}`, href: entityNameHref(e.name, e.type) }, e.name))) : null,
    story.taggerVersion ? el('p', { class: 'fine muted' }, `Tagged by ${story.taggerVersion}`) : null);
}

function extractionLabel(value) {
  return { Extracted: 'article page', FeedContent: 'feed content', NotAttempted: 'feed content' }[value] || String(value);
}

/** A story in a list: title button that expands the whole story in place. */
export function storyItem(summary, { snippet = false, fresh = false } = {}) {
  const detail = el('div', { class: 'story-body', hidden: true });
  let loaded = false;
  const toggle = el('button', { class: 'story-title', type: 'button', 'aria-expanded': 'false' }, summary.title || '(untitled)');
  const item = el('li', { class: `story${fresh ? ' fresh' : ''}`, dataset: { id: summary.id } },
    toggle,
    el('div', { class: 'meta' },
      feedNames(summary.feeds) ? el('span', { class: 'feed' }, feedNames(summary.feeds)) : null,
      timeNode(summary.published),
      externalLink(summary.link, 'source')),
    snippet && summary.snippet ? snippetNode(summary.snippet) : null,
    detail);
  toggle.addEventListener('click', async () => {
    const open = toggle.getAttribute('aria-expanded') === 'true';
    toggle.setAttribute('aria-expanded', String(!open));
    item.classList.toggle('open', !open);
    detail.hidden = open;
    if (open || loaded) return;
    loaded = true;
    detail.appendChild(el('p', { class: 'muted' }, 'Loading…'));
    try {
      const story = await api(`/api/stories/${encodeURIComponent(summary.id)}`);
      clear(detail).appendChild(storyDetail(story));
    } catch (e) {
      loaded = false;
      clear(detail).appendChild(errorBox(e));
    }
  });
  return item;
}
