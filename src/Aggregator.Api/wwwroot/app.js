// Aggregator dashboard: plain JavaScript, hash routing, no dependencies.
// Everything that comes from feeds (titles, text, names, errors) is inserted as text, never as markup.
'use strict';

(() => {
  const TYPES = ['PERSON', 'LOCATION', 'ORGANIZATION'];
  const TYPE_LABELS = { PERSON: 'Person', LOCATION: 'Location', ORGANIZATION: 'Organization' };
  const POLL_MS = 30000;
  const view = document.getElementById('view');

  // ---------------------------------------------------------------- DOM helpers

  /** el('a', {href: '#/', class: 'x'}, 'text', child): strings become text nodes, never markup. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
      else if (key === 'value') node.value = value;
      else if (key === 'checked' || key === 'disabled' || key === 'selected') node[key] = Boolean(value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const SVG_NS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value !== undefined && value !== null) node.setAttribute(key, String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  /** Only http(s) links from feeds become hrefs: never javascript:, data: and the like. */
  function safeUrl(url) {
    if (typeof url !== 'string' || url === '') return null;
    try {
      const parsed = new URL(url, location.href);
      return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
    } catch {
      return null;
    }
  }

  function externalLink(url, text) {
    const href = safeUrl(url);
    return href ? el('a', { href, target: '_blank', rel: 'noopener noreferrer nofollow', class: 'external' }, text) : null;
  }

  // An inert document: a textarea there parses its content as text (RCDATA), so nothing is ever created or run.
  const inertDocument = document.implementation.createHTMLDocument('');
  function decodeEntities(escaped) {
    if (!escaped.includes('&')) return escaped;
    const area = inertDocument.createElement('textarea');
    area.innerHTML = escaped;
    return area.value;
  }

  /** The search snippet is HTML-escaped with <mark> around matches: split on the literal tokens, create mark elements. */
  function snippetNode(snippet) {
    const out = el('p', { class: 'snippet' });
    let marked = false;
    for (const part of String(snippet).split(/(<mark>|<\/mark>)/)) {
      if (part === '<mark>') { marked = true; continue; }
      if (part === '</mark>') { marked = false; continue; }
      if (part === '') continue;
      const text = decodeEntities(part);
      out.appendChild(marked ? el('mark', null, text) : document.createTextNode(text));
    }
    return out;
  }

  // ---------------------------------------------------------------- formatting

  const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
  const numberFormat = new Intl.NumberFormat();

  function parseTime(value) {
    if (!value) return null;
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }

  function formatTime(value) {
    const date = parseTime(value);
    return date ? dateTimeFormat.format(date) : '—';
  }

  function relativeTime(value) {
    const date = parseTime(value);
    if (!date) return '—';
    const seconds = Math.round((date.getTime() - Date.now()) / 1000);
    const abs = Math.abs(seconds);
    const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
    if (abs < 60) return rtf.format(seconds, 'second');
    if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
    if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
    if (abs < 86400 * 30) return rtf.format(Math.round(seconds / 86400), 'day');
    return dateFormat.format(date);
  }

  function timeNode(value, relative = true) {
    const date = parseTime(value);
    if (!date) return el('span', { class: 'muted' }, '—');
    return el('time', { datetime: date.toISOString(), title: dateTimeFormat.format(date) },
      relative ? relativeTime(value) : dateTimeFormat.format(date));
  }

  function num(value, digits) {
    if (value === undefined || value === null || Number.isNaN(Number(value))) return '—';
    return digits === undefined ? numberFormat.format(value) : Number(value).toFixed(digits);
  }

  function typeBadge(type) {
    const t = String(type || '').toUpperCase();
    return el('span', { class: `badge type-${t.toLowerCase()}` }, TYPE_LABELS[t] || t || '?');
  }

  // ---------------------------------------------------------------- API

  class ApiError extends Error {
    constructor(status, detail, body) {
      super(detail);
      this.status = status;
      this.body = body;
    }
  }

  function apiKey() {
    try { return sessionStorage.getItem('aggregator.apiKey') || ''; } catch { return ''; }
  }

  async function api(path, options = {}) {
    const headers = { Accept: 'application/json', ...(options.headers || {}) };
    const key = apiKey();
    if (key) headers['X-Api-Key'] = key;
    let body = options.body;
    if (body !== undefined && typeof body !== 'string') {
      body = JSON.stringify(body);
      headers['Content-Type'] = 'application/json';
    }
    let response;
    try {
      response = await fetch(path, { method: options.method || 'GET', headers, body, signal: options.signal });
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new ApiError(0, 'The server cannot be reached.');
    }
    const type = response.headers.get('Content-Type') || '';
    let data = null;
    if (type.includes('json')) {
      try { data = await response.json(); } catch { data = null; }
    }
    if (!response.ok) {
      const detail = (data && (data.detail || data.title)) || `${response.status} ${response.statusText}`.trim();
      throw new ApiError(response.status, detail, data);
    }
    return data;
  }

  function query(params) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (Array.isArray(value)) value.forEach(v => { if (v !== '' && v != null) search.append(key, v); });
      else if (value !== '' && value !== undefined && value !== null) search.append(key, value);
    }
    const text = search.toString();
    return text ? `?${text}` : '';
  }

  function errorBox(error, what) {
    if (error && error.status === 404 && what) {
      return el('div', { class: 'notice' }, `${what} is not available from this server yet.`);
    }
    return el('div', { class: 'notice error', role: 'alert' }, (error && error.message) || 'Something went wrong.');
  }

  // ---------------------------------------------------------------- entity links

  const entityIdCache = new Map();

  /** Mentions carry the canonical name, not the id: look it up, exact name and type. */
  async function resolveEntity(name, type) {
    const key = `${type}\u0000${name}`;
    if (entityIdCache.has(key)) return entityIdCache.get(key);
    const list = await api(`/api/entities${query({ q: name, type, limit: 5 })}`);
    const lower = name.toLowerCase();
    const match = (list || []).find(e => e.name === name) || (list || []).find(e => String(e.name).toLowerCase() === lower);
    const id = match ? match.id : null;
    entityIdCache.set(key, id);
    return id;
  }

  function entityNameHref(name, type) {
    return `#/entity${query({ name, type })}`;
  }

  // ---------------------------------------------------------------- stories

  /** Text with entity mentions as coloured links; offsets are JS string indices, end exclusive. */
  function highlighted(text, mentions, tag = 'span') {
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

  function legend() {
    return el('div', { class: 'legend', 'aria-label': 'Entity colours' },
      TYPES.map(t => el('span', { class: `legend-item` }, el('span', { class: `swatch ent-${t.toLowerCase()}` }), TYPE_LABELS[t])));
  }

  function paragraphs(text, mentions) {
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

  function feedNames(feeds) {
    return (feeds || []).map(f => f && f.name).filter(Boolean).join(', ');
  }

  function storyDetail(story) {
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
  function storyItem(summary, { snippet = false, fresh = false } = {}) {
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

  // ---------------------------------------------------------------- live updates

  const live = { source: null, sse: false, listeners: new Set() };

  function startStream() {
    if (!('EventSource' in window)) return;
    try {
      const source = new EventSource('/api/stream');
      live.source = source;
      source.addEventListener('open', () => { live.sse = true; });
      source.addEventListener('story', event => {
        let data;
        try { data = JSON.parse(event.data); } catch { return; }
        for (const listener of live.listeners) listener(data);
      });
      source.addEventListener('error', () => {
        if (source.readyState === EventSource.CLOSED) { live.sse = false; live.source = null; }
      });
    } catch {
      live.sse = false;
    }
  }

  // ---------------------------------------------------------------- stats (header)

  async function loadStats() {
    const box = document.getElementById('stats');
    try {
      const s = await api('/api/stats');
      clear(box).append(
        statItem(s.stories, 'stories'), statItem(s.feeds, 'feeds'), statItem(s.entities, 'entities'),
        s.failingFeeds ? el('a', { class: 'stat failing', href: '#/feeds' }, `${num(s.failingFeeds)} failing`) : null);
      return s;
    } catch {
      clear(box);
      return null;
    }
  }

  function statItem(value, label) {
    return el('span', { class: 'stat' }, el('strong', null, num(value)), ` ${label}`);
  }

  // ---------------------------------------------------------------- pages

  /** Each page gets a context: its container, and a signal that says it has been left. */
  let current = null;

  function pageHeader(title, ...extra) {
    return el('div', { class: 'page-header' }, el('h1', null, title), ...extra);
  }

  async function latestPage(ctx) {
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

  // ----- search

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

  async function searchPage(ctx) {
    const state = searchParamsFromHash(ctx.params);
    const entities = [...state.entity];

    const q = el('input', { type: 'search', name: 'q', id: 'q', value: state.q, placeholder: 'Words, "a phrase", prefix*, -exclude, OR', autocomplete: 'off', maxlength: 500 });
    const entityInput = el('input', { type: 'text', id: 'entity-input', placeholder: 'Type a person, place or organisation', autocomplete: 'off', role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': 'entity-suggestions' });
    const suggestions = el('ul', { class: 'suggestions', id: 'entity-suggestions', role: 'listbox', hidden: true });
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
      hideSuggestions();
      renderChips();
    };

    const hideSuggestions = () => { suggestions.hidden = true; entityInput.setAttribute('aria-expanded', 'false'); };
    let suggestTimer = null, suggestSeq = 0, active = -1;
    entityInput.addEventListener('input', () => {
      clearTimeout(suggestTimer);
      const text = entityInput.value.trim();
      if (!text) { hideSuggestions(); return; }
      suggestTimer = setTimeout(async () => {
        const seq = ++suggestSeq;
        try {
          const list = await api(`/api/entities${query({ q: text, type: type.value, limit: 8 })}`);
          if (seq !== suggestSeq) return;
          clear(suggestions);
          active = -1;
          for (const e of list || []) {
            suggestions.appendChild(el('li', { role: 'option', class: 'suggestion', dataset: { name: e.name },
              onmousedown: ev => { ev.preventDefault(); addEntity(e.name); } },
              el('span', { class: 'suggestion-name' }, e.name), typeBadge(e.type), el('span', { class: 'muted' }, `${num(e.stories)} stories`)));
          }
          suggestions.hidden = !suggestions.children.length;
          entityInput.setAttribute('aria-expanded', String(!suggestions.hidden));
        } catch { hideSuggestions(); }
      }, 150);
    });
    entityInput.addEventListener('keydown', ev => {
      const items = [...suggestions.children];
      if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
        if (suggestions.hidden || !items.length) return;
        ev.preventDefault();
        active = (active + (ev.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length;
        items.forEach((li, i) => li.classList.toggle('active', i === active));
      } else if (ev.key === 'Enter') {
        ev.preventDefault();
        if (!suggestions.hidden && active >= 0 && items[active]) addEntity(items[active].dataset.name);
        else if (entityInput.value.trim()) addEntity(entityInput.value);
        else form.requestSubmit();
      } else if (ev.key === 'Escape') hideSuggestions();
    });
    entityInput.addEventListener('blur', () => setTimeout(hideSuggestions, 100));

    const form = el('form', { class: 'search-form', role: 'search' },
      el('div', { class: 'field grow' }, el('label', { for: 'q' }, 'Text'), q),
      el('div', { class: 'field grow entity-field' }, el('label', { for: 'entity-input' }, 'Entities'),
        el('div', { class: 'combo' }, entityInput, suggestions), chips),
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
      if (location.hash === hash) route(); else location.hash = hash;
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

  // ----- trends

  async function trendsPage(ctx) {
    const windowValue = ctx.params.get('window') || '24h';
    const typeValue = ctx.params.get('type') || '';
    const windowSelect = el('select', { id: 'window' },
      [['1h', 'Last hour'], ['6h', 'Last 6 hours'], ['24h', 'Last 24 hours'], ['7d', 'Last 7 days']]
        .map(([v, label]) => el('option', { value: v, selected: v === windowValue }, label)));
    const typeSelect = el('select', { id: 'trend-type' },
      el('option', { value: '' }, 'All types'), TYPES.map(t => el('option', { value: t, selected: t === typeValue }, TYPE_LABELS[t])));
    const change = () => { location.hash = `#/trends${query({ window: windowSelect.value, type: typeSelect.value })}`; };
    windowSelect.addEventListener('change', change);
    typeSelect.addEventListener('change', change);
    const body = el('div', { class: 'trends' }, el('p', { class: 'muted' }, 'Loading…'));
    ctx.root.append(
      pageHeader('Trending', el('div', { class: 'inline-controls' },
        el('label', null, 'Window ', windowSelect), el('label', null, 'Type ', typeSelect))),
      el('p', { class: 'muted intro' }, 'Entities mentioned in more stories than usual: the count in the window against their baseline rate.'),
      body);
    try {
      const trends = await api(`/api/trends${query({ window: windowValue, type: typeValue, limit: 25 })}`, { signal: ctx.signal });
      clear(body);
      if (!trends || !trends.length) {
        body.appendChild(el('p', { class: 'muted' }, 'Nothing is trending in this window.'));
        return;
      }
      const max = Math.max(...trends.map(t => Number(t.score) || 0), 1);
      body.appendChild(el('ol', { class: 'trend-list' }, trends.map((t, i) => el('li', { class: 'trend card' },
        el('div', { class: 'trend-head' },
          el('span', { class: 'rank' }, String(i + 1)),
          el('a', { class: 'trend-name', href: `#/entity/${encodeURIComponent(t.id)}` }, t.name),
          typeBadge(t.type),
          el('span', { class: 'score-bar', title: `score ${num(t.score, 2)}` }, el('span', { style: `width:${Math.max(2, Math.round(100 * (Number(t.score) || 0) / max))}%` }))),
        el('dl', { class: 'figures' },
          el('div', null, el('dt', null, 'Score'), el('dd', null, num(t.score, 2))),
          el('div', null, el('dt', null, 'In window'), el('dd', null, num(t.windowCount))),
          el('div', null, el('dt', null, 'Baseline'), el('dd', null, `${num(t.baselineRate, 2)} / window`))),
        (t.evidence && t.evidence.length) ? el('ul', { class: 'evidence' }, t.evidence.map(s => el('li', null,
          el('a', { href: `#/story/${encodeURIComponent(s.id)}` }, s.title || '(untitled)'), ' ', timeNode(s.published)))) : null))));
    } catch (e) {
      if (e.name === 'AbortError') return;
      clear(body).appendChild(errorBox(e, 'Trending'));
    }
  }

  // ----- one story

  async function storyPage(ctx) {
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

  // ----- entity

  /** #/entity?name=..&type=..: find the id by the canonical name, then show the entity page. */
  async function entityByNamePage(ctx) {
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

  async function entityPage(ctx) {
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

  // ----- chart

  /**
   * An SVG bar chart over a time axis: bars at their bucket's time (gaps stay gaps), y axis with round ticks,
   * x axis with time labels, a <title> on each bar for its exact value.
   */
  function timeChart(points, { interval = 'day', height = 240, label = 'count' } = {}) {
    const step = interval === 'hour' ? 3600000 : 86400000;
    const data = points.map(p => ({ ...p, t: parseTime(p.time) })).filter(p => p.t).sort((a, b) => a.t - b.t);
    const width = 760;
    const margin = { top: 12, right: 32, bottom: 44, left: 48 };
    const innerW = width - margin.left - margin.right;
    const innerH = height - margin.top - margin.bottom;
    const t0 = data.length ? data[0].t.getTime() : Date.now();
    const t1 = data.length ? data[data.length - 1].t.getTime() + step : t0 + step;
    const span = Math.max(t1 - t0, step);
    const maxValue = Math.max(1, ...data.map(p => p.value));
    const ticks = niceTicks(maxValue);
    const yMax = ticks[ticks.length - 1];
    const x = t => margin.left + ((t - t0) / span) * innerW;
    const y = v => margin.top + innerH - (v / yMax) * innerH;
    const barW = Math.max(1, (step / span) * innerW - (span / step > 60 ? 0.5 : 3));

    const root = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', preserveAspectRatio: 'xMidYMid meet',
      'aria-label': `${label} per ${interval}: ${data.length} ${interval === 'hour' ? 'hours' : 'days'} with data, at most ${maxValue}` });
    const grid = svg('g', { class: 'grid' });
    const yAxis = svg('g', { class: 'axis y-axis' });
    for (const v of ticks) {
      grid.appendChild(svg('line', { x1: margin.left, x2: width - margin.right, y1: y(v), y2: y(v) }));
      yAxis.appendChild(svg('text', { x: margin.left - 8, y: y(v), dy: '0.32em', 'text-anchor': 'end' }, numberFormat.format(v)));
    }
    yAxis.appendChild(svg('text', { class: 'axis-title', transform: `translate(12 ${margin.top + innerH / 2}) rotate(-90)`, 'text-anchor': 'middle' }, label));
    const bars = svg('g', { class: 'bars' });
    for (const p of data) {
      const h = Math.max(0, y(0) - y(p.value));
      const stamp = interval === 'hour' ? dateTimeFormat.format(p.t) : dateFormat.format(p.t);
      bars.appendChild(svg('rect', { class: 'bar', x: x(p.t.getTime()) + (span / step > 60 ? 0 : 1.5), y: y(p.value), width: barW, height: h, rx: barW > 6 ? 2 : 0, 'data-value': p.value },
        svg('title', null, `${stamp}: ${numberFormat.format(p.value)} ${label}${p.stories !== undefined ? `, ${numberFormat.format(p.stories)} stories` : ''}`)));
    }
    const xAxis = svg('g', { class: 'axis x-axis' },
      svg('line', { x1: margin.left, x2: width - margin.right, y1: y(0), y2: y(0), class: 'baseline' }));
    for (const t of timeTicks(t0, t1, interval)) {
      const px = x(t);
      if (px < margin.left - 0.5 || px > width - margin.right + 0.5) continue;
      xAxis.appendChild(svg('line', { x1: px, x2: px, y1: y(0), y2: y(0) + 5 }));
      xAxis.appendChild(svg('text', { x: px, y: y(0) + 18, 'text-anchor': 'middle' }, timeTickLabel(t, interval, t1 - t0)));
    }
    xAxis.appendChild(svg('text', { class: 'axis-title', x: margin.left + innerW / 2, y: height - 4, 'text-anchor': 'middle' }, interval === 'hour' ? 'hour' : 'day'));
    root.append(grid, bars, xAxis, yAxis);
    return el('div', { class: 'chart-wrap' }, root);
  }

  function niceTicks(max, count = 4) {
    const raw = max / count;
    const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map(m => m * magnitude).find(s => s >= raw) || magnitude * 10;
    const stepInt = Math.max(1, step);
    const ticks = [];
    for (let v = 0; v < max + stepInt; v += stepInt) {
      ticks.push(Math.round(v * 1000) / 1000);
      if (v >= max) break;
    }
    return ticks;
  }

  function timeTicks(t0, t1, interval) {
    const hour = 3600000, day = 86400000;
    const span = t1 - t0;
    const candidates = interval === 'hour'
      ? [hour, 2 * hour, 3 * hour, 6 * hour, 12 * hour, day, 2 * day, 7 * day]
      : [day, 2 * day, 7 * day, 14 * day, 30 * day, 91 * day, 182 * day, 365 * day];
    const step = candidates.find(s => span / s <= 8) || candidates[candidates.length - 1];
    const offset = new Date(t0).getTimezoneOffset() * 60000;
    // Ticks at local midnights / round local hours.
    let start = Math.ceil((t0 - offset) / step) * step + offset;
    if (step >= day) start = Math.ceil((t0 - offset) / day) * day + offset;
    const ticks = [];
    for (let t = start; t <= t1 && ticks.length < 12; t += step) ticks.push(t);
    return ticks;
  }

  function timeTickLabel(t, interval, span) {
    const d = new Date(t);
    if (interval === 'hour' && span <= 2 * 86400000) {
      return d.getHours() === 0
        ? new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' }).format(d)
        : new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(d);
    }
    if (interval === 'hour') return new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit' }).format(d);
    if (span > 300 * 86400000) return new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric' }).format(d);
    return new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' }).format(d);
  }

  // ----- feeds

  async function feedsPage(ctx) {
    const tableBox = el('div', { class: 'feeds-box' }, el('p', { class: 'muted' }, 'Loading…'));
    const message = el('div', { class: 'form-message', 'aria-live': 'polite' });
    const url = el('input', { type: 'url', id: 'feed-url', name: 'url', required: true, placeholder: 'https://example.org/rss', autocomplete: 'off' });
    const name = el('input', { type: 'text', id: 'feed-name', name: 'name', placeholder: 'Optional: taken from the feed', autocomplete: 'off' });
    const interval = el('input', { type: 'number', id: 'feed-interval', name: 'intervalMinutes', min: 1, placeholder: '15' });
    const key = el('input', { type: 'password', id: 'api-key', autocomplete: 'off', value: apiKey(), placeholder: 'Only when the server asks for it' });
    const submit = el('button', { type: 'submit', class: 'button' }, 'Add feed');
    const form = el('form', { class: 'feed-form card', novalidate: true },
      el('h2', null, 'Add a feed'),
      el('div', { class: 'field-row' },
        el('div', { class: 'field grow' }, el('label', { for: 'feed-url' }, 'Feed URL'), url),
        el('div', { class: 'field' }, el('label', { for: 'feed-name' }, 'Name'), name),
        el('div', { class: 'field narrow' }, el('label', { for: 'feed-interval' }, 'Every (min)'), interval),
        el('div', { class: 'field actions' }, submit)),
      el('details', { class: 'api-key' }, el('summary', null, 'API key'),
        el('div', { class: 'field' }, el('label', { for: 'api-key' }, 'Operator key (kept in this tab only)'), key)),
      message);

    form.addEventListener('submit', async ev => {
      ev.preventDefault();
      clear(message).className = 'form-message';
      try { if (key.value) sessionStorage.setItem('aggregator.apiKey', key.value); else sessionStorage.removeItem('aggregator.apiKey'); } catch { /* private mode */ }
      if (!url.value.trim()) {
        message.classList.add('error');
        message.textContent = 'Give the feed\u2019s URL.';
        url.focus();
        return;
      }
      const body = { url: url.value.trim() };
      if (name.value.trim()) body.name = name.value.trim();
      if (interval.value) body.intervalMinutes = Number(interval.value);
      submit.disabled = true;
      try {
        const feed = await api('/api/feeds', { method: 'POST', body });
        message.classList.add('ok');
        message.textContent = `Added “${feed.name}”. It will be polled shortly.`;
        form.reset();
        key.value = apiKey();
        await loadFeeds(feed.id);
      } catch (e) {
        message.classList.add('error');
        if (e.status === 409) {
          const existing = e.body && e.body.name ? ` as “${e.body.name}”` : '';
          message.textContent = `This feed already exists${existing}.`;
          if (e.body && e.body.id !== undefined) highlightFeed(e.body.id);
        } else if (e.status === 401) {
          message.textContent = `${e.message} Enter the operator key under “API key”.`;
        } else {
          message.textContent = e.message;
        }
      } finally {
        submit.disabled = false;
      }
    });

    ctx.root.append(pageHeader('Feeds'), form, tableBox);

    function highlightFeed(id) {
      const row = tableBox.querySelector(`tr[data-id="${CSS.escape(String(id))}"]`);
      if (row) { row.classList.add('flash'); row.scrollIntoView({ block: 'nearest' }); }
    }

    async function loadFeeds(flashId) {
      let feeds;
      try {
        feeds = await api('/api/feeds', { signal: ctx.signal });
      } catch (e) {
        if (e.name === 'AbortError') return;
        clear(tableBox).appendChild(errorBox(e, 'The feed list'));
        return;
      }
      const failing = feeds.filter(f => f.health && f.health.consecutiveFailures > 0).length;
      clear(tableBox).append(
        el('p', { class: 'muted status' }, `${feeds.length} ${feeds.length === 1 ? 'feed' : 'feeds'}`, failing ? el('span', { class: 'failing-count' }, ` · ${failing} failing`) : null),
        feeds.length ? el('div', { class: 'table-scroll' }, el('table', { class: 'table feeds' },
          el('thead', null, el('tr', null,
            ['Feed', 'Status', 'Last attempt', 'Last success', 'HTTP', 'Last error', 'Failures', 'Next poll', 'Stories']
              .map((h, i) => el('th', { class: i >= 6 && i !== 7 ? 'num' : null }, h)))),
          el('tbody', null, feeds.map(feedRow)))) : el('p', { class: 'muted' }, 'No feeds yet: add one above.'));
      if (flashId !== undefined) highlightFeed(flashId);
    }

    function feedRow(f) {
      const h = f.health || {};
      const failures = Number(h.consecutiveFailures) || 0;
      const state = !f.enabled ? ['disabled', 'Disabled'] : failures > 0 ? ['failing', `Failing ×${failures}`]
        : h.lastSuccessAt ? ['ok', 'OK'] : ['pending', 'Not polled yet'];
      return el('tr', { class: `feed-row ${state[0]}`, dataset: { id: f.id } },
        el('td', { class: 'feed-cell' },
          el('div', { class: 'feed-name' }, f.name),
          el('div', { class: 'feed-url muted' }, f.url),
          (f.tags && f.tags.length) ? el('div', { class: 'chips' }, f.tags.map(t => el('span', { class: 'chip small' }, t))) : null),
        el('td', null, el('span', { class: `badge status-${state[0]}` }, state[1])),
        el('td', null, timeNode(h.lastAttemptAt)),
        el('td', null, timeNode(h.lastSuccessAt)),
        el('td', null, h.lastStatus ?? '—'),
        el('td', { class: 'error-cell' }, h.lastError ? el('span', { class: 'error-text', title: h.lastError }, h.lastError) : el('span', { class: 'muted' }, '—')),
        el('td', { class: 'num' }, String(failures)),
        el('td', null, f.enabled ? timeNode(h.nextPollAt) : el('span', { class: 'muted' }, '—')),
        el('td', { class: 'num' }, el('a', { href: `#/search${query({ feed: f.id })}` }, num(f.storyCount))));
    }

    await loadFeeds();
    const timer = setInterval(() => { if (!document.hidden) loadFeeds(); }, POLL_MS);
    ctx.onLeave(() => clearInterval(timer));
  }

  function notFoundPage(ctx) {
    ctx.root.append(pageHeader('Not found'), el('p', null, 'There is no such page. ', el('a', { href: '#/' }, 'Go to the latest stories.')));
  }

  // ---------------------------------------------------------------- router

  const routes = [
    [/^\/?$/, latestPage, 'latest'],
    [/^\/search$/, searchPage, 'search'],
    [/^\/trends$/, trendsPage, 'trends'],
    [/^\/feeds$/, feedsPage, 'feeds'],
    [/^\/entity$/, entityByNamePage, null],
    [/^\/entity\/([^/]+)$/, entityPage, null],
    [/^\/story\/([^/]+)$/, storyPage, 'latest'],
  ];

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

  window.addEventListener('hashchange', route);
  startStream();
  loadStats();
  setInterval(() => { if (!document.hidden) loadStats(); }, POLL_MS * 2);
  route();
})();
