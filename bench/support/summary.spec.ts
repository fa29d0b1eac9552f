import type { KioskLoadResult } from '../scenarios/kiosk-load.scenario';
import type { NetworkDayResult } from '../scenarios/network-day.scenario';
import type { ReadSideResult } from '../scenarios/read-side.scenario';
import type { BenchReport } from './report';
import { SCALE_SIZES } from './scale';
import { summaryRows, summaryTable } from './summary';

const base: BenchReport = {
  startedAt: '2026-12-02T10:00:00.000Z',
  command: 'npm run bench -- --scale small',
  commit: { sha: 'a'.repeat(40), short: 'aaaaaaa', branch: 'main', uncommittedChanges: 0 },
  machine: { cpu: '2 × test', cores: 2, memoryGb: 24, node: 'v20', os: 'Linux', loadAverageAtStart: [1, 1, 1] },
  settings: { ...SCALE_SIZES.small, scale: 'small', seed: 7, connections: 16, profile: [] },
  infrastructure: { kafka: 'local', store: 'local' },
};

function kiosk(throughput: number, ceiling: number, halfP99: number): KioskLoadResult {
  const half = { offeredPerSecond: Math.round(ceiling / 2), achievedPerSecond: Math.round(ceiling / 2), p50Ms: 10, p99Ms: halfP99 };
  return {
    checkin: { throughput, acceptedPerSecond: throughput, publishedPerSecond: throughput, p50Ms: 20, p99Ms: 80, peakRssMb: 150 },
    ceiling: { throughput: ceiling, p50Ms: 3, p99Ms: 20, peakRssMb: 90 },
    ratio: throughput / ceiling,
    atHalfCeiling: half,
    sweep: [half],
    ceilingSweep: [{ ...half, p99Ms: 9 }],
    cpuAtMaximum: { processes: { checkin: 0.98, store: 0.4 }, machineBusy: 0.97, machineCores: 2, otherCores: 0.56, seconds: 25 },
    statements: [{ statement: 'insert visits', statements: 900, meanMs: 6, share: 0.61 }],
    runs: 1,
  };
}

const row = (report: BenchReport, startsWith: string) => summaryRows(report).find((r) => r.scenario.startsWith(startsWith))!;

describe('summaryRows', () => {
  it('prints every row of the targets, marking what was not run', () => {
    const rows = summaryRows(base);
    expect(rows.map((r) => r.scenario.split(':')[0])).toEqual([
      'kiosk load',
      'kiosk load',
      'freshness at 100/s',
      "freshness at check-in's maximum",
      'day in the network',
      'day in the network',
      'day in the network',
      'replay',
      'replay',
      'read side',
      'read side',
      'memory',
    ]);
    expect(rows.every((r) => r.ours === 'not run' && r.met === undefined)).toBe(true);
    expect(summaryTable(rows)).toContain('| not run |');
  });

  it('holds the kiosk load to 60% of the ceiling of the same run and says where the time went when it misses', () => {
    const missed = row({ ...base, kiosk: kiosk(400, 1000, 30) }, 'kiosk load: check-ins');
    expect(missed).toMatchObject({ ours: '400/s', against: 'bare insert 1000/s', ratio: '40%', met: false });
    expect(missed.why).toContain('checkin 0.98 cores');
    expect(missed.why).toContain('machine 97% busy, other work 0.56 of its 2 cores');
    expect(missed.why).toContain('`insert visits` 61% (900 × 6 ms)');
    expect(row({ ...base, kiosk: kiosk(650, 1000, 30) }, 'kiosk load: check-ins')).toMatchObject({ ratio: '65%', met: true, why: undefined });
  });

  it('judges the tail at half the ceiling against 50 ms, beside the ceiling at that rate', () => {
    const slow = row({ ...base, kiosk: kiosk(650, 1000, 143) }, 'kiosk load: p99');
    expect(slow).toMatchObject({ ours: '143 ms', met: false, ratio: '2.86×' });
    expect(slow.against).toContain('ceiling at that rate 9 ms');
    expect(row({ ...base, kiosk: kiosk(650, 1000, 42) }, 'kiosk load: p99').met).toBe(true);
  });

  it('fails the day when a single visit is lost, whatever the latencies', () => {
    const day = {
      centers: 14,
      visits: 4200,
      speed: 60,
      simulatedMinutes: 630,
      realSeconds: 630,
      actions: 9000,
      outages: [],
      syncedItems: 40,
      routes: [{ route: 'POST /v1/centers/:centerId/check-ins', requests: 4000, errors: 0, statuses: { 201: 4000 }, p50Ms: 12, p99Ms: 40, maxMs: 70 }],
      freshness: { visits: 2900, notSeen: 0, p50Ms: 300, p99Ms: 700, maxMs: 900 },
      reconciliation: {
        accepted: 4200,
        refused: 0,
        expectedInFeeds: 2900,
        lost: 0,
        wrongPlan: 0,
        inBothFeeds: 0,
        communityInFeeds: 0,
        unknownInFeeds: 0,
        dashboard: { visits: 4200, expectedVisits: 4200, openVisits: 420, expectedOpenVisits: 420, helpBacklog: 0, wifiInProgress: 0 },
        settledAfterSeconds: 2,
        settle: 'agreed',
      },
      schedulerLateP99Ms: 3,
      peakRssMb: { checkin: 150, membership: 120, telehealth: 120, reporting: 170 },
      cpu: { processes: {}, machineBusy: 0.5, machineCores: 2, otherCores: 1, seconds: 630 },
      statements: { checkin: [], membership: [], telehealth: [], reporting: [] },
    } as NetworkDayResult;
    expect(
      summaryRows({ ...base, day })
        .filter((r) => r.scenario.startsWith('day'))
        .map((r) => r.met),
    ).toEqual([true, true, true]);
    const lost = row({ ...base, day: { ...day, reconciliation: { ...day.reconciliation, lost: 1 } } }, 'day in the network: nothing lost');
    expect(lost).toMatchObject({ ours: '1 lost of 2900 member visits', met: false });
    const late = row(
      { ...base, day: { ...day, reconciliation: { ...day.reconciliation, lost: 700, settle: 'limit', settledAfterSeconds: 900 } } },
      'day in the network: nothing lost',
    );
    expect(late).toMatchObject({ ours: '700 of 2900 member visits not yet in a feed', met: false });
    expect(late.why).toContain('loss is neither shown nor ruled out');
    const slowUpload = {
      ...day,
      routes: [
        {
          route: 'PUT /v1/partners/:plan/eligibility',
          requests: 2,
          errors: 0,
          statuses: { 200: 2 },
          p50Ms: 4000,
          p99Ms: 9000,
          maxMs: 9000,
          bulk: '6000–14000 lines a request',
        },
        ...day.routes,
      ],
    };
    const routes = row({ ...base, day: slowUpload }, 'day in the network (');
    expect(routes.met).toBe(false);
    expect(routes.why).toContain('PUT /v1/partners/:plan/eligibility 9000 ms (6000–14000 lines a request)');
    expect(routes.why).toContain('worst interactive route POST /v1/centers/:centerId/check-ins 40 ms');
  });

  it('calls the read side met only when every size is under 50 ms, and shows each size beside its raw aggregation', () => {
    const size = (visits: number, feedP99: number, rawP99: number) => ({
      visits,
      visitsToday: visits / 365,
      feedPage: { service: { samples: 50, p50Ms: feedP99 / 2, p99Ms: feedP99 }, rawAggregation: { samples: 3, p50Ms: rawP99, p99Ms: rawP99 } },
      dashboard: { service: { samples: 50, p50Ms: 10, p99Ms: 20 }, rawAggregation: { samples: 3, p50Ms: 100, p99Ms: 120 } },
      dashboard30Days: { samples: 50, p50Ms: 200, p99Ms: 300 },
      peakRssMb: 140,
      statements: { feedPage: [{ statement: 'find utilization_records', statements: 200, meanMs: 30, share: 0.9 }], dashboard: [] },
    });
    const read: ReadSideResult = { sizes: [size(10_000, 40, 2000), size(100_000, 48, 16_000), size(300_000, 60, 47_000)] };
    const feed = row({ ...base, read }, 'read side: feed page');
    expect(feed).toMatchObject({ ours: '40 ms / 48 ms / 60 ms', met: false });
    expect(feed.scenario).toContain('10k / 100k / 300k');
    expect(feed.against).toBe('raw aggregation 2000 ms / 16 s / 47 s');
    expect(feed.why).toContain('over 50 ms at 300k visits');
    expect(feed.why).toContain('`find utilization_records` 90% (200 × 30 ms)');
    expect(row({ ...base, read }, "read side: today's dashboard").met).toBe(true);
  });

  it('holds every service under 200 MB at its highest peak over the scenarios', () => {
    const memory = row({ ...base, kiosk: { ...kiosk(650, 1000, 30), checkin: { ...kiosk(650, 1000, 30).checkin, peakRssMb: 210 } } }, 'memory');
    expect(memory).toMatchObject({ ours: 'check-in 210 MB', met: false, why: 'over: check-in 210 MB' });
  });
});
