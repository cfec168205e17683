// Live updates: new stories from the server's event stream, and the poll interval of the pages without it.

export const POLL_MS = 30000;

export const live = { source: null, sse: false, listeners: new Set() };

export function startStream() {
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
