import { Inject, Injectable } from '@nestjs/common';
import { WifiSessionResponse } from '@crc/contracts';
import { IdempotencyStore, IdempotentOutcome, requestFingerprint } from '@crc/platform';
import { WIFI_POLICY, WifiPolicy } from '../../domain/wifi-policy';
import { endSession, isIdle, timeOutSession, WifiSession } from '../../domain/wifi-session';
import { WifiSessionAlreadyEndedError, WifiSessionNotFoundError } from '../../domain/wifi-session.errors';
import { WifiSessionRepositoryPort } from '../../domain/wifi-session.repository.port';
import { SessionEndings } from '../session-endings';
import { wifiSessionResponse } from '../wifi-session-response';
import { EndWifiSessionCommand } from './end-wifi-session.command';

/**
 * Ends a session now and records `wifi-session-ended` with its minutes, once: a second end is a
 * conflict, a retry of the same end (same key) is not a second one. A session already idle past
 * the timeout ended at its last heartbeat; that is recorded instead, and the end refused.
 */
@Injectable()
export class EndWifiSessionUseCase {
  constructor(
    private readonly sessions: WifiSessionRepositoryPort,
    private readonly endings: SessionEndings,
    private readonly idempotency: IdempotencyStore,
    @Inject(WIFI_POLICY) private readonly policy: WifiPolicy,
  ) {}

  async execute(command: EndWifiSessionCommand): Promise<IdempotentOutcome<WifiSessionResponse>> {
    const fingerprint = requestFingerprint({ operation: 'end-wifi-session', centerId: command.centerId, sessionId: command.sessionId });
    return this.idempotency.execute({ scope: command.credentialId, key: command.idempotencyKey, fingerprint }, async (operationId) => {
      const outcome = await this.sessions.modify<{ session: WifiSession; kind: 'ended' | 'timed-out' | 'already-done' }>(
        command.centerId,
        command.sessionId,
        (stored) => {
          if (!stored) throw new WifiSessionNotFoundError();
          if (stored.endOperationId === operationId) return { result: { session: stored.session, kind: 'already-done' } };
          const now = new Date();
          if (isIdle(stored.session, now, this.policy.idleTimeoutSeconds)) {
            const end = timeOutSession(stored.session, now);
            return { result: { session: end.session, kind: 'timed-out' }, write: { session: end.session, events: [this.endings.outboxEntryOf(end)] } };
          }
          const end = endSession(stored.session, command.endedBy, now);
          return {
            result: { session: end.session, kind: 'ended' },
            write: { session: end.session, events: [this.endings.outboxEntryOf(end)], endOperationId: operationId },
          };
        },
      );
      // Also after a resumed attempt: the crash may have come before the end was published or the device freed.
      if (outcome.kind === 'already-done') this.sessions.publishPending(command.sessionId);
      await this.endings.afterEnd(outcome.session);
      if (outcome.kind === 'timed-out') throw new WifiSessionAlreadyEndedError(outcome.session);
      return { status: 200, body: wifiSessionResponse(outcome.session), alreadyDone: outcome.kind === 'already-done' };
    });
  }
}
