import { EventEmitter } from 'node:events';
import { HeartbeatWatch, restartServerMonitor, watchServerMonitor } from './store-monitor.watchdog';

/** A stand-in for MongoClient: heartbeat events, and the topology's servers with their monitors. */
function fakeClient() {
  const calls: string[] = [];
  const monitor = { close: () => calls.push('close'), connect: () => calls.push('connect') };
  const client = Object.assign(new EventEmitter(), { topology: { s: { servers: new Map([['127.0.0.1:27017', { monitor }]]) } } });
  return { client, calls };
}

describe('HeartbeatWatch', () => {
  it('reports a heartbeat outstanding past the limit once, and never one that ended', () => {
    const watch = new HeartbeatWatch(15_000);
    watch.started('a:1', 0);
    watch.started('b:1', 0);
    watch.ended('b:1');
    expect(watch.stuck(15_000)).toEqual([]);
    expect(watch.stuck(15_001)).toEqual(['a:1']);
    expect(watch.stuck(60_000)).toEqual([]);
  });
});

describe('restartServerMonitor', () => {
  it("closes and reconnects the server's monitor", () => {
    const { client, calls } = fakeClient();
    expect(restartServerMonitor(client as never, '127.0.0.1:27017')).toBe(true);
    expect(calls).toEqual(['close', 'connect']);
  });

  it('does nothing when the driver does not have the expected shape', () => {
    expect(restartServerMonitor(new EventEmitter() as never, '127.0.0.1:27017')).toBe(false);
    const { client, calls } = fakeClient();
    expect(restartServerMonitor(client as never, '10.0.0.1:27017')).toBe(false);
    expect(calls).toEqual([]);
  });
});

describe('watchServerMonitor', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('restarts the monitor when a polled heartbeat never ends, and leaves ended and awaited ones alone', () => {
    const { client, calls } = fakeClient();
    const warnings: object[] = [];
    const log = { debug() {}, info() {}, warn: (obj: object) => warnings.push(obj), error() {} };
    const stop = watchServerMonitor(client as never, { stuckAfterMs: 1_000, log });
    try {
      client.emit('serverHeartbeatStarted', { connectionId: '127.0.0.1:27017', awaited: false });
      client.emit('serverHeartbeatSucceeded', { connectionId: '127.0.0.1:27017' });
      client.emit('serverHeartbeatStarted', { connectionId: '127.0.0.1:27017', awaited: true });
      jest.advanceTimersByTime(5_000);
      expect(calls).toEqual([]);

      client.emit('serverHeartbeatStarted', { connectionId: '127.0.0.1:27017', awaited: false });
      jest.advanceTimersByTime(1_500);
      expect(calls).toEqual(['close', 'connect']);
      expect(warnings).toEqual([expect.objectContaining({ server: '127.0.0.1:27017', restarted: true })]);
    } finally {
      stop();
    }
  });
});
