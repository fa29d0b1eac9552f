import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CommandStartedEvent, Document, MongoClient, MongoServerError } from 'mongodb';
import { RunningInfrastructure, startInfrastructure } from '../libs/infra/src';
import { DashboardDaySummarySchema } from '../libs/attribution/src/persistence/dashboard-tally.schema';
import { UtilizationRecordSchema } from '../libs/attribution/src/persistence/utilization-record.schema';
import { CoverageSchema } from '../libs/eligibility/src/persistence/coverage.schema';
import { documentKey, documentLocks } from '../libs/platform/src/concurrency/document-locks';
import { detectStore } from '../libs/platform/src/store/store-profile';

/**
 * The PostgreSQL backend of the local store (the default, CRC_STORE_BACKEND=postgresql): real PostgreSQL
 * and FerretDB processes of their own (Kafka is the suite's), driven with the MongoDB driver.
 */
describe('local store on PostgreSQL', () => {
  let dataDir: string;
  let infrastructure: RunningInfrastructure;
  let client: MongoClient;

  beforeAll(async () => {
    // An explicit data dir is kept on stop, so the test can look for processes still using it.
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crc-store-postgresql-'));
    infrastructure = await startPostgresqlStore(dataDir);
    client = await new MongoClient(infrastructure.mongoUri).connect();
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    await infrastructure?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is a local FerretDB on PostgreSQL', () => {
    expect(infrastructure.source.mongo).toBe('local');
    expect(infrastructure.storeBackend).toBe('postgresql');
    expect(processesUsing(dataDir).some((args) => path.basename(args[0]) === 'postgres')).toBe(true);
  });

  it('inserts, reads, updates and deletes documents', async () => {
    const visits = client.db('crc_pg_test').collection<{ _id: string; center: string; services: string[] }>('visits');
    await visits.insertMany([
      { _id: 'v1', center: 'c1', services: [] },
      { _id: 'v2', center: 'c2', services: [] },
    ]);
    await visits.updateOne({ _id: 'v1' }, { $push: { services: 'food' } });
    expect(await visits.findOne({ _id: 'v1' })).toEqual({ _id: 'v1', center: 'c1', services: ['food'] });
    expect(await visits.find({ center: 'c2' }).toArray()).toEqual([{ _id: 'v2', center: 'c2', services: [] }]);
    await visits.deleteOne({ _id: 'v2' });
    expect(await visits.countDocuments()).toBe(1);
  });

  it('enforces unique indexes', async () => {
    const members = client.db('crc_pg_test').collection('members');
    await members.createIndex({ plan: 1, memberId: 1 }, { unique: true });
    await members.insertOne({ plan: 'lacare', memberId: 'm1' });
    const duplicate = await members.insertOne({ plan: 'lacare', memberId: 'm1' }).catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(MongoServerError);
    expect((duplicate as MongoServerError).code).toBe(11000);
    await members.insertOne({ plan: 'blueshield', memberId: 'm1' });
  });

  it('keeps every one of concurrent updates to one document when serialised as the services do', async () => {
    // Unserialised, FerretDB 1.24 loses updates on PostgreSQL too (measured: 20 concurrent `$inc` left 13).
    const counters = client.db('crc_pg_test').collection<{ _id: string; n: number }>('counters');
    await counters.insertOne({ _id: 'c', n: 0 });
    const key = documentKey(counters, 'c');
    await Promise.all(Array.from({ length: 20 }, () => documentLocks.run(key, () => counters.updateOne({ _id: 'c' }, { $inc: { n: 1 } }))));
    expect((await counters.findOne({ _id: 'c' }))?.n).toBe(20);
  });

  it('serves finds by _id and by a declared index field from GIN indexes (EXPLAIN)', async () => {
    const patients = client.db('crc_pg_test').collection<{ _id: string; center: string }>('patients');
    await patients.createIndex({ center: 1 });
    await patients.insertMany(Array.from({ length: 3_000 }, (_, i) => ({ _id: `p${i}`, center: `c${i % 100}` })));
    // The index sync runs every few seconds: wait for it to have seen the new collection.
    const plans = await eventuallyPlans(async () => [
      await explainFind(client, 'crc_pg_test', 'patients', { _id: 'p1234' }),
      await explainFind(client, 'crc_pg_test', 'patients', { center: 'c7' }),
    ]);
    process.stdout.write(`\nPostgreSQL plans through FerretDB's explain:\n${plans.map((plan) => JSON.stringify(plan)).join('\n')}\n`);
    expect(await patients.findOne({ _id: 'p1234' })).toEqual({ _id: 'p1234', center: 'c34' });
    expect(await patients.countDocuments({ center: 'c7' })).toBe(30);
  }, 60_000);

  it("serves the hot reads (a feed page's block, a day's and a month's dashboard summaries) from GIN indexes, with the indexes the schemas declare", async () => {
    const db = client.db('crc_pg_hot');
    for (const [collection, schema] of [
      ['utilization_records', UtilizationRecordSchema],
      ['dashboard_day_summaries', DashboardDaySummarySchema],
    ] as const) {
      for (const [fields, options] of schema.indexes()) await db.collection(collection).createIndex(fields as never, options as never);
    }
    await db.collection('utilization_records').insertMany(
      Array.from({ length: 3_000 }, (_, i) => ({
        _id: `r${i}` as never,
        feedPlan: i % 2 ? 'LA_CARE' : 'BLUE_SHIELD_PROMISE',
        seq: i,
        feedBlock: `${i % 2 ? 'LA_CARE' : 'BLUE_SHIELD_PROMISE'}:${Math.floor(i / 100)}`,
      })),
    );
    await db.collection('dashboard_day_summaries').insertMany(
      Array.from({ length: 3_000 }, (_, i) => {
        const serviceDate = new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
        return { _id: `${serviceDate}|crc-el-monte` as never, centerId: 'crc-el-monte', serviceDate, month: serviceDate.slice(0, 7) };
      }),
    );
    const plans = await eventuallyPlans(async () => [
      await explainFind(client, 'crc_pg_hot', 'utilization_records', { feedBlock: 'LA_CARE:7' }),
      await explainFind(client, 'crc_pg_hot', 'dashboard_day_summaries', { serviceDate: '2021-03-05' }),
      await explainFind(client, 'crc_pg_hot', 'dashboard_day_summaries', { month: '2021-03' }),
    ]);
    process.stdout.write(`\nHot reads' PostgreSQL plans:\n${plans.map((plan) => JSON.stringify(plan)).join('\n')}\n`);
    expect(await db.collection('utilization_records').countDocuments({ feedBlock: 'LA_CARE:7' })).toBe(50);
    expect(await db.collection('dashboard_day_summaries').countDocuments({ serviceDate: '2021-03-05' })).toBe(1);
    expect(await db.collection('dashboard_day_summaries').countDocuments({ month: '2021-03' })).toBe(31);
  }, 60_000);

  it('reads by a list of keys (StoreProfile.findByKeys) with one GIN-served equality per key, finding what `$or` of `$in` finds', async () => {
    const db = client.db('crc_pg_keyed');
    for (const [fields, options] of CoverageSchema.indexes()) await db.collection('eligibility_coverages').createIndex(fields as never, options as never);
    // 3,000 spans; every third member has a CIN, and some member ids are also someone's CIN.
    await db.collection('eligibility_coverages').insertMany(
      Array.from({ length: 3_000 }, (_, i) => ({
        _id: `LA_CARE|M${i}|MEDI_CAL|2026-01-01` as never,
        rosterPlan: 'LA_CARE',
        memberId: i % 50 === 0 ? `C${i + 1}` : `M${i}`,
        ...(i % 3 === 0 ? { cin: `C${i}` } : {}),
        productLine: 'MEDI_CAL',
        coverageStart: '2026-01-01',
        uploadId: 'u1',
      })),
    );
    const wanted = ['M7', 'C9', 'C51', 'M2999', 'C300', 'nobody', 'M7'];
    const profile = await detectStore(infrastructure.mongoUri, { timeoutMs: 10_000 });
    expect(profile.kind).toBe('ferretdb');

    // The statements the read sends, as the driver sends them.
    const monitored = await new MongoClient(infrastructure.mongoUri, { monitorCommands: true }).connect();
    const sent: Document[] = [];
    monitored.on('commandStarted', (event: CommandStartedEvent) => {
      if (event.commandName === 'find') sent.push(event.command.filter as Document);
    });
    try {
      const coverages = monitored.db('crc_pg_keyed').collection('eligibility_coverages');
      const byKeys = await profile.findByKeys(coverages, ['memberId', 'cin'], wanted);
      const perKey = [...sent];
      const byIn = await coverages.find({ $or: [{ memberId: { $in: wanted } }, { cin: { $in: wanted } }] }).toArray();
      const ids = (docs: Document[]) => docs.map((d) => String(d._id)).sort();
      expect(ids(byKeys)).toEqual(ids(byIn));
      expect(ids(byKeys)).toEqual([
        'LA_CARE|M2999|MEDI_CAL|2026-01-01',
        'LA_CARE|M300|MEDI_CAL|2026-01-01', // CIN C300
        'LA_CARE|M50|MEDI_CAL|2026-01-01', // member id C51
        'LA_CARE|M51|MEDI_CAL|2026-01-01', // CIN C51
        'LA_CARE|M7|MEDI_CAL|2026-01-01',
        'LA_CARE|M9|MEDI_CAL|2026-01-01', // CIN C9
      ]);
      // One top-level equality per distinct value and field; no `$in`, no `$or`.
      expect(perKey).toHaveLength(2 * 6);
      for (const filter of perKey) expect(Object.keys(filter).length === 1 && typeof Object.values(filter)[0] === 'string').toBe(true);

      // Each of them is a GIN index lookup in PostgreSQL; the `$in` read is a scan of the table.
      const plans = await eventuallyPlans(async () =>
        Promise.all(perKey.map((filter) => explainFind(client, 'crc_pg_keyed', 'eligibility_coverages', filter))),
      );
      const scan = await explainFind(client, 'crc_pg_keyed', 'eligibility_coverages', { $or: [{ memberId: { $in: wanted } }, { cin: { $in: wanted } }] });
      process.stdout.write(`\nA keyed read's PostgreSQL plan, then the $in read's:\n${JSON.stringify(plans[0])}\n${JSON.stringify(scan)}\n`);
      expect(JSON.stringify(scan)).toMatch(/"Node Type":"Seq Scan"/);
      expect(usesGinIndex(scan)).toBe(false);
    } finally {
      await monitored.close();
    }
  }, 60_000);

  it('reads a small collection once for a projected read of many keys, with what the statements per key find', async () => {
    const db = client.db('crc_pg_one_pass');
    await db.collection('visit_records').createIndex({ memberId: 1 });
    await db
      .collection('visit_records')
      .insertMany(
        Array.from({ length: 1_000 }, (_, i) => ({ _id: `v${i}` as never, memberId: `M${i % 300}`, serviceDate: i % 4 === 0 ? '2025-01-01' : '2026-11-01' })),
      );
    const members = Array.from({ length: 200 }, (_, i) => `M${i * 2}`);
    const read = { filter: { serviceDate: { $gte: '2026-01-01' } }, projection: { _id: 1 } };
    const monitored = await new MongoClient(infrastructure.mongoUri, { monitorCommands: true }).connect();
    const sent: string[] = [];
    monitored.on('commandStarted', (event: CommandStartedEvent) => {
      if (event.commandName === 'find' || event.commandName === 'aggregate') sent.push(event.commandName);
    });
    try {
      const records = monitored.db('crc_pg_one_pass').collection('visit_records');
      // FerretDB answers the collection's size from PostgreSQL: under 8 KB per key here, so one pass.
      const [stats] = await records.aggregate([{ $collStats: { storageStats: {} } }]).toArray();
      expect(stats.storageStats.storageSize).toBeGreaterThan(0);
      expect(stats.storageStats.storageSize).toBeLessThan(200 * 8 * 1024);
      sent.length = 0;
      const once = await (await detectStore(infrastructure.mongoUri, { timeoutMs: 10_000 })).findByKeys(records, 'memberId', members, read);
      expect(sent).toEqual(['aggregate', 'find']);
      const byIn = await records.find({ memberId: { $in: members }, ...read.filter }, { projection: read.projection }).toArray();
      const ids = (docs: Document[]) => docs.map((d) => String(d._id)).sort();
      expect(byIn.length).toBeGreaterThan(200);
      expect(ids(once)).toEqual(ids(byIn));
      expect(once.every((d) => Object.keys(d).join() === '_id')).toBe(true);
    } finally {
      await monitored.close();
    }
  }, 60_000);

  it('restarts FerretDB alone (storeControl) and keeps the data', async () => {
    await infrastructure.storeControl!.stop();
    expect(processesUsing(dataDir).some((args) => path.basename(args[0]) === 'postgres')).toBe(true);
    await infrastructure.storeControl!.start();
    const fresh = await new MongoClient(infrastructure.mongoUri).connect();
    try {
      expect(
        await fresh
          .db('crc_pg_test')
          .collection('visits')
          .findOne({ _id: 'v1' as never }),
      ).toMatchObject({ center: 'c1' });
    } finally {
      await fresh.close();
    }
  });

  it('stops FerretDB and PostgreSQL, leaving nothing running, and starts again on the same data', async () => {
    await client.close();
    await infrastructure.stop();
    expect(processesUsing(dataDir)).toEqual([]);

    // The cluster is made once: a second start finds it, with the documents.
    infrastructure = await startPostgresqlStore(dataDir);
    client = await new MongoClient(infrastructure.mongoUri).connect();
    expect(
      await client
        .db('crc_pg_test')
        .collection('counters')
        .findOne({ _id: 'c' as never }),
    ).toMatchObject({ n: 20 });
    await client.close();
    await infrastructure.stop();
    expect(processesUsing(dataDir)).toEqual([]);
  });
});

async function startPostgresqlStore(dataDir: string): Promise<RunningInfrastructure> {
  const infrastructure = await startInfrastructure({ purpose: 'test', dataDir, storeBackend: 'postgresql', env: { ...process.env, MONGODB_URI: '' } });
  if (infrastructure.source.mongo !== 'local') {
    await infrastructure.stop();
    throw new Error(`the PostgreSQL backend is a local store; got a store from ${infrastructure.source.mongo} (a Docker engine answered)`);
  }
  return infrastructure;
}

/** FerretDB's explain of a find carries PostgreSQL's plan (EXPLAIN (FORMAT JSON)) of the pushed-down query. */
async function explainFind(client: MongoClient, db: string, collection: string, filter: Record<string, unknown>): Promise<unknown> {
  const explained = await client.db(db).command({ explain: { find: collection, filter } });
  return explained.queryPlanner.Plan;
}

function usesGinIndex(plan: unknown): boolean {
  const text = JSON.stringify(plan);
  return /"Node Type":"Bitmap Index Scan"/.test(text) && /"Index Name":"[^"]*_gin"/.test(text);
}

async function eventuallyPlans(explain: () => Promise<unknown[]>, timeoutMs = 20_000): Promise<unknown[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const plans = await explain();
    if (plans.every(usesGinIndex) || Date.now() > deadline) {
      for (const plan of plans) expect(JSON.stringify(plan)).toMatch(/"Index Name":"[^"]*_gin"/);
      return plans;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Command lines of live processes that name a path inside `dir` (PostgreSQL's children rename themselves, but die with it). */
function processesUsing(dir: string): string[][] {
  const found: string[][] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (args.some((arg) => arg.includes(dir))) found.push(args);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
