import { Kafka } from 'kafkajs';
import {
  HelpRequestedV1Event,
  HelpResolvedV1Event,
  HelpStatusChangedV1Event,
  serviceDateOf,
  VISIT_PURPOSES,
  VisitCheckedInV1Event,
  VisitCheckedOutV1Event,
  WifiSessionEndedV1Event,
  WifiSessionStartedV1Event,
} from '@crc/contracts';
import { VISIT_EVENT_DEFINITIONS } from '@crc/attribution';
import { ensureTopics, TopicNames } from '@crc/platform';
import { RosterMember } from './kiosk-traffic.generator';
import { SeededRandom } from '../support/seeded-random';

/** The topics reporting consumes: the replay fills them all. */
export const VISIT_TOPICS = VISIT_EVENT_DEFINITIONS.map((d) => d.topic);

interface Produced {
  topic: string;
  key: string;
  value: string;
}

/** Events per visit on average: a check-in, most check out, some ask for help (3 events) or use Wi-Fi (2). */
const EVENTS_PER_VISIT = 1 + 0.9 + 0.08 * 3 + 0.05 * 2;

function envelope(topic: string, source: string, id: string, subject: string, time: string, data: object): string {
  return JSON.stringify({ specversion: '1.0', id, source, type: topic, time, subject, datacontenttype: 'application/json', data });
}

/** The events of one visit, as the three producing services publish them. */
function visitEvents(random: SeededRandom, centers: string[], roster: RosterMember[], now: number): Produced[] {
  const visitId = random.uuid();
  const centerId = random.pick(centers);
  const checkedIn = new Date(now - (1 + random.int(60 * 24 * 60)) * 60_000);
  const serviceDate = serviceDateOf(checkedIn);
  const at = (minutes: number) => new Date(checkedIn.getTime() + minutes * 60_000).toISOString();
  const member = random.chance(0.7) ? random.pick(roster) : undefined;
  const events: Produced[] = [];
  const push = (topic: string, source: string, subject: string, data: object) =>
    events.push({ topic, key: visitId, value: envelope(topic, source, random.uuid(), subject, at(0), data) });
  push(VisitCheckedInV1Event.topic, '/crc/checkin', visitId, {
    visitId,
    centerId,
    serviceDate,
    occurredAt: at(0),
    recordedAt: at(0),
    visitor: member ? { memberId: member.memberId, memberIdType: 'PLAN_MEMBER_ID', selfReportedPlan: member.plan } : { selfReportedPlan: 'NONE' },
    purposes: [random.pick(VISIT_PURPOSES)],
  });
  const stay = 20 + random.int(100);
  if (random.chance(0.08)) {
    const caseId = random.uuid();
    const common = { caseId, visitId, centerId, serviceDate, caseType: 'BENEFITS_QUESTION' };
    push(HelpRequestedV1Event.topic, '/crc/membership', caseId, { ...common, requestedVia: 'KIOSK', occurredAt: at(2), recordedAt: at(2) });
    push(HelpStatusChangedV1Event.topic, '/crc/membership', caseId, {
      ...common,
      fromStatus: 'OPEN',
      toStatus: 'IN_PROGRESS',
      occurredAt: at(5),
      recordedAt: at(5),
    });
    push(HelpResolvedV1Event.topic, '/crc/membership', caseId, {
      ...common,
      status: 'RESOLVED',
      outcome: 'INFORMATION_PROVIDED',
      openedAt: at(2),
      startedAt: at(5),
      minutesSpent: 10,
      occurredAt: at(15),
      recordedAt: at(15),
    });
  }
  if (random.chance(0.05)) {
    const sessionId = random.uuid();
    const common = { sessionId, visitId, centerId, serviceDate };
    push(WifiSessionStartedV1Event.topic, '/crc/telehealth', sessionId, { ...common, occurredAt: at(3), recordedAt: at(3) });
    push(WifiSessionEndedV1Event.topic, '/crc/telehealth', sessionId, {
      ...common,
      startedAt: at(3),
      occurredAt: at(33),
      recordedAt: at(33),
      endedBy: 'CLIENT',
      durationMinutes: 30,
    });
  }
  if (random.chance(0.9))
    push(VisitCheckedOutV1Event.topic, '/crc/checkin', visitId, {
      visitId,
      centerId,
      serviceDate,
      checkedInAt: at(0),
      occurredAt: at(stay),
      recordedAt: at(stay),
    });
  return events;
}

/**
 * Writes about `count` visit events of the last 60 days into the visit topics under a prefix, as the
 * producing services would have: keyed by visit, CloudEvents envelopes. Returns how many it wrote.
 */
export async function generateVisitEvents(
  kafka: Kafka,
  prefix: string,
  count: number,
  random: SeededRandom,
  centers: string[],
  roster: RosterMember[],
  onProgress: (done: number) => void,
): Promise<number> {
  const names = new TopicNames(prefix);
  await ensureTopics(kafka, names, VISIT_TOPICS, { partitions: 3, replicationFactor: 1 });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const now = Date.now();
  let written = 0;
  try {
    const visits = Math.ceil(count / EVENTS_PER_VISIT);
    let batch: Produced[] = [];
    const flush = async () => {
      const byTopic = new Map<string, Array<{ key: string; value: string }>>();
      for (const e of batch) byTopic.set(e.topic, [...(byTopic.get(e.topic) ?? []), { key: e.key, value: e.value }]);
      await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic: names.physical(topic), messages })) });
      written += batch.length;
      batch = [];
      onProgress(written);
    };
    for (let v = 0; v < visits; v++) {
      batch.push(...visitEvents(random, centers, roster, now));
      if (batch.length >= 5000) await flush();
    }
    if (batch.length > 0) await flush();
  } finally {
    await producer.disconnect();
  }
  return written;
}
