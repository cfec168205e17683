// The time chart (SVG bars over a time axis) of the latest stories and the entity pages.
import { svg, el } from './dom.js';
import { parseTime, dateTimeFormat, dateFormat, numberFormat } from './format.js';

/**
 * An SVG bar chart over a time axis: bars at their bucket's time (gaps stay gaps), y axis with round ticks,
 * x axis with time labels, a <title> on each bar for its exact value.
 */
export function timeChart(points, { interval = 'day', height = 240, label = 'count' } = {}) {
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
