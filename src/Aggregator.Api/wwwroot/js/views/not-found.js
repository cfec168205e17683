// Any other hash.
import { el, pageHeader } from '../dom.js';

export function notFoundPage(ctx) {
  ctx.root.append(pageHeader('Not found'), el('p', null, 'There is no such page. ', el('a', { href: '#/' }, 'Go to the latest stories.')));
}
