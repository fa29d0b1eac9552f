import { delay } from './supervised-process';

export interface ReadinessOptions {
  timeoutMs: number;
  /** Throws when the server has already died, so we stop polling at once. */
  assertAlive?: () => void;
  /** Appended to the timeout error, e.g. the server's log tail. */
  details?: () => string;
}

/** Ready means a real client gets an answer, not just an open port. */
export async function waitForKafka(brokers: string[], options: ReadinessOptions): Promise<void> {
  const { Kafka, logLevel } = await import('kafkajs');
  const kafka = new Kafka({
    clientId: 'crc-infra-readiness',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
  });
  await poll(`Kafka did not answer on ${brokers.join(',')}`, options, async () => {
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.describeCluster();
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  });
}

export async function waitForMongo(uri: string, options: ReadinessOptions): Promise<void> {
  const { MongoClient } = await import('mongodb');
  await poll(`The store did not answer on ${uri}`, options, async () => {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1_000, connectTimeoutMS: 1_000 });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
    } finally {
      await client.close().catch(() => undefined);
    }
  });
}

async function poll(what: string, options: ReadinessOptions, attempt: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    options.assertAlive?.();
    try {
      await attempt();
      return;
    } catch {
      // not up yet
    }
    options.assertAlive?.();
    if (Date.now() > deadline) {
      const details = options.details?.();
      throw new Error(`${what} within ${Math.round(options.timeoutMs / 1000)} s.${details ? `\n${details}` : ''}`);
    }
    await delay(250);
  }
}
