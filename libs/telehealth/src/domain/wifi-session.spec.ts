import { endSession, isIdle, lastActivityOf, minutesSoFar, recordHeartbeat, startSession, timeOutSession, WifiSession } from './wifi-session';

const at = (hhmmss: string) => new Date(`2026-11-28T${hhmmss}Z`);
const TIMEOUT = 600;
const started = (room?: string) =>
  startSession({
    sessionId: '5a0d2c7e-8b1f-4e3a-9c6d-7e8f9a0b1c2d',
    centerId: 'crc-el-monte',
    visitId: '0b6c8a52-3f0e-4d35-9a51-3c1a5b8f2e10',
    room,
    deviceHash: 'f'.repeat(64),
    // 07:30 UTC is 23:30 the day before in Los Angeles.
    at: at('07:30:00'),
  });

describe('startSession', () => {
  it('opens an active session dated in Los Angeles, and announces it without the device', () => {
    const { session, event } = started('Room 2');
    expect(session).toMatchObject({ status: 'ACTIVE', serviceDate: '2026-11-27', room: 'Room 2', deviceHash: 'f'.repeat(64) });
    expect(event).toEqual({
      sessionId: session.sessionId,
      visitId: session.visitId,
      centerId: 'crc-el-monte',
      serviceDate: '2026-11-27',
      room: 'Room 2',
      occurredAt: '2026-11-28T07:30:00.000Z',
      recordedAt: '2026-11-28T07:30:00.000Z',
    });
    expect(JSON.stringify(event)).not.toContain('f'.repeat(64));
  });
});

describe('heartbeats', () => {
  it('move the last sign of life forward, never back', () => {
    const s = recordHeartbeat(started().session, at('07:35:00'));
    expect(lastActivityOf(s)).toEqual(at('07:35:00'));
    expect(recordHeartbeat(s, at('07:34:00')).lastHeartbeatAt).toEqual(at('07:35:00'));
  });

  it('are refused once the session has ended', () => {
    const ended = endSession(started().session, 'CLIENT', at('07:40:00')).session;
    expect(() => recordHeartbeat(ended, at('07:41:00'))).toThrow(expect.objectContaining({ code: 'SESSION.ALREADY_ENDED', kind: 'CONFLICT' }));
  });
});

describe('the time-out decision', () => {
  const withBeat = recordHeartbeat(started().session, at('07:50:00'));

  it.each([
    ['no heartbeat, just under the timeout after the start', started().session, '07:39:59', false],
    ['no heartbeat, exactly the timeout after the start', started().session, '07:40:00', true],
    ['a heartbeat 9 min 59 s ago', withBeat, '07:59:59', false],
    ['a heartbeat 10 min ago', withBeat, '08:00:00', true],
  ])('%s: idle is %s', (_name, session, now, idle) => {
    expect(isIdle(session as WifiSession, at(now as string), TIMEOUT)).toBe(idle);
  });

  it('never calls an ended session idle', () => {
    expect(isIdle(endSession(withBeat, 'STAFF', at('07:55:00')).session, at('12:00:00'), TIMEOUT)).toBe(false);
  });

  it('ends a timed-out session at its last heartbeat, whenever the sweep notices', () => {
    const { session, event } = timeOutSession(withBeat, at('08:13:00'));
    expect(session).toMatchObject({ status: 'ENDED', endedBy: 'TIMEOUT', endedAt: at('07:50:00'), durationMinutes: 20 });
    expect(event).toMatchObject({
      endedBy: 'TIMEOUT',
      startedAt: '2026-11-28T07:30:00.000Z',
      occurredAt: '2026-11-28T07:50:00.000Z',
      recordedAt: '2026-11-28T08:13:00.000Z',
      durationMinutes: 20,
      serviceDate: '2026-11-27',
    });
  });

  it('ends a session that never had a heartbeat at its start, with no minutes', () => {
    expect(timeOutSession(started().session, at('07:45:00')).event).toMatchObject({ occurredAt: '2026-11-28T07:30:00.000Z', durationMinutes: 0 });
  });
});

describe('endSession', () => {
  it('ends now with how it ended and the whole minutes', () => {
    const { session, event } = endSession(started('Room 1').session, 'CLIENT', at('08:12:31'));
    expect(session).toMatchObject({ status: 'ENDED', endedBy: 'CLIENT', endedAt: at('08:12:31'), durationMinutes: 43 });
    expect(event).toMatchObject({ endedBy: 'CLIENT', durationMinutes: 43, occurredAt: '2026-11-28T08:12:31.000Z', room: 'Room 1' });
  });

  it('is refused for an ended session, whoever tries', () => {
    const ended = endSession(started().session, 'CLIENT', at('07:40:00')).session;
    expect(() => endSession(ended, 'STAFF', at('07:41:00'))).toThrow(expect.objectContaining({ code: 'SESSION.ALREADY_ENDED' }));
    expect(() => timeOutSession(ended, at('09:00:00'))).toThrow(expect.objectContaining({ code: 'SESSION.ALREADY_ENDED' }));
  });

  it('never ends before the start when the server clock stepped back', () => {
    expect(endSession(started().session, 'CLIENT', at('07:29:00')).event).toMatchObject({ occurredAt: '2026-11-28T07:30:00.000Z', durationMinutes: 0 });
  });
});

describe('minutesSoFar', () => {
  const s = recordHeartbeat(started().session, at('07:50:00'));

  it('counts an active session up to now', () => {
    expect(minutesSoFar(s, at('07:55:40'), TIMEOUT)).toBe(26);
  });

  it('counts an idle one only up to its last heartbeat, as its time-out will', () => {
    expect(minutesSoFar(s, at('09:00:00'), TIMEOUT)).toBe(20);
  });

  it('counts an ended one as published', () => {
    expect(minutesSoFar(endSession(s, 'CLIENT', at('07:52:00')).session, at('12:00:00'), TIMEOUT)).toBe(22);
  });
});
