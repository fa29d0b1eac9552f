import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BenchSettings } from './bench-context';
import type { FreshnessResult } from '../scenarios/freshness.scenario';
import type { KioskLoadResult } from '../scenarios/kiosk-load.scenario';
import type { ReadSideResult } from '../scenarios/read-side.scenario';
import type { ReplayResult } from '../scenarios/replay.scenario';
import { latencyChartSvg } from './latency-chart.svg';
import { round } from './stats';

export interface BenchReport {
  startedAt: string;
  finishedAt?: string;
  command: string;
  machine: { cpu: string; memoryGb: number; node: string; os: string; loadAverageAtStart: number[] };
  settings: BenchSettings;
  infrastructure: { kafka: string; store: string };
  kiosk?: KioskLoadResult;
  freshness?: FreshnessResult;
  replay?: ReplayResult;
  read?: ReadSideResult;
  broker?: { peakRssMb: number; heapUsedMb: number; heapMaxMb: number };
}

const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');
const ms = (value: number) => (Number.isFinite(value) ? `${round(value, value < 10 ? 1 : 0)} ms` : 'n/a');
const perSecond = (value: number) => `${Math.round(value)}/s`;
const mb = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? `${Math.round(value)} MB` : 'n/a');
const pct = (value: number) => `${Math.round(value * 100)}%`;

/** The figures as a Markdown table, each beside its target. */
export function markdown(report: BenchReport): string {
  const rows: string[][] = [];
  const { kiosk, freshness, replay, read, broker } = report;
  if (kiosk) {
    rows.push([
      '1. Kiosk load',
      'check-ins/s sustained (stored + published)',
      perSecond(kiosk.checkin.throughput),
      `bare insert ceiling ${perSecond(kiosk.ceiling.throughput)}: **${pct(kiosk.ratio)}**`,
      `≥ 60% of ceiling: ${verdict(kiosk.ratio >= 0.6)}`,
    ]);
    rows.push([
      '',
      'latency at that maximum, p50 / p99',
      `${ms(kiosk.checkin.p50Ms)} / ${ms(kiosk.checkin.p99Ms)}`,
      `ceiling at its maximum ${ms(kiosk.ceiling.p50Ms)} / ${ms(kiosk.ceiling.p99Ms)}`,
      '',
    ]);
    const half = kiosk.atHalfCeiling;
    rows.push([
      '',
      `latency at half the ceiling (${perSecond(half.offeredPerSecond)} offered), p50 / p99`,
      `${ms(half.p50Ms)} / ${ms(half.p99Ms)}`,
      Number.isFinite(half.achievedPerSecond) ? `achieved ${perSecond(half.achievedPerSecond)}` : 'not offered: beyond 1.5 × the sustained maximum',
      `p99 < 50 ms: ${verdict(half.p99Ms < 50 && half.achievedPerSecond >= half.offeredPerSecond * 0.97)}`,
    ]);
  }
  if (freshness) {
    for (const point of freshness.points) {
      const target =
        point.offeredPerSecond === 500 ? `p99 < 1 s at 500/s: ${verdict(point.p99Ms < 1000 && point.missing === 0 && point.achievedPerSecond >= 485)}` : '';
      rows.push([
        rows.some((r) => r[0].startsWith('2.')) ? '' : '2. Freshness (201 → plan feed)',
        `at ${perSecond(point.offeredPerSecond)} offered (${perSecond(point.achievedPerSecond)} achieved), p50 / p99`,
        `${ms(point.p50Ms)} / ${ms(point.p99Ms)}`,
        `${point.visits} visits, ${point.missing} not in the feed after 2 min, max ${ms(point.maxMs)}`,
        target,
      ]);
    }
  }
  if (replay) {
    rows.push([
      '3. Replay',
      `rebuild of ${replay.events} events, total / events per second`,
      `${round(replay.rebuild.seconds)} s / ${perSecond(replay.rebuild.eventsPerSecond)}`,
      `bare consumer ${round(replay.ceiling.seconds)} s / ${perSecond(replay.ceiling.eventsPerSecond)}: **${pct(replay.ratio)}**`,
      `≥ 50% of ceiling: ${verdict(replay.ratio >= 0.5)}; ${replay.events >= 1_000_000 ? `under 2 min: ${verdict(replay.rebuild.seconds < 120)}` : 'under 2 min for 1M: not run at 1M'}`,
    ]);
  }
  if (read) {
    rows.push([
      '4. Read side',
      `feed page (100 records) over ${read.visits} visits, p50 / p99`,
      `${ms(read.feedPage.service.p50Ms)} / ${ms(read.feedPage.service.p99Ms)}`,
      `raw aggregation ${ms(read.feedPage.rawAggregation.p50Ms)} / ${ms(read.feedPage.rawAggregation.p99Ms)}`,
      `p99 < 50 ms: ${verdict(read.feedPage.service.p99Ms < 50)}`,
    ]);
    rows.push([
      '',
      "today's dashboard summary, p50 / p99",
      `${ms(read.dashboard.service.p50Ms)} / ${ms(read.dashboard.service.p99Ms)}`,
      `raw aggregation ${ms(read.dashboard.rawAggregation.p50Ms)} / ${ms(read.dashboard.rawAggregation.p99Ms)}`,
      `p99 < 50 ms: ${verdict(read.dashboard.service.p99Ms < 50)}`,
    ]);
    rows.push(['', 'dashboard summary of the last 30 days, p50 / p99', `${ms(read.dashboard30Days.p50Ms)} / ${ms(read.dashboard30Days.p99Ms)}`, '', '']);
  }
  const memory: Array<[string, number | undefined]> = [
    ['check-in, kiosk load', kiosk?.checkin.peakRssMb],
    ['check-in, freshness', freshness?.peakRssMb.checkin],
    ['reporting, freshness', freshness?.peakRssMb.reporting],
    ['reporting rebuild, replay', replay?.rebuild.peakRssMb],
    ['reporting, read side', read?.peakRssMb],
  ];
  for (const [i, [what, value]] of memory.filter(([, v]) => v !== undefined).entries()) {
    rows.push([i === 0 ? '5. Memory (peak resident)' : '', what, mb(value), '', `< 200 MB: ${verdict((value ?? Infinity) < 200)}`]);
  }
  if (kiosk) rows.push(['', 'bare insert server (ceiling)', mb(kiosk.ceiling.peakRssMb), '', '']);
  if (replay) rows.push(['', 'bare replay consumer (ceiling)', mb(replay.ceiling.peakRssMb), '', '']);
  if (broker)
    rows.push([
      '',
      'Kafka broker (resident / heap used at the end / heap bound)',
      `${mb(broker.peakRssMb)} / ${mb(broker.heapUsedMb)} / ${mb(broker.heapMaxMb)}`,
      '',
      `heap bounded: ${verdict(broker.heapMaxMb <= 512)}`,
    ]);
  const table = ['| | what | ours | against | target |', '| --- | --- | --- | --- | --- |', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  const m = report.machine;
  return [
    `Measured ${report.startedAt} to ${report.finishedAt ?? '?'} on ${m.cpu}, ${m.memoryGb} GB, ${m.os}, Node ${m.node}; load average at the start ${m.loadAverageAtStart.join(' ')}.`,
    `Kafka: ${report.infrastructure.kafka}, store: ${report.infrastructure.store}. Each figure is the median of ${report.settings.runs} run(s) where the scenario repeats; ` +
      `load windows of ${report.settings.durationSeconds} s after ${report.settings.warmupSeconds} s of warm-up.`,
    `Command: \`${report.command}\``,
    '',
    table,
    '',
  ].join('\n');
}

/** Writes results.json, results.md and the latency chart into `outDir` (and a copy into the run's directory). */
export function writeReport(report: BenchReport, outDir: string, runDir: string): string[] {
  const written: string[] = [];
  for (const dir of [runDir, outDir]) {
    fs.mkdirSync(dir, { recursive: true });
    const files: Record<string, string> = {
      'results.json': `${JSON.stringify(report, null, 2)}\n`,
      'results.md': markdown(report),
    };
    if (report.kiosk) files['checkin-latency.svg'] = latencyChartSvg(report.kiosk);
    for (const [name, content] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, name), content);
      if (dir === outDir) written.push(path.join(dir, name));
    }
  }
  return written;
}
