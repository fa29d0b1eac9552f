import { Inject, Injectable } from '@nestjs/common';
import { createEvent, WifiSessionEndedV1Event } from '@crc/contracts';
import { OutboxEntry, outboxEntry } from '@crc/platform';
import { deviceClaimId } from '../domain/device-id';
import { WIFI_POLICY, WifiPolicy } from '../domain/wifi-policy';
import { isIdle, SessionEnd, timeOutSession, WifiSession } from '../domain/wifi-session';
import { DeviceClaimRepositoryPort, WifiSessionRepositoryPort } from '../domain/wifi-session.repository.port';

export const TELEHEALTH_EVENT_SOURCE = '/crc/telehealth';

/** How every way of ending a session (kiosk, staff, time-out) stores its event and frees the device alike. */
@Injectable()
export class SessionEndings {
  constructor(
    private readonly sessions: WifiSessionRepositoryPort,
    private readonly claims: DeviceClaimRepositoryPort,
    @Inject(WIFI_POLICY) private readonly policy: WifiPolicy,
  ) {}

  /** The `wifi-session-ended` event of an end, ready for the session's outbox. */
  outboxEntryOf(end: SessionEnd): OutboxEntry {
    const envelope = createEvent(WifiSessionEndedV1Event, end.event, { source: TELEHEALTH_EVENT_SOURCE, time: new Date(end.event.recordedAt) });
    return outboxEntry(WifiSessionEndedV1Event, envelope);
  }

  /**
   * After an end is stored (its event on its way): free the device for its next session. Ending first and
   * freeing second means a crash in between leaves a claim whose session has ended, which the
   * next start of that device recognises and clears; never two open sessions of one device.
   */
  async afterEnd(session: WifiSession): Promise<void> {
    if (session.deviceHash) await this.claims.release(deviceClaimId(session.centerId, session.deviceHash), session.sessionId);
  }

  /** Applies the time-out rule to one session; returns it when this call ended it. */
  async closeIfIdle(centerId: string, sessionId: string): Promise<WifiSession | undefined> {
    const closed = await this.sessions.modify(centerId, sessionId, (stored) => {
      const now = new Date();
      if (!stored || !isIdle(stored.session, now, this.policy.idleTimeoutSeconds)) return { result: undefined };
      const end = timeOutSession(stored.session, now);
      return { result: end.session, write: { session: end.session, events: [this.outboxEntryOf(end)] } };
    });
    if (closed) await this.afterEnd(closed);
    return closed;
  }
}
