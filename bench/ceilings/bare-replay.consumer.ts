import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';

/**
 * The ceiling of the replay: a bare kafkajs consumer over the same topics, `eachBatch`, one
 * unordered `bulkWrite` of upserts (by message key) per batch. No validation, no idempotency, no
 * attribution: what the broker, the client and the store allow at best. Prints a JSON line and exits
 * once every partition reached the end it had at the start.
 */
async function main(): Promise<void> {
  const topics = process.env.TOPICS!.split(',');
  const kafka = new Kafka({ clientId: 'bare-replay', brokers: process.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
  const client = await MongoClient.connect(process.env.MONGODB_URI!, { retryWrites: false });
  const collection = client.db(process.env.MONGODB_DATABASE!).collection<{ _id: string }>('visits');

  const admin = kafka.admin();
  await admin.connect();
  const remaining = new Map<string, number>();
  let total = 0;
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      const size = Number(p.high) - Number(p.low);
      if (size > 0) remaining.set(`${topic}/${p.partition}`, Number(p.high));
      total += size;
    }
  }
  await admin.disconnect();

  const started = Date.now();
  let done = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const consumer = kafka.consumer({ groupId: `bare-replay-${Date.now()}`, maxWaitTimeInMs: 250 });
  // A crash kafkajs does not restart from ends the measurement, rather than waiting forever.
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart) return;
    process.stderr.write(`bare replay consumer crashed: ${String(payload.error)}\n`);
    process.exit(1);
  });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      const field = batch.topic.split('.').slice(-2, -1)[0];
      const writes = batch.messages.map((m) => ({
        updateOne: { filter: { _id: m.key!.toString() }, update: { $set: { [field]: JSON.parse(m.value!.toString()) } }, upsert: true },
      }));
      // A busy store (FerretDB's SQLite answers "database is locked") is waited for, as any consumer would.
      for (let attempt = 1; ; attempt++) {
        try {
          // A statement that never answers is abandoned and sent again (upserts are idempotent).
          await Promise.race([
            // Fifty at a time: FerretDB 1.24 never answers a bulk write updating about a hundred existing documents.
            (async () => {
              for (let i = 0; i < writes.length; i += 50) await collection.bulkWrite(writes.slice(i, i + 50), { ordered: false });
            })(),
            new Promise((_, reject) => setTimeout(() => reject(new Error('bulkWrite did not answer in 60 s')), 60_000).unref()),
          ]);
          break;
        } catch (error) {
          process.stderr.write(`${batch.topic}/${batch.partition}: attempt ${attempt} failed: ${String(error)}\n`);
          if (attempt === 10) throw error;
          await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
        }
      }
      const last = batch.messages[batch.messages.length - 1];
      resolveOffset(last.offset);
      await heartbeat();
      done += batch.messages.length;
      process.stderr.write(`${batch.topic}/${batch.partition}: ${batch.messages.length} written, ${done}/${total}\n`);
      const key = `${batch.topic}/${batch.partition}`;
      if (Number(last.offset) + 1 >= (remaining.get(key) ?? 0)) remaining.delete(key);
      // Every partition at its end, or every message there was at the start written: done.
      if (remaining.size === 0 || done >= total) finish();
    },
  });
  if (total > 0) await finished;
  const seconds = (Date.now() - started) / 1000;
  await consumer.disconnect();
  await client.close();
  process.stdout.write(`${JSON.stringify({ events: done, seconds })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bare replay failed: ${String(error)}\n`);
  process.exit(1);
});
