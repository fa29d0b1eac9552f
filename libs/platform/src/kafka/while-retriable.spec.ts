import { KafkaJSProtocolError } from 'kafkajs';
import { whileRetriable } from './while-retriable';

const noLeader = () => new KafkaJSProtocolError({ type: 'NOT_LEADER_FOR_PARTITION', code: 6, retriable: true, message: 'not the leader' } as unknown as Error);

describe('whileRetriable', () => {
  it('calls again after retriable errors and returns the first answer', async () => {
    let calls = 0;
    const answer = await whileRetriable(
      async () => {
        if (++calls < 3) throw noLeader();
        return 'offsets';
      },
      { pauseMs: 1 },
    );
    expect(answer).toBe('offsets');
    expect(calls).toBe(3);
  });

  it('gives up after its attempts, with the last error', async () => {
    let calls = 0;
    await expect(
      whileRetriable(
        async () => {
          calls++;
          throw noLeader();
        },
        { attempts: 4, pauseMs: 1 },
      ),
    ).rejects.toThrow('not the leader');
    expect(calls).toBe(4);
  });

  it('does not call again after an error that is not retriable', async () => {
    let calls = 0;
    await expect(
      whileRetriable(
        async () => {
          calls++;
          throw new Error('refused');
        },
        { pauseMs: 1 },
      ),
    ).rejects.toThrow('refused');
    expect(calls).toBe(1);
  });
});
