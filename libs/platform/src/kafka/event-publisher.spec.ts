import { Kafka, KafkaJSNonRetriableError, KafkaJSProtocolError, Producer } from 'kafkajs';
import { silentLog } from '../logging/log-sink';
import { EventPublisher, producerSessionLost } from './event-publisher';
import { TopicNames } from './topic-names';

/** A broker's answer, built as kafkajs builds it from a produce response (its typings omit this constructor's argument). */
const brokerAnswer = (type: string, code: number, retriable: boolean, message: string) =>
  new KafkaJSProtocolError({ type, code, retriable, message } as unknown as Error);
const outOfOrder = () => brokerAnswer('OUT_OF_ORDER_SEQUENCE_NUMBER', 45, false, 'The broker received an out of order sequence number');
const notLeader = () => brokerAnswer('NOT_LEADER_FOR_PARTITION', 6, true, 'This server is not the leader for that topic-partition');

/** A stand-in for the kafkajs client: each producer it makes answers sends from a script. */
function scriptedKafka(answers: Array<Error | undefined>) {
  const producers: Array<{ sends: number; disconnected: boolean }> = [];
  const kafka = {
    producer: () => {
      const state = { sends: 0, disconnected: false };
      producers.push(state);
      return {
        events: { DISCONNECT: 'producer.disconnect' },
        on: () => () => undefined,
        connect: async () => undefined,
        disconnect: async () => {
          state.disconnected = true;
        },
        sendBatch: async () => {
          state.sends++;
          const answer = answers.shift();
          if (answer) throw answer;
          return [];
        },
      } as unknown as Producer;
    },
  } as unknown as Kafka;
  return { kafka, producers };
}

const message = { topic: 'crc.checkin.visit-checked-in.v1', key: 'v1', value: '{}' };

describe('EventPublisher', () => {
  it('starts a new producer session after the broker answers out of order, and keeps failing sends visible to the caller', async () => {
    const { kafka, producers } = scriptedKafka([outOfOrder(), undefined]);
    const publisher = new EventPublisher(kafka, new TopicNames(''), silentLog);

    await expect(publisher.publish([message])).rejects.toThrow('out of order sequence number');
    await publisher.publish([message]);

    expect(producers).toHaveLength(2);
    expect(producers[0]).toEqual({ sends: 1, disconnected: true });
    expect(producers[1].sends).toBe(1);
    expect(publisher.sessionsRestarted).toBe(1);
  });

  it('keeps its producer through ordinary failures', async () => {
    const { kafka, producers } = scriptedKafka([notLeader(), new KafkaJSNonRetriableError('Connection error: connect ECONNREFUSED'), undefined]);
    const publisher = new EventPublisher(kafka, new TopicNames(''), silentLog);

    await expect(publisher.publish([message])).rejects.toThrow('not the leader');
    await expect(publisher.publish([message])).rejects.toThrow('ECONNREFUSED');
    await publisher.publish([message]);

    expect(producers).toHaveLength(1);
    expect(producers[0].sends).toBe(3);
    expect(publisher.sessionsRestarted).toBe(0);
  });

  it('replaces a lost producer once, however many concurrent sends saw the loss', async () => {
    const { kafka, producers } = scriptedKafka([outOfOrder(), outOfOrder(), undefined]);
    const publisher = new EventPublisher(kafka, new TopicNames(''), silentLog);
    await publisher.connect();

    const results = await Promise.allSettled([publisher.publish([message]), publisher.publish([message])]);

    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(producers).toHaveLength(2);
    await publisher.publish([message]);
    expect(producers[1].sends).toBe(1);
  });
});

describe('producerSessionLost', () => {
  it('recognises the session errors, also as the cause of a wrapping error', () => {
    const wrapped = Object.assign(new Error('retries exhausted'), { cause: outOfOrder() });
    expect(producerSessionLost(outOfOrder())).toBe(true);
    expect(producerSessionLost(wrapped)).toBe(true);
    expect(producerSessionLost(brokerAnswer('UNKNOWN_PRODUCER_ID', 59, false, 'unknown producer'))).toBe(true);
    expect(producerSessionLost(notLeader())).toBe(false);
    expect(producerSessionLost(new Error('boom'))).toBe(false);
    expect(producerSessionLost(undefined)).toBe(false);
  });
});
