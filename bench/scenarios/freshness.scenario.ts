import * as http from 'node:http';
import { encodeCursor } from '@crc/attribution';
import { BenchContext, withPeak } from '../support/bench-context';
import { generateRoster, kioskCheckIns, rosterNdjson } from '../generators/kiosk-traffic.generator';
import { runLoad } from '../support/load-generator';
import { percentile } from '../support/stats';

export interface FreshnessPoint {
  offeredPerSecond: number;
  achievedPerSecond: number;
  visits: number;
  /** Visits accepted but not in their plan's feed when the wait ended (2 minutes after the last). */
  missing: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface FreshnessResult {
  points: FreshnessPoint[];
  peakRssMb: { checkin: number; reporting: number };
}

const MODERATE_RATE = 100;
const TARGET_RATE = 500;
/**
 * Each poll is a feed read (a table scan on FerretDB) and a disclosure insert: polling every 25 ms
 * loaded the store the benchmark measures. 100 ms adds at most 0.1 s to a figure.
 */
const POLL_INTERVAL_MS = 100;

/**
 * 2. End-to-end freshness: from the kiosk's 201 to the visit's record in its plan's pull feed
 * (GET /v1/partners/:plan/utilization), with check-in and reporting running as they do in production.
 */
export async function freshnessScenario(ctx: BenchContext, maximum?: number): Promise<FreshnessResult> {
  const rates = [MODERATE_RATE, TARGET_RATE, ...(maximum && Math.round(maximum) > TARGET_RATE ? [Math.round(maximum)] : [])];
  const points: FreshnessPoint[] = [];
  const peak = { checkin: NaN, reporting: NaN };
  const roster = generateRoster(ctx.random('roster'), ctx.settings.rosterMembers);
  for (const rate of rates) {
    const tag = `fresh${rate}`;
    const prefix = `bench-${tag}`;
    ctx.progress.note(`freshness at ${rate}/s: starting services`);
    const reporting = await ctx.startService('reporting', `bench-reporting-${tag}`, prefix);
    const checkin = await ctx.startService('checkin', `bench-checkin-${tag}`, prefix);
    try {
      for (const plan of ['LA_CARE', 'BLUE_SHIELD_PROMISE']) {
        const token = ctx.credentials.partners.find((p) => p.plan === plan)!.token;
        const status = await request(reporting.port, 'PUT', `/v1/partners/${plan}/eligibility`, token, rosterNdjson(roster, plan), 'application/x-ndjson');
        if (status.status !== 200) throw new Error(`roster upload for ${plan} answered ${status.status}: ${status.body.slice(0, 300)}`);
      }
      ctx.progress.note(`freshness at ${rate}/s: ${ctx.settings.durationSeconds} s of check-ins`);
      const acceptedAt = new Map<string, number>();
      const seenAt = new Map<string, number>();
      let polling = true;
      const poller = (async () => {
        const cursors: Record<string, string> = { LA_CARE: encodeCursor(0), BLUE_SHIELD_PROMISE: encodeCursor(0) };
        while (polling) {
          for (const plan of Object.keys(cursors)) {
            const token = ctx.credentials.partners.find((p) => p.plan === plan)!.token;
            for (let more = true; more; ) {
              const page = await request(reporting.port, 'GET', `/v1/partners/${plan}/utilization?limit=1000&since=${cursors[plan]}`, token);
              const now = performance.now();
              const body = JSON.parse(page.body) as { items: Array<{ visitId: string; revision: number }>; nextCursor: string; hasMore: boolean };
              for (const item of body.items) if (!seenAt.has(item.visitId)) seenAt.set(item.visitId, now);
              cursors[plan] = body.nextCursor;
              more = body.hasMore;
            }
          }
          await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
        }
      })();
      const requests = kioskCheckIns(ctx.random(`fresh-${rate}`), ctx.credentials.kiosks, roster);
      const measuredFrom = performance.now() + ctx.settings.warmupSeconds * 1000;
      const load = await withPeak(
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
      polling = false;
      await poller;
      const delays = [...acceptedAt].filter(([id]) => seenAt.has(id)).map(([id, at]) => seenAt.get(id)! - at);
      points.push({
        offeredPerSecond: rate,
        achievedPerSecond: load.result.throughput,
        visits: acceptedAt.size,
        missing: acceptedAt.size - delays.length,
        p50Ms: percentile(delays, 50),
        p99Ms: percentile(delays, 99),
        maxMs: percentile(delays, 100),
      });
      peak.checkin = Math.max(peak.checkin || 0, checkin.service.memory()?.peakMb ?? 0);
      peak.reporting = Math.max(peak.reporting || 0, reporting.service.memory()?.peakMb ?? 0);
    } finally {
      await checkin.service.stop();
      await reporting.service.stop();
    }
    ctx.progress.step(`freshness at ${rate}/s: p99 ${Math.round(points[points.length - 1]?.p99Ms)} ms`);
  }
  return { points, peakRssMb: peak };
}

function request(port: number, method: string, path: string, token: string, body?: string, contentType?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': contentType ?? 'application/json' } : {}) } },
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
