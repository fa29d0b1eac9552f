import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { RunningInfrastructure } from '../../libs/infra/src';
import { devTokens, seedFile } from '../../libs/testing/src';
import { TopicProbe } from '../support/topic-probe';
import { ServiceProcess } from './service-process';
import { SimulatedKiosk } from './simulated-kiosk';

export interface LoadProfile {
  loadSeconds: number;
  kiosks: number;
  perSecond: number;
}

export const PROFILES: Record<'short' | 'full', LoadProfile> = {
  short: { loadSeconds: 12, kiosks: 2, perSecond: 4 },
  full: { loadSeconds: 60, kiosks: 4, perSecond: 10 },
};

export interface ScenarioContext {
  infrastructure: RunningInfrastructure;
  checkin: ServiceProcess;
  reporting: ServiceProcess;
  /** Seconds since the load began. */
  at(seconds: number): Promise<void>;
  /** Starts another reporting instance in the same consumer group. */
  secondReporting(): Promise<ServiceProcess>;
  produceRaw(topic: string, key: string, value: string): Promise<void>;
}

export interface FaultScenario {
  name: string;
  inject(context: ScenarioContext, profile: LoadProfile): Promise<void>;
  /** Messages the scenario expects in reporting's dead-letter topic. */
  poisonKeys?: string[];
}

export interface ScenarioResult {
  scenario: string;
  sent: number;
  accepted: number;
  attributed: number;
  duplicates: number;
  lost: number;
  unexpected: number;
  kioskRetries: number;
  convergeSeconds: number;
  deadLettered: number;
  /** For each accepted visit missing from the feed: how far it got (see whereVisitsWait). */
  whereLost?: string[];
  /** What the kiosks' attempts got, summed: `201`, `503 SERVER.STORE_UNAVAILABLE`, `no answer within 5 s`, ... */
  kioskAnswers: Record<string, number>;
}

/** L.A. Care members on the seeded roster: every visit of theirs belongs in L.A. Care's feed. */
const MEMBERS = ['LAC100001', 'LAC100002', 'LAC100004', 'LAC100005', 'LAC100007'];
const CENTERS = ['crc-el-monte', 'crc-pomona', 'crc-compton', 'crc-lynwood'];

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

export const SCENARIOS: FaultScenario[] = [
  {
    name: 'broker stopped and restarted during load',
    inject: async ({ infrastructure, at }, profile) => {
      await at(profile.loadSeconds * 0.25);
      await infrastructure.kafkaControl!.stop();
      await at(profile.loadSeconds * 0.5);
      await infrastructure.kafkaControl!.start();
    },
  },
  {
    name: 'reporting killed with SIGKILL repeatedly mid-batch',
    inject: async ({ reporting, at }, profile) => {
      for (const fraction of [0.2, 0.45, 0.7]) {
        await at(profile.loadSeconds * fraction);
        await reporting.kill('SIGKILL');
        await sleep(300);
        reporting.start();
      }
    },
  },
  {
    name: 'store stopped and restarted',
    inject: async ({ infrastructure, at }, profile) => {
      await at(profile.loadSeconds * 0.3);
      await infrastructure.storeControl!.stop();
      await at(profile.loadSeconds * 0.5);
      await infrastructure.storeControl!.start();
    },
  },
  {
    name: 'check-in killed between writing visits and publishing them',
    inject: async ({ checkin, at }, profile) => {
      for (const fraction of [0.3, 0.6]) {
        await at(profile.loadSeconds * fraction);
        await checkin.kill('SIGKILL');
        checkin.start();
      }
    },
  },
  {
    name: 'events redelivered after a consumer-group rebalance',
    inject: async ({ reporting, secondReporting, at }, profile) => {
      await at(profile.loadSeconds * 0.25);
      await secondReporting();
      await at(profile.loadSeconds * 0.6);
      // The first instance leaves: its partitions move, uncommitted events are delivered again.
      await reporting.kill('SIGTERM');
      reporting.start();
    },
  },
  {
    name: 'a poison message in the middle of a topic',
    poisonKeys: ['poison-json', 'poison-version'],
    inject: async ({ produceRaw, at }, profile) => {
      await at(profile.loadSeconds * 0.5);
      await produceRaw('crc.checkin.visit-checked-in.v1', 'poison-json', '{"specversion":"1.0","data":');
      await produceRaw(
        'crc.checkin.visit-checked-in.v1',
        'poison-version',
        JSON.stringify({ specversion: '1.0', type: 'crc.checkin.visit-checked-in.v9', data: {} }),
      );
    },
  },
];

/**
 * Runs one scenario: simulated kiosks check visitors in at a steady rate while the fault is
 * injected; then everything the kiosks were told was accepted is reconciled against L.A. Care's feed.
 */
export async function runScenario(infrastructure: RunningInfrastructure, scenario: FaultScenario, profile: LoadProfile): Promise<ScenarioResult> {
  const prefix = `f${randomBytes(4).toString('hex')}`;
  const env = (name: string) => ({
    MONGODB_URI: infrastructure.mongoUri,
    MONGODB_DATABASE: `${prefix}-${name}`,
    KAFKA_BROKERS: infrastructure.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    ...(process.env.E2E_LOG_FILE ? { LOG_FILE: process.env.E2E_LOG_FILE } : {}),
    OUTBOX_SWEEP_SECONDS: '1',
    RATE_LIMIT_PER_MINUTE: '0',
  });
  const checkin = new ServiceProcess('checkin', await freePort(), env('checkin'));
  const reporting = new ServiceProcess('reporting', await freePort(), env('reporting'));
  const extra: ServiceProcess[] = [];
  const kafka = new Kafka({ brokers: infrastructure.kafkaBrokers, clientId: 'fault-runner', logLevel: logLevel.NOTHING });
  checkin.start();
  reporting.start();
  try {
    await Promise.all([checkin.healthy(), reporting.healthy()]);
    const upload = await fetch(`${reporting.url}/v1/partners/LA_CARE/eligibility`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${devTokens.partner('LA_CARE')}`, 'content-type': 'application/x-ndjson' },
      body: readFileSync(seedFile('rosters', 'la-care.ndjson')),
    });
    if (upload.status !== 200) throw new Error(`roster upload failed: ${upload.status}`);

    const kiosks = Array.from(
      { length: profile.kiosks },
      (_, i) => new SimulatedKiosk(() => checkin.url, CENTERS[i % CENTERS.length], devTokens.kiosk(CENTERS[i % CENTERS.length]), profile.perSecond, MEMBERS),
    );
    const started = Date.now();
    const context: ScenarioContext = {
      infrastructure,
      checkin,
      reporting,
      at: (seconds) => sleep(started + seconds * 1000 - Date.now()),
      secondReporting: async () => {
        const second = new ServiceProcess('reporting', await freePort(), env('reporting'));
        extra.push(second);
        second.start();
        await second.listening();
        return second;
      },
      produceRaw: async (topic, key, value) => {
        const producer = kafka.producer();
        await producer.connect();
        await producer.send({ topic: `${prefix}.${topic}`, messages: [{ key, value }] });
        await producer.disconnect();
      },
    };
    kiosks.forEach((k) => k.start());
    await Promise.all([sleep(profile.loadSeconds * 1000), scenario.inject(context, profile)]);
    await Promise.all(kiosks.map((k) => k.stop(90_000)));
    const loadEnded = Date.now();

    // Whatever the scenario left down comes back; then the feed must account for every accepted visit.
    for (const service of [checkin, reporting]) if (!service.running) service.start();
    await Promise.all([checkin.healthy(), reporting.healthy()]);
    const accepted = new Set(kiosks.flatMap((k) => [...k.accepted]));
    let feed: Array<{ visitId: string; recordId: string }> = [];
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      feed = await readFeed(reporting.url);
      if ([...accepted].every((id) => feed.some((r) => r.visitId === id))) break;
      await sleep(500);
    }
    const convergeSeconds = (Date.now() - loadEnded) / 1000;
    const perVisit = new Map<string, number>();
    for (const record of feed) perVisit.set(record.visitId, (perVisit.get(record.visitId) ?? 0) + 1);

    const lostVisits = [...accepted].filter((id) => !perVisit.has(id));
    const whereLost = lostVisits.length > 0 ? await whereVisitsWait(infrastructure.mongoUri, prefix, lostVisits) : [];

    let deadLettered = 0;
    if (scenario.poisonKeys) {
      const probe = await TopicProbe.start(infrastructure.kafkaBrokers, [`${prefix}.crc.reporting.dead-letter.v1`]);
      try {
        const parked = await probe
          .waitFor((all) => scenario.poisonKeys!.every((key) => all.some((m) => m.key === key)), 'the poison messages', 60_000)
          .catch(() => probe.messages);
        deadLettered = parked.filter((m) => scenario.poisonKeys!.includes(m.key ?? '')).length;
      } finally {
        await probe.stop();
      }
    }
    return {
      scenario: scenario.name,
      sent: kiosks.reduce((n, k) => n + k.sent, 0),
      accepted: accepted.size,
      attributed: [...accepted].filter((id) => perVisit.has(id)).length,
      duplicates: [...perVisit.values()].filter((n) => n > 1).length + (feed.length - new Set(feed.map((r) => r.recordId)).size),
      lost: lostVisits.length,
      whereLost,
      unexpected: [...perVisit.keys()].filter((id) => !accepted.has(id)).length,
      kioskRetries: kiosks.reduce((n, k) => n + k.retries, 0),
      kioskAnswers: kiosks.reduce<Record<string, number>>((all, k) => {
        for (const [answer, n] of k.answers) all[answer] = (all[answer] ?? 0) + n;
        return all;
      }, {}),
      convergeSeconds: Math.round(convergeSeconds * 10) / 10,
      deadLettered,
    };
  } finally {
    await Promise.all([checkin, reporting, ...extra].map((s) => s.kill('SIGTERM')));
    await infrastructure.storeControl?.start();
    const client = await MongoClient.connect(infrastructure.mongoUri);
    try {
      for (const name of ['checkin', 'reporting']) await client.db(`${prefix}-${name}`).dropDatabase();
    } finally {
      await client.close();
    }
  }
}

/**
 * How far each visit got on its way to the feed, read from the services' stores: the check-in's
 * visit and whether its event was recorded as published; reporting's visit record, its revision and
 * whether the revision's feed entries were recorded as delivered; its feed records.
 */
async function whereVisitsWait(mongoUri: string, prefix: string, visitIds: string[]): Promise<string[]> {
  const client = await MongoClient.connect(mongoUri);
  try {
    const checkin = client.db(`${prefix}-checkin`);
    const reporting = client.db(`${prefix}-reporting`);
    const eventsPublished = async (db: typeof checkin, collection: string, doc: { outbox?: Array<{ eventId: string }> } | null) => {
      const ids = (doc?.outbox ?? []).map((e) => e.eventId);
      const recorded = await db.collection(`${collection}_published`).countDocuments({ _id: { $in: ids as never[] } });
      return `${ids.length} in outbox, ${recorded} recorded published`;
    };
    const lines: string[] = [];
    for (const visitId of visitIds) {
      const visit = await checkin.collection('visits').findOne({ _id: visitId as never });
      const record = await reporting.collection('visit_records').findOne({ _id: visitId as never });
      const ledger = await reporting.collection('visit_attributions').findOne({ _id: visitId as never });
      const feed = await reporting.collection('utilization_records').countDocuments({ visitId });
      lines.push(
        [
          `visit ${visitId}:`,
          visit
            ? `check-in has it (${await eventsPublished(checkin, 'visits', visit as never)}, since ${(visit as { outboxSince?: Date }).outboxSince?.toISOString()})`
            : 'check-in has no visit',
          record
            ? `reporting's record ${record.checkInSeen ? 'has' : 'lacks'} the check-in, plan ${(record.attribution as { plan?: string } | undefined)?.plan}`
            : 'reporting has no record',
          ledger
            ? `revision ${(ledger.published as { revision?: number } | undefined)?.revision} (${await eventsPublished(reporting, 'visit_attributions', ledger as never)}, since ${(ledger as { outboxSince?: Date }).outboxSince?.toISOString()})`
            : 'no revision',
          `${feed} feed records`,
        ].join(' '),
      );
    }
    return lines;
  } finally {
    await client.close();
  }
}

async function readFeed(baseUrl: string): Promise<Array<{ visitId: string; recordId: string }>> {
  const items: Array<{ visitId: string; recordId: string }> = [];
  let since = '';
  for (;;) {
    const response = await fetch(`${baseUrl}/v1/partners/LA_CARE/utilization?limit=1000${since ? `&since=${since}` : ''}`, {
      headers: { authorization: `Bearer ${devTokens.partner('LA_CARE')}` },
    }).catch(() => undefined);
    if (!response || response.status !== 200) return items;
    const page = (await response.json()) as { items: Array<{ visitId: string; recordId: string }>; nextCursor: string; hasMore: boolean };
    items.push(...page.items);
    if (!page.hasMore) return items;
    since = page.nextCursor;
  }
}

export function formatResults(results: ScenarioResult[]): string {
  const header = '| scenario | sent | accepted | attributed | duplicates | lost | kiosk retries | converged after (s) | dead-lettered |';
  const rule = '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';
  const rows = results.map(
    (r) =>
      `| ${r.scenario} | ${r.sent} | ${r.accepted} | ${r.attributed} | ${r.duplicates} | ${r.lost} | ${r.kioskRetries} | ${r.convergeSeconds} | ${r.deadLettered} |`,
  );
  return [header, rule, ...rows].join('\n');
}
