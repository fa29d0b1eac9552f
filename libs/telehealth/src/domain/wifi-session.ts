import { serviceDateOf, wholeMinutesBetween, WifiSessionEndedV1, WifiSessionEndReason, WifiSessionStartedV1, WifiSessionStatus } from '@crc/contracts';
import { WifiSessionAlreadyEndedError } from './wifi-session.errors';

/** Wi-Fi lent to a member for a telehealth appointment, from start to end. */
export interface WifiSession {
  sessionId: string;
  centerId: string;
  visitId: string;
  /** The start's date in America/Los_Angeles; a session past midnight stays on its day. */
  serviceDate: string;
  room?: string;
  /** Keyed hash of the device's MAC address; never the address. */
  deviceHash?: string;
  status: WifiSessionStatus;
  startedAt: Date;
  lastHeartbeatAt?: Date;
  endedAt?: Date;
  endedBy?: WifiSessionEndReason;
  durationMinutes?: number;
}

export interface SessionEnd {
  session: WifiSession;
  event: WifiSessionEndedV1;
}

export function startSession(facts: { sessionId: string; centerId: string; visitId: string; room?: string; deviceHash?: string; at: Date }): {
  session: WifiSession;
  event: WifiSessionStartedV1;
} {
  const session: WifiSession = {
    sessionId: facts.sessionId,
    centerId: facts.centerId,
    visitId: facts.visitId,
    serviceDate: serviceDateOf(facts.at),
    ...(facts.room ? { room: facts.room } : {}),
    ...(facts.deviceHash ? { deviceHash: facts.deviceHash } : {}),
    status: 'ACTIVE',
    startedAt: facts.at,
  };
  const event: WifiSessionStartedV1 = {
    sessionId: session.sessionId,
    visitId: session.visitId,
    centerId: session.centerId,
    serviceDate: session.serviceDate,
    ...(session.room ? { room: session.room } : {}),
    occurredAt: facts.at.toISOString(),
    recordedAt: facts.at.toISOString(),
  };
  return { session, event };
}

/** The last sign of life: the last heartbeat, or the start. */
export function lastActivityOf(session: Pick<WifiSession, 'startedAt' | 'lastHeartbeatAt'>): Date {
  return session.lastHeartbeatAt ?? session.startedAt;
}

/**
 * The time-out rule: an active session without a heartbeat for the idle timeout has ended, at
 * its last sign of life. It holds whether or not the sweep has noticed yet, so every operation
 * on the session decides the same way.
 */
export function isIdle(session: WifiSession, now: Date, idleTimeoutSeconds: number): boolean {
  return session.status === 'ACTIVE' && now.getTime() - lastActivityOf(session).getTime() >= idleTimeoutSeconds * 1000;
}

export function recordHeartbeat(session: WifiSession, at: Date): WifiSession {
  if (session.status !== 'ACTIVE') throw new WifiSessionAlreadyEndedError(session);
  const last = lastActivityOf(session);
  // Heartbeats may cross on the wire: the latest one counts.
  return { ...session, lastHeartbeatAt: at > last ? at : last };
}

/** Ends a session now, by the kiosk (CLIENT) or by staff (STAFF). */
export function endSession(session: WifiSession, endedBy: Exclude<WifiSessionEndReason, 'TIMEOUT'>, at: Date): SessionEnd {
  if (session.status !== 'ACTIVE') throw new WifiSessionAlreadyEndedError(session);
  return ended(session, endedBy, at > session.startedAt ? at : session.startedAt, at);
}

/** Ends an idle session at its last heartbeat (or its start), as the time-out rule says; `recordedAt` is when it was noticed. */
export function timeOutSession(session: WifiSession, recordedAt: Date): SessionEnd {
  if (session.status !== 'ACTIVE') throw new WifiSessionAlreadyEndedError(session);
  return ended(session, 'TIMEOUT', lastActivityOf(session), recordedAt);
}

function ended(session: WifiSession, endedBy: WifiSessionEndReason, endedAt: Date, recordedAt: Date): SessionEnd {
  const durationMinutes = wholeMinutesBetween(session.startedAt, endedAt);
  const closed: WifiSession = { ...session, status: 'ENDED', endedAt, endedBy, durationMinutes };
  return {
    session: closed,
    event: {
      sessionId: session.sessionId,
      visitId: session.visitId,
      centerId: session.centerId,
      serviceDate: session.serviceDate,
      ...(session.room ? { room: session.room } : {}),
      startedAt: session.startedAt.toISOString(),
      occurredAt: endedAt.toISOString(),
      recordedAt: recordedAt.toISOString(),
      endedBy,
      durationMinutes,
    },
  };
}

/**
 * Minutes a session counts for now: its published duration once ended; while in progress, up to
 * now, or up to its last heartbeat once it is idle too long (where the time-out will end it).
 */
export function minutesSoFar(session: WifiSession, now: Date, idleTimeoutSeconds: number): number {
  if (session.status === 'ENDED') return session.durationMinutes ?? 0;
  const until = isIdle(session, now, idleTimeoutSeconds) ? lastActivityOf(session) : now;
  return wholeMinutesBetween(session.startedAt, until);
}
