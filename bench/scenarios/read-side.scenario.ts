import * as http from 'node:http';
import { MongoClient } from 'mongodb';
import { encodeCursor } from '@crc/attribution';
import { BenchContext } from '../support/bench-context';
import { generateRoster } from '../generators/kiosk-traffic.generator';
import { generateYearOfVisits } from '../generators/year-of-visits.generator';
import { readStatementProfile, STATEMENT_PROFILE_FLUSH_MS, StatementShare, statementsBetween } from '../support/statements';
import { percentile } from '../support/stats';

export interface ReadLatency {
  samples: number;
  p50Ms: number;
  p99Ms: number;
}

export interface ReadSideSize {
  visits: number;
  /** Visits on the day the dashboard shows (today). */
  visitsToday: number;
  feedPage: { service: ReadLatency; rawAggregation: ReadLatency };
  dashboard: { service: ReadLatency; rawAggregation: ReadLatency };
  /** The dashboard over the last 30 days (its cost follows the days shown). */
  dashboard30Days: ReadLatency;
  peakRssMb: number;
  /** Reporting's store time by statement while it answered the feed pages, and today's dashboard. */
  statements: { feedPage: StatementShare[]; dashboard: StatementShare[] };
}

export interface ReadSideResult {
  /** One per size, smallest first. */
  sizes: ReadSideSize[];
}

/** Each read is repeated up to this many times, or for this long, whichever ends first (at least 3). */
const MAX_SAMPLES = 200;
const MAX_SECONDS = 30;

/**
 * 4. Read side: a page of a plan's feed and today's dashboard summary over a year of visits, through
 * the reporting service, against the same answers computed by aggregation over the raw visit records,
 * at each size of `--read-visits` (a database of its own each): flat means the same at every size.
 */
export async function readSideScenario(ctx: BenchContext): Promise<ReadSideResult> {
  const sizes: ReadSideSize[] = [];
  for (const visits of ctx.settings.readSizes) sizes.push(await readSideAt(ctx, visits));
  return { sizes };
}

async function readSideAt(ctx: BenchContext, size: number): Promise<ReadSideSize> {
  const database = `bench-reporting-year-${size}`;
  const label = (what: string) => `read side at ${size} visits: ${what}`;
  // The generator writes the dashboard's visitor pseudonyms as reporting would: with its key.
  const pseudonymKey = ctx.random('pseudonym-key').uuid() + ctx.random('pseudonym-key-2').uuid();
  const { service, port, statementsFile } = await ctx.startService('reporting', database, `bench-year-${size}`, { FHIR_PSEUDONYM_KEY: pseudonymKey });
  let result: ReadSideSize;
  try {
    const roster = generateRoster(ctx.random('roster'), ctx.settings.rosterMembers);
    const year = await generateYearOfVisits(
      ctx.mongoUri,
      database,
      size,
      ctx.random('year'),
      ctx.centers,
      roster,
      (done) => ctx.progress.note(label(`generating a year of visits ${done}/${size}`)),
      pseudonymKey,
    );
    ctx.progress.step(label(`${year.visits} visits stored`));
    const partner = ctx.credentials.partners.find((p) => p.plan === 'LA_CARE')!.token;
    const ops = ctx.credentials.ops[0].token;
    const random = ctx.random('read-positions');
    const lastSeq = year.feedRecords.LA_CARE;

    const client = await MongoClient.connect(ctx.mongoUri, { retryWrites: false });
    const visits = client.db(database).collection('visit_records');
    try {
      // The profile's snapshots around each phase of the service's reads: where its store time went in that phase.
      const snapshot = async () => {
        await new Promise((resolve) => setTimeout(resolve, STATEMENT_PROFILE_FLUSH_MS));
        return readStatementProfile(statementsFile);
      };
      ctx.progress.note(label('feed pages'));
      const beforeFeed = await snapshot();
      const feedService = await sample(() =>
        get(port, `/v1/partners/LA_CARE/utilization?limit=100&since=${encodeCursor(random.int(Math.max(1, lastSeq - 100)))}`, partner),
      );
      const feedStatements = statementsBetween(beforeFeed, await snapshot(), 5);
      const feedRaw = await sample(() =>
        visits
          .aggregate([
            { $match: { 'attribution.plan': 'LA_CARE' } },
            { $sort: { checkedInAt: 1 } },
            { $skip: random.int(Math.max(1, lastSeq - 100)) },
            { $limit: 100 },
          ])
          .toArray(),
      );
      ctx.progress.note(label('dashboard'));
      const beforeDashboard = await snapshot();
      const dashboardService = await sample(() => get(port, '/v1/operations/dashboard', ops));
      const dashboardStatements = statementsBetween(beforeDashboard, await snapshot(), 5);
      const dashboardRaw = await sample(() =>
        visits
          .aggregate([
            { $match: { serviceDate: year.today, checkInSeen: true } },
            // Visits per center and plan (FerretDB 1.24 has no $cond, so open visits are not counted here).
            { $group: { _id: { centerId: '$centerId', plan: '$attribution.plan' }, visits: { $sum: 1 } } },
          ])
          .toArray(),
      );
      const monthAgo = new Date(Date.parse(`${year.today}T12:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
      const dashboard30Days = await sample(() => get(port, `/v1/operations/dashboard?from=${monthAgo}&to=${year.today}`, ops));
      ctx.progress.step(label('measured'));
      result = {
        visits: year.visits,
        visitsToday: await visits.countDocuments({ serviceDate: year.today }),
        feedPage: { service: feedService, rawAggregation: feedRaw },
        dashboard: { service: dashboardService, rawAggregation: dashboardRaw },
        dashboard30Days,
        peakRssMb: service.memory()?.peakMb ?? NaN,
        statements: { feedPage: feedStatements, dashboard: dashboardStatements },
      };
    } finally {
      await client.close();
    }
  } finally {
    await service.stop();
  }
  return result;
}

async function sample(read: () => Promise<unknown>): Promise<ReadLatency> {
  const latencies: number[] = [];
  const deadline = performance.now() + MAX_SECONDS * 1000;
  while (latencies.length < 3 || (latencies.length < MAX_SAMPLES && performance.now() < deadline)) {
    const started = performance.now();
    await read();
    latencies.push(performance.now() - started);
  }
  return { samples: latencies.length, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

function get(port: number, path: string, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`GET ${path} answered ${res.statusCode}`))));
      })
      .on('error', reject);
  });
}
