import { INestApplicationContext } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import {
  AttributeVisitUseCase,
  DashboardTallyRepository,
  RecordVisitEventsUseCase,
  ServiceUseRepository,
  VISIT_EVENT_DEFINITIONS,
  VisitRecordRepository,
} from '@crc/attribution';
import { deadLetterTopic, EventConsumer, EventPublisher, KafkaConnection, whileRetriable } from '@crc/platform';
import { ReportingEnvironment } from '../reporting.environment';

/**
 * What one fetch of the replay brings at most. A replay from the beginning fills every fetch, and
 * kafkajs's default (10 MB) held 24 to 28 MB of fetched events in memory: over 30k events the
 * rebuild peaked at 202 MB resident with it and 192 MB with 2 MB, no slower (measured,
 * docs/benchmarks.md).
 */
const REPLAY_FETCH_MAX_BYTES = 2 * 1024 * 1024;

/** Whose dead-letter topic a replayed event that fails its contract goes to. */
const REBUILD_SERVICE = 'reporting';

export interface RebuildProgress {
  done: number;
  total: number;
}

export interface RebuildResult {
  removed: number;
  events: number;
  /** Visits whose rebuilt attribution differs from what the feeds said: each got a correction. */
  corrections: number;
  seconds: number;
}

/**
 * Drops the visit projection and replays the visit topics from the beginning into it, up to the
 * end the topics had when the rebuild began (the live consumer carries on from there). Replaying
 * is safe while the service runs: applying an event is idempotent and order does not matter.
 * The attribution ledger and the feeds are kept: a visit whose replayed attribution equals what
 * the plans were told gets no new revision; one that differs (say, after a rule fix) gets a correction.
 */
export async function rebuildProjections(app: INestApplicationContext, onProgress: (progress: RebuildProgress) => void): Promise<RebuildResult> {
  const started = Date.now();
  const config = app.get(ReportingEnvironment);
  const connection = app.get(KafkaConnection);
  const log = await app.resolve(PinoLogger);
  const topics = VISIT_EVENT_DEFINITIONS.map((d) => d.topic);

  // The dead-letter topic too: where reporting never ran there is none, and an event that fails its contract would wait for it.
  await connection.ensureTopics([...topics, deadLetterTopic(REBUILD_SERVICE)]);
  const admin = connection.kafka.admin();
  await admin.connect();
  const ends = new Map<string, number>();
  let total = 0;
  try {
    for (const topic of topics) {
      // A topic just created may not have its leader ready yet (whileRetriable).
      for (const p of await whileRetriable(() => admin.fetchTopicOffsets(connection.topics.physical(topic)))) {
        const end = Number(p.high);
        const size = end - Number(p.low);
        if (size > 0) {
          ends.set(`${topic}/${p.partition}`, end);
          total += size;
        }
      }
    }
  } finally {
    await admin.disconnect();
  }

  const removed = await app.get(VisitRecordRepository).removeAll();
  await app.get(ServiceUseRepository).removeAll();
  const tallies = app.get(DashboardTallyRepository);
  await tallies.removeAll();
  // The dashboard's tallies are written once per center and day at the end, not per batch and visit.
  tallies.deferWrites();
  const record = app.get(RecordVisitEventsUseCase);
  let done = 0;
  onProgress({ done, total });
  if (ends.size === 0) {
    await tallies.flushDeferred();
    return { removed, events: 0, corrections: 0, seconds: (Date.now() - started) / 1000 };
  }

  const groupId = `${config.REPORTING_CONSUMER_GROUP}.rebuild-${Date.now()}`;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const consumer = new EventConsumer(connection.kafka, connection.topics, app.get(EventPublisher), log, {
    groupId,
    service: REBUILD_SERVICE,
    definitions: VISIT_EVENT_DEFINITIONS,
    fromBeginning: true,
    fetchMaxBytes: REPLAY_FETCH_MAX_BYTES,
    handle: (events) => record.execute(events, { attribute: false }),
    onChunkDone: ({ topic, partition, offset, messages }) => {
      const key = `${topic}/${partition}`;
      const end = ends.get(key);
      if (end === undefined) return;
      done += messages;
      onProgress({ done: Math.min(done, total), total });
      if (Number(offset) + 1 >= end) ends.delete(key);
      if (ends.size === 0) finish();
    },
  });
  await consumer.start();
  await finished;
  await consumer.stop();

  // Each visit attributed once, from its complete facts: equal to what the plans were told, or a correction.
  const visits = app.get(VisitRecordRepository);
  const attribute = app.get(AttributeVisitUseCase);
  let corrections = 0;
  for await (const page of visits.allInPages(500)) corrections += await attribute.executeMany(page);
  await tallies.flushDeferred();
  const cleanup = connection.kafka.admin();
  await cleanup.connect();
  await cleanup.deleteGroups([connection.topics.physical(groupId)]).catch(() => undefined);
  await cleanup.disconnect();
  return { removed, events: done, corrections, seconds: (Date.now() - started) / 1000 };
}

/** `[██████░░░░]  60%  600/1000 events`, redrawn in place on a terminal, every tenth otherwise. */
export function progressBar(write: (text: string) => void, isTty: boolean): (progress: RebuildProgress) => void {
  let lastTenth = -1;
  return ({ done, total }) => {
    const ratio = total === 0 ? 1 : done / total;
    const filled = Math.round(ratio * 30);
    const line = `[${'█'.repeat(filled)}${'░'.repeat(30 - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%  ${done}/${total} events`;
    if (isTty) write(`\r${line}`);
    else if (Math.floor(ratio * 10) > lastTenth) {
      lastTenth = Math.floor(ratio * 10);
      write(`${line}\n`);
    }
  };
}
