/**
 * Horizontal bar charts as inline SVG, drawn here (server side) so they show without JavaScript
 * and without any library. Each bar carries its label and value as text (colour is never the only
 * signal), and the chart has a <title> and a <desc> listing every value for screen readers.
 */
import { escapeHtml } from './html-escape.ts';

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** A CSS class for the bar's colour (`bar-error`, `bar-warn`, `bar-neutral`). */
  readonly tone: string;
  /** Makes the bar a link (e.g. `#rule=require-timeout`, which filters the findings). */
  readonly href?: string | undefined;
  /** Words read after the value in the description (e.g. `error`). */
  readonly note?: string | undefined;
}

const WIDTH = 560;
const LABEL_WIDTH = 220;
const VALUE_ROOM = 48;
const BAR_HEIGHT = 22;
const GAP = 10;
/** Labels longer than this are cut (keeping their end, the telling part); the full text is in a <title>. */
const MAX_LABEL = 26;

export function barChart(id: string, title: string, bars: readonly Bar[]): string {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = bars.length * (BAR_HEIGHT + GAP) + GAP;
  const span = WIDTH - LABEL_WIDTH - VALUE_ROOM;
  const desc = bars.map((b) => `${b.label}: ${b.value}${b.note ? ` (${b.note})` : ''}`).join('; ');
  const rows = bars.map((bar, i) => {
    const y = GAP + i * (BAR_HEIGHT + GAP);
    const width = bar.value === 0 ? 0 : Math.max(2, Math.round((bar.value / max) * span));
    const label = shorten(bar.label);
    const labelTitle = label === bar.label ? '' : `<title>${escapeHtml(bar.label)}</title>`;
    const inner = [
      `<text class="bar-label" x="${LABEL_WIDTH - 10}" y="${y + BAR_HEIGHT / 2}" text-anchor="end" dominant-baseline="central">${labelTitle}${escapeHtml(label)}</text>`,
      `<rect class="bar ${bar.tone}" x="${LABEL_WIDTH}" y="${y}" width="${width}" height="${BAR_HEIGHT}" rx="3"/>`,
      `<text class="bar-value" x="${LABEL_WIDTH + width + 8}" y="${y + BAR_HEIGHT / 2}" dominant-baseline="central">${bar.value}</text>`,
    ].join('');
    return bar.href === undefined ? `<g>${inner}</g>` : `<a href="${escapeHtml(bar.href)}">${inner}</a>`;
  });
  return [
    `<svg class="chart" id="${id}" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}">`,
    `<title id="${id}-title">${escapeHtml(title)}</title>`,
    `<desc id="${id}-desc">${escapeHtml(desc)}</desc>`,
    ...rows,
    '</svg>',
  ].join('\n');
}

function shorten(label: string): string {
  return label.length <= MAX_LABEL ? label : `…${label.slice(label.length - MAX_LABEL + 1)}`;
}
