import type { DashboardSummary } from '@crc/contracts';
import { DashboardStreamHub, StreamsAtCapacityError, TooManyStreamsError } from './dashboard-stream.hub';

/** A hub over a counted fake summary, with a change signal the test fires. */
function hubOf(limits = { perCredential: 3, total: 5 }) {
  const computed: string[] = [];
  let version = 0;
  let fire: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  const hub = new DashboardStreamHub(
    async (from, to) => {
      computed.push(`${from ?? ''}/${to ?? ''}`);
      await gate;
      return { version: ++version } as unknown as DashboardSummary;
    },
    (listener) => {
      fire = listener;
      return () => (fire = () => undefined);
    },
    limits,
  );
  return {
    hub,
    computed,
    change: () => fire(),
    hold: () => {
      let open!: () => void;
      gate = new Promise((resolve) => (open = resolve));
      return () => open();
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

async function openStream(hub: DashboardStreamHub, credential: string, from?: string, to?: string, accepts = () => true) {
  const frames: string[] = [];
  const ticket = hub.admit(credential);
  const first = await hub.firstFrame(from, to);
  frames.push(first);
  const stream = hub.attach(ticket, from, to, first, (frame) => (frames.push(frame), accepts()));
  return { frames, stream };
}

describe('DashboardStreamHub', () => {
  it('computes each change once per date range, and sends that one frame to every stream of the range', async () => {
    const { hub, computed, change } = hubOf({ perCredential: 10, total: 10 });
    const streams = [];
    for (let i = 0; i < 4; i++) streams.push(await openStream(hub, `ops:${i}`));
    const other = await openStream(hub, 'ops:x', '2026-11-01', '2026-11-30');
    expect(computed).toEqual(['/', '2026-11-01/2026-11-30']); // the first frame is shared too
    change();
    await settle();
    expect(computed).toEqual(['/', '2026-11-01/2026-11-30', '/', '2026-11-01/2026-11-30']);
    for (const { frames } of streams) expect(frames).toEqual([expect.stringContaining('"version":1'), expect.stringContaining('"version":3')]);
    expect(other.frames.map((f) => f.startsWith('event: summary\ndata: '))).toEqual([true, true]);
  });

  it('coalesces changes that arrive while a summary is being computed into one more computation', async () => {
    const { hub, computed, change, hold } = hubOf();
    const { frames } = await openStream(hub, 'ops:0');
    const release = hold();
    change();
    change();
    change();
    release();
    await settle();
    await settle();
    expect(computed).toHaveLength(3); // the first frame, the change in flight, one more for the rest
    expect(frames).toHaveLength(2);
    expect(frames[1]).toContain('"version":3');
  });

  it('refuses streams past the credential share (429) and past the total (503), and frees places as streams close', async () => {
    const { hub } = hubOf({ perCredential: 2, total: 3 });
    const a1 = await openStream(hub, 'ops:a');
    await openStream(hub, 'ops:a');
    expect(() => hub.admit('ops:a')).toThrow(TooManyStreamsError);
    await openStream(hub, 'ops:b');
    expect(() => hub.admit('ops:c')).toThrow(StreamsAtCapacityError);
    a1.stream.close();
    a1.stream.close(); // closing twice frees one place only
    expect(hub.open).toBe(2);
    await openStream(hub, 'ops:c');
    expect(() => hub.admit('ops:d')).toThrow(StreamsAtCapacityError);
  });

  it('skips a reader whose socket is full, and gives it the latest frame when it drains', async () => {
    const { hub, change } = hubOf();
    let accepting = false;
    const slow = await openStream(hub, 'ops:slow', undefined, undefined, () => accepting);
    change();
    await settle();
    change();
    await settle();
    expect(slow.frames).toHaveLength(2); // the first, then the one that filled the buffer; the next was skipped
    accepting = true;
    slow.stream.drained();
    expect(slow.frames).toHaveLength(3);
    expect(slow.frames[2]).toContain('"version":3');
  });
});
