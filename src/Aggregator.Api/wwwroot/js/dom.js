// DOM helpers. Everything that comes from feeds (titles, text, names, errors) is inserted as text, never as markup.

/** el('a', {href: '#/', class: 'x'}, 'text', child): strings become text nodes, never markup. */
export function el(tag, attrs, ...children) {
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

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
export function svg(tag, attrs, ...children) {
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

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/** Only http(s) links from feeds become hrefs: never javascript:, data: and the like. */
export function safeUrl(url) {
  if (typeof url !== 'string' || url === '') return null;
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

export function externalLink(url, text) {
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
export function snippetNode(snippet) {
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

export function pageHeader(title, ...extra) {
  return el('div', { class: 'page-header' }, el('h1', null, title), ...extra);
}
