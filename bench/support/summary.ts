import type { BenchReport } from './report';
import type { CpuWindow } from './process-cpu';
import { describeStatements } from './statements';
import { round } from './stats';

/** One line of the one-screen summary: a target of the issue, our figure, what it is held against, and why when it is missed. */
export interface SummaryRow {
  scenario: string;
  ours: string;
  /** The ceiling measured in the same run, or the target itself. */
  against: string;
  /** Ours ÷ against: a share for throughputs, a multiple for times. */
  ratio: string;
  target: string;
  /** Undefined: no target to meet (a figure asked for), or not run. */
  met?: boolean;
  /** For rows not met: where the time goes, in numbers. */
  why?: string;
}

const LATENCY_TARGET_MS = { halfCeiling: 50, freshnessModerate: 1000, freshnessMaximum: 2000, dayRoute: 100, dayFreshness: 1000, read: 50 };
const MEMORY_TARGET_MB = 200;

export const ms = (value: number) =>
  !Number.isFinite(value) ? 'n/a' : value >= 10_000 ? `${round(value / 1000, 1)} s` : `${Math.round(value * (value < 10 ? 10 : 1)) / (value < 10 ? 10 : 1)} ms`;
export const perSecond = (value: number) => (Number.isFinite(value) ? `${Math.round(value)}/s` : 'n/a');
export const pct = (value: number) => (Number.isFinite(value) ? `${Math.round(value * 100)}%` : 'n/a');
const times = (value: number) => (Number.isFinite(value) ? `${value < 0.1 ? round(value, 3) : round(value, value < 10 ? 2 : 0)}×` : 'n/a');
const mb = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? `${Math.round(value)} MB` : 'n/a');
const cores = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? `${round(value, 2)} cores` : 'n/a');
const duration = (seconds: number) =>
  !Number.isFinite(seconds)
    ? 'n/a'
    : seconds >= 5400
      ? `${round(seconds / 3600, 1)} h`
      : seconds >= 120
        ? `${Math.round(seconds / 60)} min`
        : `${round(seconds, 1)} s`;
const thousands = (n: number) => (n >= 1000 ? `${round(n / 1000, n % 1000 === 0 ? 0 : 1)}k` : String(n));

/** `check-in 0.97 cores, store 0.41, broker 0.22; machine 96% busy`: who kept the CPU busy over a window. */
export function describeCpu(cpu: CpuWindow | undefined, first?: string): string {
  if (!cpu) return '';
  const entries = Object.entries(cpu.processes).sort(([a, x], [b, y]) => (a === first ? -1 : b === first ? 1 : y - x));
  const others = Number.isFinite(cpu.otherCores) ? `, other work ${round(cpu.otherCores, 2)} of its ${cpu.machineCores} cores` : '';
  return `${entries.map(([name, c], i) => `${name} ${i === 0 ? cores(c) : round(c, 2)}`).join(', ')}; machine ${pct(cpu.machineBusy)} busy${others}`;
}

const notRun = (scenario: string, target: string): SummaryRow => ({ scenario, ours: 'not run', against: '', ratio: '', target });

/** The issue's target table, each row against what it is measured against in the same run. */
export function summaryRows(report: BenchReport): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const { kiosk, freshness, day, replay, read } = report;

  if (kiosk) {
    const ok = kiosk.ratio >= 0.6;
    rows.push({
      scenario: 'kiosk load: check-ins/s sustained',
      ours: perSecond(kiosk.checkin.throughput),
      against: `bare insert ${perSecond(kiosk.ceiling.throughput)}`,
      ratio: pct(kiosk.ratio),
      target: '≥ 60% of the ceiling',
      met: ok,
      why: ok ? undefined : `at its maximum: ${describeCpu(kiosk.cpuAtMaximum, 'checkin')}; check-in's store time: ${describeStatements(kiosk.statements)}`,
    });
    const half = kiosk.atHalfCeiling;
    const offered = Number.isFinite(half.achievedPerSecond);
    const ceilingHalf = kiosk.ceilingSweep.find((p) => p.offeredPerSecond === half.offeredPerSecond);
    const ok2 = offered && half.p99Ms < LATENCY_TARGET_MS.halfCeiling && half.achievedPerSecond >= half.offeredPerSecond * 0.97;
    rows.push({
      scenario: `kiosk load: p99 at half the ceiling (${perSecond(half.offeredPerSecond)} offered)`,
      ours: offered ? ms(half.p99Ms) : 'not offered',
      against: ceilingHalf ? `ceiling at that rate ${ms(ceilingHalf.p99Ms)}; target 50 ms` : 'target 50 ms',
      ratio: offered ? times(half.p99Ms / LATENCY_TARGET_MS.halfCeiling) : '',
      target: 'p99 < 50 ms',
      met: ok2,
      why: ok2
        ? undefined
        : offered
          ? `took ${perSecond(half.achievedPerSecond)} of ${perSecond(half.offeredPerSecond)}, p50 ${ms(half.p50Ms)}; the service's maximum is ${perSecond(kiosk.checkin.throughput)} (${pct(half.offeredPerSecond / kiosk.checkin.throughput)} of it offered)`
          : `half the ceiling is more than 1.5 × the service's maximum (${perSecond(kiosk.checkin.throughput)}): its queue would only grow`,
    });
  } else {
    rows.push(notRun('kiosk load: check-ins/s sustained', '≥ 60% of the ceiling'), notRun('kiosk load: p99 at half the ceiling', 'p99 < 50 ms'));
  }

  if (freshness) {
    for (const point of freshness.points) {
      const limit = point.role === 'moderate' ? LATENCY_TARGET_MS.freshnessModerate : LATENCY_TARGET_MS.freshnessMaximum;
      const tookAll = point.achievedPerSecond >= point.offeredPerSecond * 0.97;
      const ok = point.p99Ms < limit && point.missing === 0 && tookAll;
      const label =
        point.role === 'moderate'
          ? `freshness at ${perSecond(point.offeredPerSecond)}`
          : `freshness at check-in's maximum (${perSecond(point.offeredPerSecond)}, ${freshness.maximumFrom})`;
      rows.push({
        scenario: `${label}: kiosk 201 → plan feed, p99`,
        ours: ms(point.p99Ms),
        against: `target ${ms(limit)}`,
        ratio: times(point.p99Ms / limit),
        target: `p99 < ${limit / 1000} s, none missing`,
        met: ok,
        why: ok
          ? undefined
          : [
              `p50 ${ms(point.p50Ms)}, max ${ms(point.maxMs)}, ${point.missing} of ${point.visits} missing`,
              tookAll ? '' : `check-in took ${perSecond(point.achievedPerSecond)} of ${perSecond(point.offeredPerSecond)}`,
              describeCpu(point.cpu, 'reporting'),
              point.reportingStatements.length ? `reporting's store time: ${describeStatements(point.reportingStatements)}` : '',
            ]
              .filter(Boolean)
              .join('; '),
      });
    }
  } else {
    rows.push(notRun('freshness at 100/s: p99', 'p99 < 1 s'), notRun("freshness at check-in's maximum: p99", 'p99 < 2 s'));
  }

  if (day) {
    const worst = day.routes[0];
    const slow = day.routes.filter((r) => !(r.p99Ms < LATENCY_TARGET_MS.dayRoute));
    const interactive = day.routes.filter((r) => !r.bulk);
    const errors = day.routes.reduce((n, r) => n + r.errors, 0);
    const ok = slow.length === 0 && errors === 0;
    rows.push({
      scenario: `day in the network (${day.centers} centers, ${day.visits} visits, ${day.speed}×): every route's p99`,
      ours: worst ? `worst ${ms(worst.p99Ms)} (${worst.route.replace(/^(\w+) \/v1/, '$1 …')})` : 'n/a',
      against: 'target 100 ms',
      ratio: worst ? times(worst.p99Ms / LATENCY_TARGET_MS.dayRoute) : '',
      target: 'every route p99 < 100 ms, no errors',
      met: ok,
      why: ok
        ? undefined
        : [
            // The three slowest name the problem; the rest are counted (results.md lists every route).
            slow.length
              ? `${slow.length} of ${day.routes.length} routes over: ${slow
                  .slice(0, 3)
                  .map((r) => `${r.route} ${ms(r.p99Ms)}${r.bulk ? ` (${r.bulk})` : ''}`)
                  .join(', ')}${slow.length > 3 ? `, and ${slow.length - 3} more` : ''}`
              : '',
            interactive.length ? `worst interactive route ${interactive[0].route} ${ms(interactive[0].p99Ms)}` : '',
            errors ? `${errors} answers not 2xx` : '',
            describeCpu(day.cpu),
          ]
            .filter(Boolean)
            .join('; '),
    });
    const f = day.freshness;
    const okFresh = f.p99Ms < LATENCY_TARGET_MS.dayFreshness && f.notSeen === 0;
    rows.push({
      scenario: 'day in the network: kiosk answer → plan feed, p99',
      ours: ms(f.p99Ms),
      against: 'target 1 s',
      ratio: times(f.p99Ms / LATENCY_TARGET_MS.dayFreshness),
      target: 'p99 < 1 s',
      met: okFresh,
      why: okFresh
        ? undefined
        : `p50 ${ms(f.p50Ms)}, max ${ms(f.maxMs)} over ${f.visits} member visits, ${f.notSeen} never seen; reporting's store time: ${describeStatements(day.statements.reporting)}`,
    });
    const r = day.reconciliation;
    const d = r.dashboard;
    const dashboardAgrees = d.visits === d.expectedVisits && d.openVisits === d.expectedOpenVisits;
    const okLost =
      r.refused === 0 && r.lost === 0 && r.wrongPlan === 0 && r.inBothFeeds === 0 && r.communityInFeeds === 0 && r.unknownInFeeds === 0 && dashboardAgrees;
    const stillArriving = r.settle === 'limit';
    rows.push({
      scenario: 'day in the network: nothing lost',
      ours: stillArriving ? `${r.lost} of ${r.expectedInFeeds} member visits not yet in a feed` : `${r.lost} lost of ${r.expectedInFeeds} member visits`,
      against: `${r.accepted} check-ins accepted`,
      ratio: '',
      target: 'none refused or lost, none in two feeds, dashboard = kiosks',
      met: okLost,
      why: okLost
        ? undefined
        : `${stillArriving ? `still arriving when the wait ended (${duration(r.settledAfterSeconds)} after the day): reporting had not caught up, so loss is neither shown nor ruled out; ` : ''}refused ${r.refused}, ${stillArriving ? 'not yet in a feed' : 'lost'} ${r.lost}, wrong plan ${r.wrongPlan}, in both feeds ${r.inBothFeeds}, community in a feed ${r.communityInFeeds}, unknown in a feed ${r.unknownInFeeds}; dashboard ${d.visits} visits / ${d.openVisits} open against ${d.expectedVisits} / ${d.expectedOpenVisits}, after ${duration(r.settledAfterSeconds)} of waiting`,
    });
  } else {
    rows.push(
      notRun("day in the network: every route's p99", 'p99 < 100 ms'),
      notRun('day in the network: freshness p99', 'p99 < 1 s'),
      notRun('day in the network: nothing lost', 'none lost'),
    );
  }

  if (replay && replay.sizes.length) {
    const largest = replay.sizes[replay.sizes.length - 1];
    const ok = largest.ratio >= 0.5;
    rows.push({
      scenario: `replay: ${thousands(largest.events)} events rebuilt`,
      ours: `${perSecond(largest.rebuild.eventsPerSecond)} (${duration(largest.rebuild.seconds)})`,
      against: `bare consumer ${perSecond(largest.ceiling.eventsPerSecond)}`,
      ratio: pct(largest.ratio),
      target: '≥ 50% of the bare rate',
      met: ok,
      why: ok ? undefined : `rebuild's store time: ${describeStatements(largest.statements)}`,
    });
    const m = replay.million;
    rows.push({
      scenario: `replay: time for 1M events, from ${replay.sizes.map((s) => thousands(s.events)).join(' / ')}`,
      ours: duration(m.rebuild.seconds),
      against: `bare consumer ${duration(m.ceiling.seconds)}`,
      ratio: times(m.rebuild.seconds / m.ceiling.seconds),
      target: 'a figure, no target',
      why: `time grows as size^${round(m.rebuild.exponent, 2)} (bare ^${round(m.ceiling.exponent, 2)}); straight line ${duration(m.rebuild.linearSeconds)}, power law ${duration(m.rebuild.powerSeconds)}`,
    });
  } else {
    rows.push(notRun('replay: 100k events rebuilt', '≥ 50% of the bare rate'), notRun('replay: time for 1M events', 'a figure'));
  }

  if (read && read.sizes.length) {
    const sizes = read.sizes.map((s) => thousands(s.visits)).join(' / ');
    for (const [what, pick, statementsOf] of [
      ['feed page (100 records)', (s: (typeof read.sizes)[number]) => s.feedPage, (s: (typeof read.sizes)[number]) => s.statements.feedPage],
      ["today's dashboard summary", (s: (typeof read.sizes)[number]) => s.dashboard, (s: (typeof read.sizes)[number]) => s.statements.dashboard],
    ] as const) {
      const ours = read.sizes.map((s) => pick(s).service.p99Ms);
      const raw = read.sizes.map((s) => pick(s).rawAggregation.p99Ms);
      const ok = ours.every((v) => v < LATENCY_TARGET_MS.read);
      const largest = read.sizes[read.sizes.length - 1];
      rows.push({
        scenario: `read side: ${what} p99 at ${sizes} visits`,
        ours: ours.map(ms).join(' / '),
        against: `raw aggregation ${raw.map(ms).join(' / ')}`,
        ratio: ours.map((v, i) => times(v / raw[i])).join(' / '),
        target: 'p99 < 50 ms at every size',
        met: ok,
        why: ok
          ? undefined
          : `over 50 ms at ${read.sizes
              .filter((s) => !(pick(s).service.p99Ms < 50))
              .map((s) => thousands(s.visits))
              .join(', ')} visits; p50 ${read.sizes.map((s) => ms(pick(s).service.p50Ms)).join(' / ')}; ` +
            `${ours[ours.length - 1] > ours[0] * 1.5 ? `grows ${times(ours[ours.length - 1] / ours[0])} as the data grows ${times(read.sizes[read.sizes.length - 1].visits / read.sizes[0].visits)}` : 'flat as the data grows'}; ` +
            `reporting's store time for these reads at ${thousands(largest.visits)}: ${describeStatements(statementsOf(largest))}`,
      });
    }
  } else {
    rows.push(notRun('read side: feed page p99', 'p99 < 50 ms'), notRun("read side: today's dashboard p99", 'p99 < 50 ms'));
  }

  const peaks = memoryPeaks(report);
  if (peaks.length) {
    const over = peaks.filter(([, v]) => !(v < MEMORY_TARGET_MB));
    rows.push({
      scenario: 'memory: peak resident, each service',
      ours: peaks.map(([name, v]) => `${name} ${Math.round(v)}`).join(', ') + ' MB',
      against: 'target 200 MB',
      ratio: times(Math.max(...peaks.map(([, v]) => v)) / MEMORY_TARGET_MB),
      target: '< 200 MB each',
      met: over.length === 0,
      why: over.length ? `over: ${over.map(([n, v]) => `${n} ${mb(v)}`).join(', ')}` : undefined,
    });
  } else {
    rows.push(notRun('memory: peak resident, each service', '< 200 MB each'));
  }
  return rows;
}

/** Each service's highest peak over every scenario it ran in (the rebuild program counted as its own). */
export function memoryPeaks(report: BenchReport): Array<[string, number]> {
  const peaks = new Map<string, number>();
  const add = (name: string, value: number | undefined) => {
    if (value === undefined || !Number.isFinite(value)) return;
    peaks.set(name, Math.max(peaks.get(name) ?? 0, value));
  };
  add('check-in', report.kiosk?.checkin.peakRssMb);
  add('check-in', report.freshness?.peakRssMb.checkin);
  add('reporting', report.freshness?.peakRssMb.reporting);
  if (report.day) {
    add('check-in', report.day.peakRssMb.checkin);
    add('membership', report.day.peakRssMb.membership);
    add('telehealth', report.day.peakRssMb.telehealth);
    add('reporting', report.day.peakRssMb.reporting);
  }
  for (const s of report.read?.sizes ?? []) add('reporting', s.peakRssMb);
  for (const s of report.replay?.sizes ?? []) add('rebuild', s.rebuild.peakRssMb);
  return [...peaks];
}

/** The summary as a Markdown table: scenario, ours, ceiling or target, ratio, target, met, why. */
export function summaryTable(rows: SummaryRow[]): string {
  const verdict = (met: boolean | undefined, ours: string) => (ours === 'not run' ? 'not run' : met === undefined ? '—' : met ? 'met' : '**not met**');
  const cell = (text: string | undefined) => (text ?? '').replace(/\|/g, '\\|');
  return [
    '| scenario | ours | ceiling or target (same run) | ratio | target | met | why not, in numbers |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${[r.scenario, r.ours, r.against, r.ratio, r.target, verdict(r.met, r.ours), r.met === false || r.met === undefined ? r.why : ''].map(cell).join(' | ')} |`,
    ),
  ].join('\n');
}
