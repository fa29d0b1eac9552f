import { Consumer, Kafka, logLevel } from 'kafkajs';
import { UtilizationRecordedV1Events } from '@crc/contracts';

/**
 * Watches the plans' feed topics from the beginning and notes when each visit's first record
 * arrived (`performance.now()`): what freshness is measured against. Disconnect the consumer when done.
 */
export async function watchFeedArrivals(brokers: string[], topicPrefix: string, name: string): Promise<{ seenAt: Map<string, number>; watcher: Consumer }> {
  const seenAt = new Map<string, number>();
  const kafka = new Kafka({ clientId: name, brokers, logLevel: logLevel.NOTHING });
  const watcher = kafka.consumer({ groupId: `${name}-${Date.now()}`, maxWaitTimeInMs: 20 });
  await watcher.connect();
  await watcher.subscribe({ topics: Object.values(UtilizationRecordedV1Events).map((d) => `${topicPrefix}.${d.topic}`), fromBeginning: true });
  await watcher.run({
    eachBatch: async ({ batch }) => {
      const now = performance.now();
      for (const message of batch.messages) {
        const visitId = (JSON.parse(message.value?.toString() ?? '{}') as { data?: { visitId?: string } }).data?.visitId;
        if (visitId && !seenAt.has(visitId)) seenAt.set(visitId, now);
      }
    },
  });
  return { seenAt, watcher };
}
