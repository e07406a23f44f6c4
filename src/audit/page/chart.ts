/** A small horizontal bar chart as inline SVG (no library): one bar per person, 0..1, labelled with its number. */
import type { Bar } from './feedback-helpers.ts';

const NS = 'http://www.w3.org/2000/svg';

function svg(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const el = document.createElementNS(NS, tag);
  for (const k of Object.keys(attrs)) el.setAttribute(k, String(attrs[k]));
  if (text !== undefined) el.appendChild(document.createTextNode(text));
  return el;
}

export function barChart(title: string, bars: readonly Bar[]): SVGElement {
  const rowH = 22, labelW = 150, barW = 260, noteW = 200;
  const root = svg('svg', {
    class: 'chart', 'data-testid': 'chart', role: 'img', 'aria-label': title,
    width: labelW + barW + noteW, height: Math.max(1, bars.length) * rowH + 8, viewBox: '0 0 ' + (labelW + barW + noteW) + ' ' + (Math.max(1, bars.length) * rowH + 8),
  });
  root.appendChild(svg('title', {}, title));
  bars.forEach((b, i) => {
    const y = 4 + i * rowH;
    const g = svg('g', { 'data-testid': 'bar', 'data-value': String(b.value) });
    g.appendChild(svg('title', {}, b.label + ': ' + b.note));
    g.appendChild(svg('text', { x: labelW - 6, y: y + 15, 'text-anchor': 'end', class: 'bar-label' }, b.label));
    g.appendChild(svg('rect', { x: labelW, y: y + 3, width: barW, height: rowH - 6, class: 'bar-bg' }));
    g.appendChild(svg('rect', { x: labelW, y: y + 3, width: Math.round(barW * Math.max(0, Math.min(1, b.value))), height: rowH - 6, class: 'bar-fill' }));
    g.appendChild(svg('text', { x: labelW + barW + 6, y: y + 15, class: 'bar-note' }, b.note));
    root.appendChild(g);
  });
  return root;
}
