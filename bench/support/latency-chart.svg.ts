import type { KioskLoadResult } from '../scenarios/kiosk-load.scenario';

const WIDTH = 720;
const HEIGHT = 420;
const MARGIN = { left: 70, right: 30, top: 40, bottom: 60 };

function niceMax(value: number): number {
  if (!Number.isFinite(value) || value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((m) => m >= value)!;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * Latency (p50, p99) against offered rate for the check-in service and for the bare insert ceiling,
 * with both maximums marked: a plain SVG.
 */
export function latencyChartSvg(kiosk: KioskLoadResult): string {
  const points = kiosk.sweep.filter((p) => Number.isFinite(p.p99Ms));
  const ceilingPoints = (kiosk.ceilingSweep ?? []).filter((p) => Number.isFinite(p.p99Ms));
  // The axis spans the offered rates; a ceiling far beyond them is named at the right edge instead of squeezing the curve.
  const xMax = niceMax(Math.max(kiosk.checkin.throughput, ...points.map((p) => p.offeredPerSecond), ...ceilingPoints.map((p) => p.offeredPerSecond)) * 1.1);
  const ceilingOnChart = kiosk.ceiling.throughput <= xMax;
  const yMax = niceMax(Math.max(50, ...points.map((p) => p.p99Ms), ...ceilingPoints.map((p) => p.p99Ms)) * 1.1);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (v: number) => MARGIN.left + (v / xMax) * plotW;
  const y = (v: number) => MARGIN.top + plotH - (Math.min(v, yMax) / yMax) * plotH;
  const line = (values: Array<[number, number]>, color: string, label: string, dashed = false) =>
    `<polyline fill="none" stroke="${color}" stroke-width="2"${dashed ? ' stroke-dasharray="6,4"' : ''} points="${values.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(' ')}"/>` +
    values
      .map(
        ([a, b]) =>
          `<circle cx="${x(a).toFixed(1)}" cy="${y(b).toFixed(1)}" r="3.5" fill="${color}"><title>${escape(`${label}: ${Math.round(b * 10) / 10} ms at ${a}/s`)}</title></circle>`,
      )
      .join('');
  const ticks = (max: number, count: number) => Array.from({ length: count + 1 }, (_, i) => (max * i) / count);
  const vertical = (value: number, color: string, text: string) => {
    // Labels go left of their line, or right of it when the line is near the left edge.
    const right = x(value) - MARGIN.left < 160;
    return (
      `<line x1="${x(value)}" x2="${x(value)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="${color}" stroke-dasharray="5,4"/>` +
      `<text x="${x(value) + (right ? 4 : -4)}" y="${MARGIN.top + 14}" text-anchor="${right ? 'start' : 'end'}" font-size="11" fill="${color}">${escape(text)}</text>`
    );
  };
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">Latency against offered rate, check-in and the bare ceiling (open loop, ${kiosk.runs} run(s))</text>`,
    ...ticks(xMax, 5).map(
      (t) =>
        `<line x1="${x(t)}" x2="${x(t)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#eee"/><text x="${x(t)}" y="${MARGIN.top + plotH + 18}" text-anchor="middle" font-size="11">${Math.round(t)}</text>`,
    ),
    ...ticks(yMax, 5).map(
      (t) =>
        `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(t)}" y2="${y(t)}" stroke="#eee"/><text x="${MARGIN.left - 8}" y="${y(t) + 4}" text-anchor="end" font-size="11">${Math.round(t)}</text>`,
    ),
    `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(50)}" y2="${y(50)}" stroke="#c62828" stroke-dasharray="2,3"/><text x="${MARGIN.left + plotW}" y="${y(50) - 4}" text-anchor="end" font-size="11" fill="#c62828">p99 target 50 ms</text>`,
    ceilingOnChart
      ? vertical(kiosk.ceiling.throughput, '#555', `bare ceiling ${Math.round(kiosk.ceiling.throughput)}/s`)
      : `<text x="${MARGIN.left + plotW}" y="${MARGIN.top + 30}" text-anchor="end" font-size="11" fill="#555">${escape(`bare ceiling ${Math.round(kiosk.ceiling.throughput)}/s, beyond this axis →`)}</text>`,
    vertical(kiosk.checkin.throughput, '#2e7d32', `check-in maximum ${Math.round(kiosk.checkin.throughput)}/s`),
    line(
      ceilingPoints.map((p) => [p.offeredPerSecond, p.p50Ms]),
      '#90a4ae',
      'ceiling p50',
      true,
    ),
    line(
      ceilingPoints.map((p) => [p.offeredPerSecond, p.p99Ms]),
      '#546e7a',
      'ceiling p99',
      true,
    ),
    line(
      points.map((p) => [p.offeredPerSecond, p.p50Ms]),
      '#1565c0',
      'check-in p50',
    ),
    line(
      points.map((p) => [p.offeredPerSecond, p.p99Ms]),
      '#ef6c00',
      'check-in p99',
    ),
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 18}" text-anchor="middle" font-size="12">offered check-ins per second</text>`,
    `<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="12">latency (ms)</text>`,
    ...[
      ['#1565c0', 'check-in p50'],
      ['#ef6c00', 'check-in p99'],
      ['#90a4ae', 'bare ceiling p50 (dashed)'],
      ['#546e7a', 'bare ceiling p99 (dashed)'],
    ].map(
      ([color, text], i) =>
        `<rect x="${MARGIN.left + 10}" y="${MARGIN.top + 22 + i * 16}" width="12" height="3" fill="${color}"/><text x="${MARGIN.left + 28}" y="${MARGIN.top + 27 + i * 16}" font-size="11">${text}</text>`,
    ),
    '</svg>',
    '',
  ].join('\n');
}
