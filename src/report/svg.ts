/**
 * Dependency-free SVG charts for the report: a line chart with several series and a (grouped)
 * bar chart. Pure functions from data to an SVG string with fixed pixel sizes, meant to be
 * inlined in HTML (no xmlns, no scripts, no external fonts). Missing values (undefined, null,
 * NaN, ±Infinity) are skipped: a line breaks at them and a bar is not drawn.
 */
import { escapeXml, isNum, type Maybe } from './format.ts';
import {
  PALETTE, frameFor, linearScale, niceTicks, noDataSvg, openSvg, px, tickLabel, yAxisSvg, type LegendItem, type Ticks,
} from './svg-axes.ts';

export { niceTicks, tickLabel, PALETTE } from './svg-axes.ts';
export { escapeXml } from './format.ts';

export interface ChartOptions {
  title: string;
  xLabel?: string;
  yLabel?: string;
  /** Default 640 x 300. */
  width?: number;
  height?: number;
  /** Tick and tooltip text for y values; default: as many decimals as the tick step needs. */
  yFormat?: (v: number) => string;
  /** A fixed y domain, e.g. [0, 1] for rates; otherwise fitted to the data. */
  yDomain?: [number, number];
  /** Fitted domains include 0 (default true), so that bar heights and slopes are not exaggerated. */
  includeZero?: boolean;
}

export interface LinePoint { x: number; y: Maybe }
export interface LineSeries {
  name: string;
  points: LinePoint[];
  color?: string;
  dashed?: boolean;
}

export interface LineChartOptions extends ChartOptions {
  series: LineSeries[];
  /** Integer x ticks only (rounds, steps). */
  integerX?: boolean;
  xFormat?: (v: number) => string;
  /** Point markers: 'auto' draws them for series of at most 40 points. Lone points always get one. */
  markers?: 'auto' | 'always' | 'never';
  /** Labelled vertical lines, e.g. the best checkpoint's step. */
  vLines?: Array<{ x: number; label: string }>;
}

const MARKER_LIMIT = 40;

/**
 * A line chart. Each finite point is a vertex of its series' polyline (one polyline per run of
 * consecutive finite points) and, with markers on, a `<circle class="pt">` with a tooltip.
 * @example
 * lineChart({ title: 'CHAIRi', integerX: true, series: [{ name: 'CHAIRi', points: [{ x: 0, y: 0.27 }, { x: 1, y: 0.12 }] }] })
 */
export function lineChart(o: LineChartOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 300;
  const series = o.series.map((s, i) => ({
    ...s,
    color: s.color ?? PALETTE[i % PALETTE.length]!,
    points: s.points.filter((p) => isNum(p.x)).slice().sort((a, b) => a.x - b.x),
  }));
  const legend: LegendItem[] = series.map((s) => ({ name: s.name, color: s.color, dashed: s.dashed, kind: 'line' }));
  const f = frameFor(width, height, series.length > 1 ? legend : [], !!o.xLabel);
  const finite = series.flatMap((s) => s.points.filter((p) => isNum(p.y))) as Array<{ x: number; y: number }>;
  let svg = openSvg(f, o.title, 'line-chart');
  if (finite.length === 0) return `${svg}${yAxisSvg(f, niceTicks(0, 1), linearScale(0, 1, f.bottom, f.top), String, o.yLabel, o.xLabel)}${noDataSvg(f)}</svg>`;

  const yt = yTicks(finite.map((p) => p.y), o, f.bottom - f.top);
  const y = linearScale(yt.min, yt.max, f.bottom, f.top);
  const yFormat = o.yFormat ?? ((v: number) => tickLabel(v, yt.step));
  const xs = [...finite.map((p) => p.x), ...(o.vLines ?? []).map((v) => v.x)];
  let x0 = Math.min(...xs);
  let x1 = Math.max(...xs);
  if (x0 === x1) { x0 -= 0.5; x1 += 0.5; } // one x: centre it rather than invent neighbours
  const xt = niceTicks(x0, x1, Math.min(8, Math.max(2, Math.floor((f.right - f.left) / 70))), o.integerX);
  const xTickValues = xt.values.filter((v) => v >= x0 - 1e-9 && v <= x1 + 1e-9);
  const x = linearScale(x0, x1, f.left + 10, f.right - 10);
  const xFormat = o.xFormat ?? ((v: number) => tickLabel(v, xt.step));

  svg += yAxisSvg(f, yt, y, yFormat, o.yLabel, o.xLabel);
  for (const v of xTickValues) {
    svg += `<line x1="${px(x(v))}" y1="${f.bottom}" x2="${px(x(v))}" y2="${f.bottom + 4}" stroke="#888"/>` +
      `<text x="${px(x(v))}" y="${f.bottom + 16}" text-anchor="middle" fill="#333">${escapeXml(xFormat(v))}</text>`;
  }
  for (const v of o.vLines ?? []) {
    if (!isNum(v.x)) continue;
    // Labels near the right edge go on the left of their line so they are not clipped.
    const flip = x(v.x) + 8 + v.label.length * 6.5 > f.right;
    svg += `<g class="vline"><line x1="${px(x(v.x))}" y1="${f.top}" x2="${px(x(v.x))}" y2="${f.bottom}" stroke="#555" stroke-dasharray="3 3"/>` +
      `<text x="${px(x(v.x) + (flip ? -4 : 4))}" y="${f.top + 11}" fill="#555" font-size="11"${flip ? ' text-anchor="end"' : ''}>${escapeXml(v.label)}</text></g>`;
  }
  for (const s of series) {
    const runs = splitRuns(s.points);
    const count = runs.reduce((n, r) => n + r.length, 0);
    const drawMarkers = o.markers === 'always' || (o.markers !== 'never' && count <= MARKER_LIMIT);
    svg += `<g class="series" data-name="${escapeXml(s.name)}">`;
    for (const run of runs) {
      if (run.length > 1) {
        const pts = run.map((p) => `${px(x(p.x))},${px(y(p.y))}`).join(' ');
        svg += `<polyline points="${pts}" fill="none" stroke="${s.color}" stroke-width="2.2" stroke-linejoin="round"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`;
      }
      if (drawMarkers || run.length === 1) {
        for (const p of run) {
          svg += `<circle class="pt" cx="${px(x(p.x))}" cy="${px(y(p.y))}" r="3.5" fill="${s.dashed ? '#fff' : s.color}" stroke="${s.color}" stroke-width="1.5">` +
            `<title>${escapeXml(`${s.name}: ${xFormat(p.x)} → ${yFormat(p.y)}`)}</title></circle>`;
        }
      }
    }
    svg += '</g>';
  }
  return `${svg}</svg>`;
}

/** Consecutive finite points; a missing y ends a run so the line shows the gap. */
function splitRuns(points: LinePoint[]): Array<Array<{ x: number; y: number }>> {
  const runs: Array<Array<{ x: number; y: number }>> = [];
  let run: Array<{ x: number; y: number }> = [];
  for (const p of points) {
    if (isNum(p.y)) { run.push({ x: p.x, y: p.y }); continue; }
    if (run.length) runs.push(run);
    run = [];
  }
  if (run.length) runs.push(run);
  return runs;
}

function yTicks(values: number[], o: ChartOptions, plotHeight: number): Ticks {
  const target = Math.max(2, Math.min(6, Math.floor(plotHeight / 40)));
  if (o.yDomain) {
    const lo = Math.min(o.yDomain[0], ...values);
    const hi = Math.max(o.yDomain[1], ...values);
    return niceTicks(lo, hi, target);
  }
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (o.includeZero ?? true) { lo = Math.min(lo, 0); hi = Math.max(hi, 0); }
  return niceTicks(lo, hi, target);
}

export interface BarSeries { name: string; values: Maybe[]; color?: string }

export interface GroupedBarChartOptions extends ChartOptions {
  /** One group of bars per category (x axis). */
  categories: string[];
  /** One bar per series in each group; `values[i]` belongs to `categories[i]`. */
  series: BarSeries[];
  /** Print each value above its bar; 'auto' when the bars are wide enough. */
  valueLabels?: 'auto' | boolean;
}

/**
 * Grouped bars: for each category, one `<rect class="bar">` per series with a finite value.
 * Bars start at 0 (negative values hang below it).
 * @example
 * groupedBarChart({ title: 'Pairs', categories: ['round 1', 'round 2'],
 *   series: [{ name: 'before filters', values: [900, 950] }, { name: 'kept', values: [180, 200] }] })
 */
export function groupedBarChart(o: GroupedBarChartOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 300;
  const series = o.series.map((s, i) => ({ ...s, color: s.color ?? PALETTE[i % PALETTE.length]! }));
  const legend: LegendItem[] = series.map((s) => ({ name: s.name, color: s.color, kind: 'box' }));
  const f = frameFor(width, height, series.length > 1 ? legend : [], !!o.xLabel);
  const values = series.flatMap((s) => s.values.slice(0, o.categories.length).filter(isNum));
  let svg = openSvg(f, o.title, 'bar-chart');
  if (values.length === 0 || o.categories.length === 0) {
    return `${svg}${yAxisSvg(f, niceTicks(0, 1), linearScale(0, 1, f.bottom, f.top), String, o.yLabel, o.xLabel)}${noDataSvg(f)}</svg>`;
  }
  const band = (f.right - f.left) / o.categories.length;
  const barW = Math.min(48, (band * 0.8) / Math.max(1, series.length));
  const groupW = barW * series.length;
  const labels = o.valueLabels === 'auto' || o.valueLabels === undefined ? barW >= 22 : o.valueLabels;
  // Headroom so the label of the tallest bar stays inside the plot.
  // (A fixed domain keeps its ends; labels that would leave it go inside their bar instead.)
  const padded = labels && !o.yDomain ? [...values, Math.max(...values) * 1.1, Math.min(...values) * 1.1] : values;
  const yt = yTicks(padded, { ...o, includeZero: true }, f.bottom - f.top);
  const y = linearScale(yt.min, yt.max, f.bottom, f.top);
  const yFormat = o.yFormat ?? ((v: number) => tickLabel(v, yt.step));
  svg += yAxisSvg(f, yt, y, yFormat, o.yLabel, o.xLabel);

  o.categories.forEach((cat, c) => {
    const cx = f.left + band * (c + 0.5);
    svg += `<text x="${px(cx)}" y="${f.bottom + 16}" text-anchor="middle" fill="#333">${escapeXml(cat)}</text>`;
    series.forEach((s, i) => {
      const v = s.values[c];
      if (!isNum(v)) return;
      const bx = cx - groupW / 2 + i * barW;
      const top = Math.min(y(v), y(0));
      const h = Math.max(Math.abs(y(v) - y(0)), 0.5); // a zero still shows as a hairline
      svg += `<rect class="bar" x="${px(bx + 1)}" y="${px(top)}" width="${px(barW - 2)}" height="${px(h)}" fill="${s.color}">` +
        `<title>${escapeXml(`${s.name}, ${cat}: ${yFormat(v)}`)}</title></rect>`;
      if (labels) {
        const inside = v >= 0 ? top - f.top < 14 : f.bottom - (top + h) < 14;
        const ly = v >= 0 ? (inside ? top + 12 : top - 4) : (inside ? top + h - 4 : top + h + 12);
        svg += `<text class="bar-label" x="${px(bx + barW / 2)}" y="${px(ly)}" text-anchor="middle" font-size="10.5" fill="${inside ? '#fff' : '#222'}">${escapeXml(yFormat(v))}</text>`;
      }
    });
  });
  return `${svg}</svg>`;
}

