import { randomBytes } from 'node:crypto';
import { IsString } from 'class-validator';
import { Kafka, logLevel } from 'kafkajs';
import { createEvent, defineEvent } from '@crc/contracts';
import { ConsumedEvent, EventConsumer, EventPublisher, silentLog, TopicNames } from '@crc/platform';
import { eventually } from '@crc/testing';

class NotePayload {
  @IsString()
  noteId!: string;
}

const NoteTaken = defineEvent({ service: 'test', name: 'note-taken', version: 1, payload: NotePayload, partitionKey: (d) => d.noteId });

/**
 * A chunk that takes longer than the consumer's session timeout (10 s): the member must stay in
 * its group while it works. Before, kafkajs heard no heartbeat, dropped the member, and gave the
 * same uncommitted chunk to it again after it rejoined: a backlog on a busy machine was handled
 * over and over and never got past that chunk.
 */
describe('event consumer on the real broker', () => {
  const prefix = `cm${randomBytes(3).toString('hex')}`;
  let kafka: Kafka;
  let publisher: EventPublisher;
  let consumer: EventConsumer | undefined;

  beforeAll(async () => {
    kafka = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'consumer-membership-test', logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: `${prefix}.${NoteTaken.topic}`, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    publisher = new EventPublisher(kafka, new TopicNames(prefix), silentLog);
    await publisher.connect();
  });

  afterAll(async () => {
    await consumer?.stop();
    await publisher?.disconnect();
  });

  it('keeps its membership through a chunk longer than the session timeout, so the chunk is handled once', async () => {
    const notes = ['n1', 'n2', 'n3'];
    await publisher.publish(
      notes.map((noteId) => ({ topic: NoteTaken.topic, key: noteId, value: JSON.stringify(createEvent(NoteTaken, { noteId }, { source: 'test' })) })),
    );
    const deliveries: string[][] = [];
    let finished = 0;
    consumer = new EventConsumer(kafka, new TopicNames(prefix), publisher, silentLog, {
      groupId: 'crc.test.membership',
      service: 'test',
      definitions: [NoteTaken],
      handle: async (events: ConsumedEvent[]) => {
        deliveries.push(events.map((e) => (e.envelope.data as NotePayload).noteId));
        // The first delivery outlasts the 10 s session timeout.
        if (deliveries.length === 1) await new Promise((resolve) => setTimeout(resolve, 14_000));
        finished++;
      },
    });
    await consumer.start();

    await eventually(
      async () => finished,
      (n) => n >= 1,
      { timeoutMs: 40_000, intervalMs: 250, what: 'the first chunk to be handled' },
    );
    // Time for a redelivery to show, had the member been dropped while it worked.
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    expect(deliveries).toEqual([notes]);
  }, 90_000);
});
