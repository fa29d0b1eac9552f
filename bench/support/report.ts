import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BenchSettings } from './bench-context';
import type { FreshnessResult } from '../scenarios/freshness.scenario';
import type { KioskLoadResult } from '../scenarios/kiosk-load.scenario';
import type { NetworkDayResult } from '../scenarios/network-day.scenario';
import type { ReadSideResult } from '../scenarios/read-side.scenario';
import type { ReplayResult } from '../scenarios/replay.scenario';
import { latencyChartSvg } from './latency-chart.svg';
import { CommitInfo, MachineInfo } from './provenance';
import { readChartSvg } from './read-chart.svg';
import { StatementShare } from './statements';
import { describeCpu, memoryPeaks, ms, pct, perSecond, summaryRows, summaryTable } from './summary';
import { round } from './stats';

export interface BenchReport {
  startedAt: string;
  finishedAt?: string;
  command: string;
  commit: CommitInfo;
  machine: MachineInfo;
  settings: BenchSettings;
  infrastructure: { kafka: string; store: string; storeBackend?: string };
  kiosk?: KioskLoadResult;
  freshness?: FreshnessResult;
  day?: NetworkDayResult;
  replay?: ReplayResult;
  read?: ReadSideResult;
  broker?: { peakRssMb: number; heapUsedMb: number; heapMaxMb: number };
}

const mb = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? `${Math.round(value)} MB` : 'n/a');
const table = (header: string[], rows: string[][]) =>
  [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`),
  ].join('\n');

/** Command, commit, machine and load: what makes the figures comparable. */
export function provenance(report: BenchReport): string {
  const m = report.machine;
  const c = report.commit;
  return [
    `Command: \`${report.command}\` (scale \`${report.settings.scale}\`, seed ${report.settings.seed}).`,
    `Commit ${c.short} on ${c.branch}${c.uncommittedChanges ? `, with ${c.uncommittedChanges} uncommitted change(s)` : ''}. ` +
      `Machine: ${m.cpu} (${m.cores} cores), ${m.memoryGb} GB, ${m.os}, Node ${m.node}. ` +
      `Load average (1/5/15 min) ${m.loadAverageAtStart.join(' ')} at the start, ${m.loadAverageAtEnd?.join(' ') ?? '?'} at the end.`,
    `Measured ${report.startedAt} to ${report.finishedAt ?? '(unfinished)'}; Kafka ${report.infrastructure.kafka}, store ${report.infrastructure.store}${report.infrastructure.storeBackend ? ` (FerretDB on ${report.infrastructure.storeBackend})` : ''}.`,
  ].join('\n');
}

/** The one-screen summary: what `npm run bench` prints at its end. */
export function summary(report: BenchReport): string {
  return [provenance(report), '', summaryTable(summaryRows(report)), ''].join('\n');
}

const statementRows = (who: string, statements: StatementShare[]) => [
  [`**${who}**`, '', '', ''],
  ...statements.map((s) => [`\`${s.statement}\``, String(s.statements), `${s.meanMs} ms`, pct(s.share)]),
];

/** Every figure, below the summary. */
export function markdown(report: BenchReport): string {
  const parts = ['## Summary', '', summary(report)];
  const { kiosk, freshness, day, replay, read, broker } = report;
  const statements: string[][] = [];
  if (kiosk) {
    parts.push(
      '## Kiosk load',
      '',
      `Median of ${kiosk.runs} run(s); closed loop with ${report.settings.connections} connections for the maximum, open loop (latency from each request's due time) for the curve.`,
      '',
      table(
        ['', 'check-in service', 'bare insert ceiling'],
        [
          ['sustained (stored + published)', perSecond(kiosk.checkin.throughput), perSecond(kiosk.ceiling.throughput)],
          [
            'latency at its maximum, p50 / p99',
            `${ms(kiosk.checkin.p50Ms)} / ${ms(kiosk.checkin.p99Ms)}`,
            `${ms(kiosk.ceiling.p50Ms)} / ${ms(kiosk.ceiling.p99Ms)}`,
          ],
          ...[...new Set([...kiosk.sweep, ...kiosk.ceilingSweep].map((p) => p.offeredPerSecond))]
            .sort((a, b) => a - b)
            .map((rate) => {
              const cell = (p?: { achievedPerSecond: number; p50Ms: number; p99Ms: number }) =>
                !p
                  ? ''
                  : Number.isFinite(p.achievedPerSecond)
                    ? `${ms(p.p50Ms)} / ${ms(p.p99Ms)} (took ${perSecond(p.achievedPerSecond)})`
                    : 'not offered (> 1.5 × its maximum)';
              return [
                `offered ${perSecond(rate)}: p50 / p99`,
                cell(kiosk.sweep.find((p) => p.offeredPerSecond === rate)),
                cell(kiosk.ceilingSweep.find((p) => p.offeredPerSecond === rate)),
              ];
            }),
        ],
      ),
      '',
      `CPU at the service's maximum (cores busy over the closed loop): ${describeCpu(kiosk.cpuAtMaximum, 'checkin')}.`,
      '',
      '![Check-in latency against offered rate, ours and the ceiling](checkin-latency.svg)',
      '',
    );
    statements.push(...statementRows('check-in, kiosk load', kiosk.statements));
  }
  if (freshness) {
    parts.push(
      "## Freshness (kiosk 201 → record on the plan's feed topic, and in the pull feed)",
      '',
      table(
        ['offered', 'took', 'visits', 'missing', 'p50', 'p99', 'max', 'CPU'],
        freshness.points.map((p) => [
          `${perSecond(p.offeredPerSecond)} (${p.role})`,
          perSecond(p.achievedPerSecond),
          String(p.visits),
          String(p.missing),
          ms(p.p50Ms),
          ms(p.p99Ms),
          ms(p.maxMs),
          describeCpu(p.cpu, 'reporting'),
        ]),
      ),
      '',
      `Before each load both plans' rosters were uploaded, and the load began once their re-attribution was done: ${freshness.points
        .map((p) => `${ms(p.rosterReattributionMs)} after the answers for the ${perSecond(p.offeredPerSecond)} load`)
        .join(', ')}. The day measures uploads amid check-ins.`,
      '',
    );
    for (const p of freshness.points) statements.push(...statementRows(`reporting, freshness at ${perSecond(p.offeredPerSecond)}`, p.reportingStatements));
  }
  if (day) {
    const r = day.reconciliation;
    parts.push(
      '## A day in the network',
      '',
      `${day.centers} centers, ${day.visits} visits, ${Math.round(day.simulatedMinutes)} minutes of the day replayed at ${day.speed}× in ${Math.round(day.realSeconds)} s (${day.actions} actions; the harness sent them up to ${ms(day.schedulerLateP99Ms)} late at p99). ` +
        `Offline kiosks: ${day.outages.map((o) => `${o.centerId} ${Math.round(o.to - o.from)} min`).join(', ') || 'none'}; ${day.syncedItems} queued items synced in batches.`,
      '',
      table(
        ['route', 'requests', 'p50', 'p99', 'max', 'not 2xx', 'size'],
        day.routes.map((x) => [
          x.route,
          String(x.requests),
          ms(x.p50Ms),
          ms(x.p99Ms),
          ms(x.maxMs),
          x.errors
            ? `${x.errors} (${Object.entries(x.statuses)
                .filter(([s]) => !s.startsWith('2'))
                .map(([s, n]) => `${s}: ${n}`)
                .join(', ')})`
            : '0',
          x.bulk ?? '',
        ]),
      ),
      '',
      `Freshness: ${day.freshness.visits} member visits, p50 ${ms(day.freshness.p50Ms)}, p99 ${ms(day.freshness.p99Ms)}, max ${ms(day.freshness.maxMs)}, ${day.freshness.notSeen} never seen.`,
      '',
      `Reconciliation, after ${round(r.settledAfterSeconds, 1)} s of waiting (${r.settle === 'agreed' ? 'everything agreed' : r.settle === 'stalled' ? 'nothing moved for 3 minutes' : 'the 15-minute limit, records still arriving'}): ${r.accepted} check-ins accepted (${r.refused} refused), ${r.expectedInFeeds} of them of visitors with a member id; ` +
        `${r.settle === 'limit' ? 'not yet in a feed' : 'lost'} ${r.lost}, wrong plan ${r.wrongPlan}, in both feeds ${r.inBothFeeds}, community visits in a feed ${r.communityInFeeds}, feed records of unknown visits ${r.unknownInFeeds}. ` +
        `Dashboard: ${r.dashboard.visits} visits (kiosks: ${r.dashboard.expectedVisits}), ${r.dashboard.openVisits} open (kiosks: ${r.dashboard.expectedOpenVisits}), help backlog ${r.dashboard.helpBacklog}, Wi-Fi sessions in progress ${r.dashboard.wifiInProgress}.`,
      '',
      `CPU over the day: ${describeCpu(day.cpu)}.`,
      '',
    );
    for (const [service, rows] of Object.entries(day.statements)) statements.push(...statementRows(`${service}, day in the network`, rows));
  }
  if (replay) {
    parts.push(
      '## Replay',
      '',
      table(
        ['events', 'rebuild', 'bare consumer', 'ratio', 'rebuild peak resident'],
        replay.sizes.map((s) => [
          String(s.events),
          `${round(s.rebuild.seconds, 1)} s, ${perSecond(s.rebuild.eventsPerSecond)}`,
          `${round(s.ceiling.seconds, 1)} s, ${perSecond(s.ceiling.eventsPerSecond)}`,
          pct(s.ratio),
          mb(s.rebuild.peakRssMb),
        ]),
      ),
      '',
      `A million events, extrapolated: rebuild ${round(replay.million.rebuild.seconds / 60, 1)} min (straight line ${round(replay.million.rebuild.linearSeconds / 60, 1)}, power law ${round(replay.million.rebuild.powerSeconds / 60, 1)}, exponent ${round(replay.million.rebuild.exponent, 2)}); ` +
        `bare consumer ${round(replay.million.ceiling.seconds / 60, 1)} min (exponent ${round(replay.million.ceiling.exponent, 2)}).`,
      '',
    );
    const largest = replay.sizes[replay.sizes.length - 1];
    if (largest) statements.push(...statementRows(`rebuild, ${largest.events} events`, largest.statements));
  }
  if (read) {
    parts.push(
      '## Read side',
      '',
      table(
        ['visits (today)', 'feed page p50 / p99', 'raw aggregation', "today's dashboard p50 / p99", 'raw aggregation', 'dashboard, 30 days', 'samples'],
        read.sizes.map((s) => [
          `${s.visits} (${s.visitsToday})`,
          `${ms(s.feedPage.service.p50Ms)} / ${ms(s.feedPage.service.p99Ms)}`,
          `${ms(s.feedPage.rawAggregation.p50Ms)} / ${ms(s.feedPage.rawAggregation.p99Ms)}`,
          `${ms(s.dashboard.service.p50Ms)} / ${ms(s.dashboard.service.p99Ms)}`,
          `${ms(s.dashboard.rawAggregation.p50Ms)} / ${ms(s.dashboard.rawAggregation.p99Ms)}`,
          `${ms(s.dashboard30Days.p50Ms)} / ${ms(s.dashboard30Days.p99Ms)}`,
          `${s.feedPage.service.samples} / ${s.dashboard.service.samples}`,
        ]),
      ),
      '',
      '![Read latency against data size](read-latency.svg)',
      '',
    );
    const largest = read.sizes[read.sizes.length - 1];
    if (largest) {
      statements.push(...statementRows(`reporting, feed pages at ${largest.visits} visits`, largest.statements.feedPage));
      statements.push(...statementRows(`reporting, today's dashboard at ${largest.visits} visits`, largest.statements.dashboard));
    }
  }
  const peaks = memoryPeaks(report);
  if (peaks.length || broker) {
    parts.push(
      "## Memory (peak resident, the kernel's VmHWM)",
      '',
      table(
        ['process', 'peak'],
        [
          ...peaks.map(([name, v]) => [name, mb(v)]),
          ...(kiosk ? [['bare insert server (ceiling)', mb(kiosk.ceiling.peakRssMb)]] : []),
          ...(broker
            ? [['Kafka broker: resident / heap used at the end / heap bound', `${mb(broker.peakRssMb)} / ${mb(broker.heapUsedMb)} / ${mb(broker.heapMaxMb)}`]]
            : []),
        ],
      ),
      '',
    );
  }
  if (statements.length) {
    parts.push(
      '## Where the store time went',
      '',
      "From each process's `STORE_STATEMENT_PROFILE`; statements overlap, so shares are of summed store time, not of wall time.",
      '',
      table(['statement', 'count', 'mean', 'share'], statements),
      '',
    );
  }
  return parts.join('\n');
}

/** Writes results.json, results.md and the charts into `outDir` (and a copy into the run's directory). */
export function writeReport(report: BenchReport, outDir: string, runDir: string): string[] {
  const written: string[] = [];
  for (const dir of [runDir, outDir]) {
    fs.mkdirSync(dir, { recursive: true });
    const files: Record<string, string> = {
      'results.json': `${JSON.stringify(report, null, 2)}\n`,
      'results.md': `# Benchmark results\n\n${markdown(report)}`,
    };
    if (report.kiosk) files['checkin-latency.svg'] = latencyChartSvg(report.kiosk);
    if (report.read) files['read-latency.svg'] = readChartSvg(report.read);
    for (const [name, content] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, name), content);
      if (dir === outDir) written.push(path.join(dir, name));
    }
  }
  return written;
}
