/**
 * The parts every chart shares: nice tick values, linear scales, the frame (title, legend, axes,
 * grid). Pure functions returning numbers or SVG fragments. Sizes are in SVG user units (px at
 * 100% zoom); fonts are 12px so that charts stay readable when printed at page width.
 */
import { escapeXml, isNum } from './format.ts';

/** Colour-blind-safe palette (Okabe & Ito), darkest first so the first series print well. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#B8A800'];

const FONT = 'system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif';
/** Rough width of one 12px character; legends are laid out without measuring text. */
const CHAR_W = 6.8;

export interface Ticks {
  /** Domain ends, widened to whole steps. */
  min: number;
  max: number;
  step: number;
  values: number[];
}

/**
 * Round tick values covering [min, max] with about `target` intervals (steps of 1, 2 or 5 x 10^k).
 * A zero-width range is widened so a constant series still gets an axis.
 * @example niceTicks(0, 0.27).values // [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]
 */
export function niceTicks(min: number, max: number, target = 5, integer = false): Ticks {
  if (!isNum(min) || !isNum(max)) throw new Error(`niceTicks needs finite bounds, got [${min}, ${max}]`);
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const pad = integer ? 1 : min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad; max += pad;
  }
  const raw = (max - min) / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  let step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  if (integer) step = Math.max(1, Math.round(step));
  // Tolerance so that 0.30000000000000004 does not grow a spurious extra tick.
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const values: number[] = [];
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  for (let v = lo; v <= hi + step * 1e-6; v += step) values.push(Number(v.toFixed(decimals)));
  return { min: values[0]!, max: values[values.length - 1]!, step, values };
}

/** A tick label: enough decimals for the step, no more. `tickLabel(0.25, 0.05) // '0.25'`. */
export function tickLabel(v: number, step: number): string {
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  const s = v.toFixed(decimals);
  return Number(s) === 0 ? s.replace('-', '') : s; // no "-0.0" from float noise around zero
}

/** Map [d0, d1] onto [r0, r1]; a zero-width domain maps to the middle of the range. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  if (d1 === d0) return () => (r0 + r1) / 2;
  return (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}

/** Round to 0.1 px: shorter SVG, no visible difference. */
export const px = (v: number): string => String(Math.round(v * 10) / 10);

export interface LegendItem { name: string; color: string; dashed?: boolean; kind: 'line' | 'box' }

/** Legend rows for the given width, each item `[x offset, item]`. */
function layoutLegend(items: LegendItem[], width: number): Array<Array<[number, LegendItem]>> {
  const rows: Array<Array<[number, LegendItem]>> = [];
  let row: Array<[number, LegendItem]> = [];
  let x = 0;
  for (const item of items) {
    const w = 22 + item.name.length * CHAR_W + 14;
    if (row.length > 0 && x + w > width) { rows.push(row); row = []; x = 0; }
    row.push([x, item]);
    x += w;
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

/** The legend as SVG, its top-left corner at (x, y); 18px per row. */
function legendSvg(rows: Array<Array<[number, LegendItem]>>, x: number, y: number): string {
  const out: string[] = [];
  rows.forEach((row, r) => {
    const cy = y + r * 18 + 9;
    for (const [dx, item] of row) {
      const sx = x + dx;
      const swatch = item.kind === 'box'
        ? `<rect x="${px(sx)}" y="${px(cy - 6)}" width="16" height="12" fill="${item.color}"/>`
        : `<line x1="${px(sx)}" y1="${px(cy)}" x2="${px(sx + 16)}" y2="${px(cy)}" stroke="${item.color}" stroke-width="2.5"${item.dashed ? ' stroke-dasharray="5 3"' : ''}/>`;
      out.push(`<g class="legend-item">${swatch}<text x="${px(sx + 22)}" y="${px(cy + 4)}">${escapeXml(item.name)}</text></g>`);
    }
  });
  return out.join('');
}

export interface Frame {
  width: number;
  height: number;
  /** Plot area. */
  left: number; top: number; right: number; bottom: number;
  legendRows: Array<Array<[number, LegendItem]>>;
}

/** Where the plot area goes, given the legend that must fit above it. */
export function frameFor(width: number, height: number, legend: LegendItem[], hasXLabel: boolean): Frame {
  const left = 62;
  const right = width - 16;
  const legendRows = layoutLegend(legend, right - left);
  const top = 30 + legendRows.length * 18 + 8;
  const bottom = height - (hasXLabel ? 42 : 26);
  if (bottom - top < 40) throw new Error(`chart height ${height} leaves no room for the plot (legend has ${legendRows.length} rows); make it taller`);
  return { width, height, left, top, right, bottom, legendRows };
}

/** `<svg>` open tag, background, title, legend. */
export function openSvg(f: Frame, title: string, cls: string): string {
  const t = escapeXml(title);
  return `<svg class="chart ${cls}" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" role="img" aria-label="${t}" font-family='${FONT}' font-size="12">` +
    `<title>${t}</title><rect width="${f.width}" height="${f.height}" fill="#fff"/>` +
    `<text x="${f.left}" y="20" font-size="14" font-weight="600" fill="#111">${t}</text>` +
    legendSvg(f.legendRows, f.left, 30);
}

/** Horizontal grid lines and y tick labels, the y-axis label, and the x-axis label. */
export function yAxisSvg(f: Frame, ticks: Ticks, y: (v: number) => number, format: (v: number) => string, yLabel?: string, xLabel?: string): string {
  const out: string[] = [];
  for (const v of ticks.values) {
    const yy = px(y(v));
    out.push(`<line x1="${f.left}" y1="${yy}" x2="${f.right}" y2="${yy}" stroke="${v === 0 ? '#888' : '#e3e3e3'}" stroke-width="1"/>`);
    out.push(`<text x="${f.left - 6}" y="${px(y(v) + 4)}" text-anchor="end" fill="#333">${escapeXml(format(v))}</text>`);
  }
  out.push(`<line x1="${f.left}" y1="${f.top}" x2="${f.left}" y2="${f.bottom}" stroke="#888"/>`);
  out.push(`<line x1="${f.left}" y1="${f.bottom}" x2="${f.right}" y2="${f.bottom}" stroke="#888"/>`);
  if (yLabel) {
    const cy = (f.top + f.bottom) / 2;
    out.push(`<text transform="translate(14 ${px(cy)}) rotate(-90)" text-anchor="middle" fill="#333">${escapeXml(yLabel)}</text>`);
  }
  if (xLabel) out.push(`<text x="${px((f.left + f.right) / 2)}" y="${f.height - 8}" text-anchor="middle" fill="#333">${escapeXml(xLabel)}</text>`);
  return out.join('');
}

/** "no data" in the middle of the plot area, for charts with nothing to draw. */
export function noDataSvg(f: Frame): string {
  return `<text class="no-data" x="${px((f.left + f.right) / 2)}" y="${px((f.top + f.bottom) / 2)}" text-anchor="middle" fill="#777" font-style="italic">no data</text>`;
}
