import { WifiSessionResponse } from '@crc/contracts';
import { WifiSession } from '../domain/wifi-session';

/** What callers see of a session: whether a device was registered, never which one. */
export function wifiSessionResponse(session: WifiSession): WifiSessionResponse {
  return {
    sessionId: session.sessionId,
    centerId: session.centerId,
    visitId: session.visitId,
    status: session.status,
    serviceDate: session.serviceDate,
    ...(session.room ? { room: session.room } : {}),
    deviceRegistered: session.deviceHash !== undefined,
    startedAt: session.startedAt.toISOString(),
    ...(session.lastHeartbeatAt ? { lastHeartbeatAt: session.lastHeartbeatAt.toISOString() } : {}),
    ...(session.endedAt ? { endedAt: session.endedAt.toISOString() } : {}),
    ...(session.endedBy ? { endedBy: session.endedBy } : {}),
    ...(session.durationMinutes !== undefined ? { durationMinutes: session.durationMinutes } : {}),
  };
}
