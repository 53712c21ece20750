/**
 * The status view's chart: articles per day per site as stacked bars in SVG, drawn on the
 * server (no chart library, no script). Pure: counts in, markup out. The same numbers follow
 * as a table for screen readers and for copying.
 */
import type { DailyCount } from '../../store/article-listing.ts';
import { escapeHtml } from './escape.ts';

/**
 * Bar colours: the Okabe–Ito palette (distinguishable with the common colour-vision
 * deficiencies), without its yellow, which lacks 3:1 contrast on white. Sites beyond these
 * are drawn together as "other sites".
 */
const SITE_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
const OTHER_COLOUR = '#767676';
const OTHER_SITES = 'other sites';

const WIDTH = 720;
const HEIGHT = 260;
const MARGIN = { top: 12, right: 12, bottom: 42, left: 44 };
/** Horizontal grid lines drawn: enough to read a value, few enough not to clutter. */
const Y_TICKS = 4;

/** Every day from `first` to `last` inclusive ("YYYY-MM-DD"). */
function daysBetween(first: string, last: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** A round step for the y axis: 1, 2 or 5 times a power of ten. */
function niceStep(max: number): number {
  const rough = Math.max(1, max / Y_TICKS);
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= rough) ?? rough;
}

export interface ChartSeries {
  site: string;
  colour: string;
}

export function chartSeries(counts: readonly DailyCount[]): ChartSeries[] {
  const totals = new Map<string, number>();
  for (const { site, count } of counts) totals.set(site, (totals.get(site) ?? 0) + count);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([site]) => site);
  const shown = ranked.length > SITE_COLOURS.length ? ranked.slice(0, SITE_COLOURS.length - 1) : ranked;
  const series = shown.map((site, i) => ({ site, colour: SITE_COLOURS[i]! }));
  if (shown.length < ranked.length) series.push({ site: OTHER_SITES, colour: OTHER_COLOUR });
  return series;
}

export function renderDailyChart(counts: readonly DailyCount[]): string {
  if (counts.length === 0) return '<p>No dated articles yet.</p>';
  const series = chartSeries(counts);
  const named = new Set(series.map((s) => s.site));
  const seriesOf = (site: string) => (named.has(site) ? site : OTHER_SITES);
  const days = daysBetween(counts[0]!.day, counts.at(-1)!.day);
  const byDay = new Map<string, Map<string, number>>();
  for (const { site, day, count } of counts) {
    const row = byDay.get(day) ?? new Map<string, number>();
    row.set(seriesOf(site), (row.get(seriesOf(site)) ?? 0) + count);
    byDay.set(day, row);
  }
  const max = Math.max(1, ...days.map((day) => [...(byDay.get(day)?.values() ?? [])].reduce((a, b) => a + b, 0)));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const slot = plotW / days.length;
  const barW = Math.max(1, slot * 0.8);
  const y = (value: number) => MARGIN.top + plotH - (value / top) * plotH;
  const parts: string[] = [];
  for (let value = 0; value <= top; value += step) {
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#d0d0d0"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#333">${value}</text>`);
  }
  const labelEvery = Math.ceil(days.length / 8);
  days.forEach((day, i) => {
    const x = MARGIN.left + i * slot + (slot - barW) / 2;
    let base = 0;
    for (const { site, colour } of series) {
      const n = byDay.get(day)?.get(site) ?? 0;
      if (n === 0) continue;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y(base + n).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(base) - y(base + n)).toFixed(1)}" fill="${colour}"><title>${escapeHtml(`${day} ${site}: ${n}`)}</title></rect>`,
      );
      base += n;
    }
    if (i % labelEvery === 0) {
      parts.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle" font-size="11" fill="#333">${day.slice(5)}</text>`);
    }
  });
  const legend = series
    .map(({ site, colour }) => `<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="${colour}"/></svg> ${escapeHtml(site)}</li>`)
    .join('');
  const summary = `Articles per day from ${days[0]} to ${days.at(-1)}, stacked by site: ${series.map((s) => s.site).join(', ')}`;
  const tableRows = days
    .filter((day) => byDay.has(day))
    .map((day) => `<tr><th scope="row">${day}</th>${series.map(({ site }) => `<td class="n">${byDay.get(day)?.get(site) ?? 0}</td>`).join('')}</tr>`)
    .join('');
  return `<figure class="chart">
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-labelledby="chart-title" id="daily-chart">
<title id="chart-title">${escapeHtml(summary)}</title>
<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#333"/>
${parts.join('\n')}
</svg>
<figcaption>Articles per publisher's day and site. <ul class="legend" style="list-style:none;padding:0;display:flex;gap:1rem;flex-wrap:wrap">${legend}</ul></figcaption>
</figure>
<details><summary>The numbers</summary>
<table><thead><tr><th scope="col">Day</th>${series.map(({ site }) => `<th scope="col">${escapeHtml(site)}</th>`).join('')}</tr></thead><tbody>${tableRows}</tbody></table>
</details>`;
}
