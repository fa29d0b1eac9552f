import type { ReadSideResult } from '../scenarios/read-side.scenario';

const WIDTH = 720;
const HEIGHT = 420;
const MARGIN = { left: 70, right: 30, top: 40, bottom: 60 };
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Read latency (p99) against the visits stored, log scales both ways: ours against the raw aggregation, the 50 ms target marked. */
export function readChartSvg(read: ReadSideResult): string {
  const sizes = read.sizes.map((s) => s.visits);
  const series: Array<{ label: string; color: string; dashed: boolean; values: number[] }> = [
    { label: 'feed page, reporting', color: '#1565c0', dashed: false, values: read.sizes.map((s) => s.feedPage.service.p99Ms) },
    { label: 'feed page, raw aggregation', color: '#1565c0', dashed: true, values: read.sizes.map((s) => s.feedPage.rawAggregation.p99Ms) },
    { label: "today's dashboard, reporting", color: '#ef6c00', dashed: false, values: read.sizes.map((s) => s.dashboard.service.p99Ms) },
    { label: "today's dashboard, raw aggregation", color: '#ef6c00', dashed: true, values: read.sizes.map((s) => s.dashboard.rawAggregation.p99Ms) },
  ];
  const all = series.flatMap((s) => s.values).filter((v) => Number.isFinite(v) && v > 0);
  const yMin = 10 ** Math.floor(Math.log10(Math.min(10, ...all)));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(100, ...all)));
  const xMin = 10 ** Math.floor(Math.log10(Math.min(...sizes)));
  const xMax = 10 ** Math.ceil(Math.log10(Math.max(...sizes) * 1.01));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (v: number) => MARGIN.left + ((Math.log10(v) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))) * plotW;
  const y = (v: number) => MARGIN.top + plotH - ((Math.log10(Math.max(v, yMin)) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * plotH;
  const decades = (from: number, to: number) => Array.from({ length: Math.round(Math.log10(to / from)) + 1 }, (_, i) => from * 10 ** i);
  const label = (v: number, unit: string) => (unit === 'ms' ? (v >= 1000 ? `${v / 1000} s` : `${v} ms`) : v >= 1000 ? `${v / 1000}k` : String(v));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">Read latency (p99) against visits stored: reporting and a raw aggregation</text>`,
    ...decades(xMin, xMax).map(
      (t) =>
        `<line x1="${x(t)}" x2="${x(t)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#eee"/><text x="${x(t)}" y="${MARGIN.top + plotH + 18}" text-anchor="middle" font-size="11">${label(t, 'visits')}</text>`,
    ),
    ...decades(yMin, yMax).map(
      (t) =>
        `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(t)}" y2="${y(t)}" stroke="#eee"/><text x="${MARGIN.left - 8}" y="${y(t) + 4}" text-anchor="end" font-size="11">${label(t, 'ms')}</text>`,
    ),
    `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(50)}" y2="${y(50)}" stroke="#c62828" stroke-dasharray="2,3"/><text x="${MARGIN.left + plotW}" y="${y(50) - 4}" text-anchor="end" font-size="11" fill="#c62828">p99 target 50 ms</text>`,
    ...series.map(
      (s) =>
        `<polyline fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6,4"' : ''} points="${sizes.map((v, i) => `${x(v).toFixed(1)},${y(s.values[i]).toFixed(1)}`).join(' ')}"/>` +
        sizes
          .map(
            (v, i) =>
              `<circle cx="${x(v).toFixed(1)}" cy="${y(s.values[i]).toFixed(1)}" r="3.5" fill="${s.color}"><title>${escape(`${s.label}: p99 ${Math.round(s.values[i])} ms at ${v} visits`)}</title></circle>`,
          )
          .join(''),
    ),
    ...series.map(
      (s, i) =>
        `<line x1="${MARGIN.left + 10}" x2="${MARGIN.left + 26}" y1="${MARGIN.top + 20 + i * 16}" y2="${MARGIN.top + 20 + i * 16}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="4,3"' : ''}/><text x="${MARGIN.left + 32}" y="${MARGIN.top + 24 + i * 16}" font-size="11">${escape(s.label)}</text>`,
    ),
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 18}" text-anchor="middle" font-size="12">visits stored (a year, 14 centers; log scale)</text>`,
    `<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="12">p99 latency (log scale)</text>`,
    '</svg>',
    '',
  ].join('\n');
}
