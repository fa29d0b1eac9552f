import * as http from 'node:http';
import { encodeCursor } from '@crc/attribution';
import { BenchContext, withPeak } from '../support/bench-context';
import { generateRoster, kioskCheckIns, rosterNdjson } from '../generators/kiosk-traffic.generator';
import { watchFeedArrivals } from '../support/feed-arrivals';
import { runLoad } from '../support/load-generator';
import { CpuWindow, measureCpu } from '../support/process-cpu';
import { readStatementProfile, STATEMENT_PROFILE_FLUSH_MS, StatementShare, statementsBetween } from '../support/statements';
import { percentile } from '../support/stats';

export interface FreshnessPoint {
  offeredPerSecond: number;
  achievedPerSecond: number;
  visits: number;
  /** Visits accepted but not in their plan's pull feed, or not seen on its topic, when the wait ended (2 minutes after the last). */
  missing: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** What this rate is: the moderate rate, or the check-in service's maximum (measured by the kiosk load of the same run, or given). */
  role: 'moderate' | 'maximum';
  /** Cores busy per process from the first check-in until the last record reached its feed (or the wait ended). */
  cpu: CpuWindow;
  /** Reporting's store time by statement from the first check-in on (the roster uploads before it left out). */
  reportingStatements: StatementShare[];
  /** From the roster uploads' answers until their re-attribution was done (before the load began). */
  rosterReattributionMs: number;
}

export interface FreshnessResult {
  points: FreshnessPoint[];
  /** Where the maximum's rate came from. */
  maximumFrom: 'kiosk load of this run' | '--max-rate' | 'default (kiosk load not run)';
  peakRssMb: { checkin: number; reporting: number };
}

const MODERATE_RATE = 100;
/** The rate offered as "the maximum" when the kiosk load did not run and no --max-rate was given. */
const DEFAULT_MAXIMUM = 500;
/**
 * 2. End-to-end freshness: from the kiosk's 201 to the visit's record in its plan's feed, with
 * check-in and reporting running as they do in production.
 *
 * The moment a record is in the feed is taken from the plan's Kafka topic: reporting appends a
 * record to the pull feed and only then publishes it on the topic, so seeing it there means a
 * partner's next pull has it. Polling the pull feed instead (every 25 ms, as this scenario first
 * did) made the benchmark a load of its own: each poll reads the feed table (a scan on FerretDB)
 * and records a disclosure. When the wait ends, every accepted visit is looked up once in the pull
 * feed too; one that is not there counts as missing.
 */
export async function freshnessScenario(ctx: BenchContext, maximum?: number): Promise<FreshnessResult> {
  const maximumFrom: FreshnessResult['maximumFrom'] = maximum ? 'kiosk load of this run' : ctx.settings.maxRate ? '--max-rate' : 'default (kiosk load not run)';
  const rates: Array<[number, FreshnessPoint['role']]> = [
    [MODERATE_RATE, 'moderate'],
    [Math.max(1, Math.round(maximum ?? ctx.settings.maxRate ?? DEFAULT_MAXIMUM)), 'maximum'],
  ];
  const points: FreshnessPoint[] = [];
  const peak = { checkin: NaN, reporting: NaN };
  const roster = generateRoster(ctx.random('roster'), ctx.settings.rosterMembers);
  for (const [rate, role] of rates) {
    const tag = `fresh${role}${rate}`;
    const prefix = `bench-${tag}`;
    ctx.progress.note(`freshness at ${rate}/s: starting services`);
    const reporting = await ctx.startService('reporting', `bench-reporting-${tag}`, prefix);
    let profileBeforeLoad: ReturnType<typeof readStatementProfile> = [];
    let reattributionMs = NaN;
    const checkin = await ctx.startService('checkin', `bench-checkin-${tag}`, prefix);
    try {
      const uploadIds: string[] = [];
      for (const plan of ['LA_CARE', 'BLUE_SHIELD_PROMISE']) {
        const token = ctx.credentials.partners.find((p) => p.plan === plan)!.token;
        const status = await request(reporting.port, 'PUT', `/v1/partners/${plan}/eligibility`, token, rosterNdjson(roster, plan), 'application/x-ndjson');
        if (status.status !== 200) throw new Error(`roster upload for ${plan} answered ${status.status}: ${status.body.slice(0, 300)}`);
        uploadIds.push((JSON.parse(status.body) as { uploadId: string }).uploadId);
      }
      // The uploads' re-attribution runs after their answer; the load starts once it is done, so
      // that this measures the steady state (the day measures uploads amid check-ins).
      const reattributionStarted = performance.now();
      await waitForReattribution(ctx, reporting.port, uploadIds);
      reattributionMs = performance.now() - reattributionStarted;
      // Reporting's profile once the uploads are in it: the load's statements are what comes after.
      await new Promise((resolve) => setTimeout(resolve, STATEMENT_PROFILE_FLUSH_MS));
      profileBeforeLoad = readStatementProfile(reporting.statementsFile);
      ctx.progress.note(`freshness at ${rate}/s: ${ctx.settings.durationSeconds} s of check-ins`);
      const acceptedAt = new Map<string, number>();
      const { seenAt, watcher } = await watchFeedArrivals(ctx.kafkaBrokers, prefix, `bench-${tag}`);
      const requests = kioskCheckIns(ctx.random(`fresh-${rate}`), ctx.credentials.kiosks, roster);
      const measuredFrom = performance.now() + ctx.settings.warmupSeconds * 1000;
      const { result: load, cpu } = await measureCpu(
        {
          checkin: () => [checkin.service.pid],
          reporting: () => [reporting.service.pid],
          store: () => ctx.storePids(),
          broker: () => (ctx.brokerPid ? [ctx.brokerPid] : []),
        },
        async () => {
          const offered = await withPeak(
            () => checkin.service.memory()?.peakMb,
            () =>
              runLoad({
                host: '127.0.0.1',
                port: checkin.port,
                request: requests,
                durationMs: ctx.settings.durationSeconds * 1000,
                warmupMs: ctx.settings.warmupSeconds * 1000,
                ratePerSecond: rate,
                connections: 256,
                onResponse: (_i, status, body, at) => {
                  if (status === 201 && at >= measuredFrom) acceptedAt.set((JSON.parse(body) as { visitId: string }).visitId, at);
                },
              }),
          );
          ctx.progress.note(`freshness at ${rate}/s: waiting for the feeds`);
          const deadline = performance.now() + 120_000;
          while ([...acceptedAt.keys()].some((id) => !seenAt.has(id)) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
          return offered;
        },
      );
      await watcher.disconnect();
      const inPullFeed = await pullFeedVisits(ctx, reporting.port);
      const delays = [...acceptedAt].filter(([id]) => seenAt.has(id) && inPullFeed.has(id)).map(([id, at]) => seenAt.get(id)! - at);
      points.push({
        offeredPerSecond: rate,
        achievedPerSecond: load.result.throughput,
        visits: acceptedAt.size,
        missing: acceptedAt.size - delays.length,
        p50Ms: percentile(delays, 50),
        p99Ms: percentile(delays, 99),
        maxMs: percentile(delays, 100),
        role,
        cpu,
        reportingStatements: [],
        rosterReattributionMs: reattributionMs,
      });
      peak.checkin = Math.max(peak.checkin || 0, checkin.service.memory()?.peakMb ?? 0);
      peak.reporting = Math.max(peak.reporting || 0, reporting.service.memory()?.peakMb ?? 0);
    } finally {
      await checkin.service.stop();
      await reporting.service.stop();
    }
    // Written by the process as it stops: read after.
    const point = points[points.length - 1];
    if (point) point.reportingStatements = statementsBetween(profileBeforeLoad, readStatementProfile(reporting.statementsFile), 5);
    ctx.progress.step(`freshness at ${rate}/s: p99 ${Math.round(points[points.length - 1]?.p99Ms)} ms`);
  }
  return { points, maximumFrom, peakRssMb: peak };
}

/** Waits until operations' audit of roster uploads shows each of these re-attributed (DONE). */
async function waitForReattribution(ctx: BenchContext, port: number, uploadIds: string[]): Promise<void> {
  const deadline = performance.now() + 15 * 60_000;
  for (;;) {
    const answer = await request(port, 'GET', '/v1/operations/roster-uploads?limit=100', ctx.credentials.ops[0].token);
    if (answer.status !== 200) throw new Error(`the roster upload audit answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    const done = new Set(
      (JSON.parse(answer.body) as { items: Array<{ uploadId: string; status: string }> }).items.filter((i) => i.status === 'DONE').map((i) => i.uploadId),
    );
    if (uploadIds.every((id) => done.has(id))) return;
    if (performance.now() > deadline) throw new Error(`roster uploads ${uploadIds.join(', ')} were not re-attributed within 15 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Every visit id in both plans' pull feeds, read once, page by page. */
async function pullFeedVisits(ctx: BenchContext, port: number): Promise<Set<string>> {
  const visits = new Set<string>();
  for (const plan of ['LA_CARE', 'BLUE_SHIELD_PROMISE']) {
    const token = ctx.credentials.partners.find((p) => p.plan === plan)!.token;
    for (let cursor = encodeCursor(0), more = true; more;) {
      const page = await request(port, 'GET', `/v1/partners/${plan}/utilization?limit=1000&since=${cursor}`, token);
      if (page.status !== 200) throw new Error(`${plan}'s feed answered ${page.status}: ${page.body.slice(0, 300)}`);
      const body = JSON.parse(page.body) as { items: Array<{ visitId: string }>; nextCursor: string; hasMore: boolean };
      for (const item of body.items) visits.add(item.visitId);
      cursor = body.nextCursor;
      more = body.hasMore;
    }
  }
  return visits;
}

function request(port: number, method: string, path: string, token: string, body?: string, contentType?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': contentType ?? 'application/json' } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
