import { Inject, Injectable } from '@nestjs/common';
import { WifiSessionResponse } from '@crc/contracts';
import { IdempotencyStore, IdempotentOutcome, requestFingerprint } from '@crc/platform';
import { deviceClaimId, hashDeviceId } from '../../domain/device-id';
import { WIFI_POLICY, WifiPolicy } from '../../domain/wifi-policy';
import { isIdle, recordHeartbeat, timeOutSession, WifiSession } from '../../domain/wifi-session';
import { WifiSessionAlreadyEndedError, WifiSessionNotFoundError } from '../../domain/wifi-session.errors';
import { DeviceClaimRepositoryPort, WifiSessionRepositoryPort } from '../../domain/wifi-session.repository.port';
import { SessionEndings } from '../session-endings';
import { wifiSessionResponse } from '../wifi-session-response';
import { RecordHeartbeatCommand } from './record-heartbeat.command';

/**
 * A sign of life from the kiosk (by session) or the access point (by device) keeps a session
 * open. One that comes after the idle timeout is too late: the session ended at its last
 * heartbeat, so it is closed now (if the sweep has not yet) and the heartbeat refused.
 */
@Injectable()
export class RecordHeartbeatUseCase {
  constructor(
    private readonly sessions: WifiSessionRepositoryPort,
    private readonly claims: DeviceClaimRepositoryPort,
    private readonly endings: SessionEndings,
    private readonly idempotency: IdempotencyStore,
    @Inject(WIFI_POLICY) private readonly policy: WifiPolicy,
  ) {}

  async execute(command: RecordHeartbeatCommand): Promise<IdempotentOutcome<WifiSessionResponse>> {
    const deviceHash = command.deviceId === undefined ? undefined : hashDeviceId(command.deviceId, this.policy.deviceIdHashKey);
    const fingerprint = requestFingerprint({ operation: 'wifi-heartbeat', centerId: command.centerId, sessionId: command.sessionId, deviceHash });
    return this.idempotency.execute({ scope: command.kioskCredentialId, key: command.idempotencyKey, fingerprint }, async () => {
      const sessionId = command.sessionId ?? (await this.sessionOfDevice(command.centerId, deviceHash));
      const outcome = await this.sessions.modify(command.centerId, sessionId, (stored) => {
        if (!stored) throw new WifiSessionNotFoundError();
        const now = new Date();
        if (isIdle(stored.session, now, this.policy.idleTimeoutSeconds)) {
          const end = timeOutSession(stored.session, now);
          return { result: { session: end.session, timedOut: true }, write: { session: end.session, events: [this.endings.outboxEntryOf(end)] } };
        }
        const session: WifiSession = recordHeartbeat(stored.session, now);
        return { result: { session, timedOut: false }, write: { session, events: [] } };
      });
      if (outcome.timedOut) {
        await this.endings.afterEnd(outcome.session);
        throw new WifiSessionAlreadyEndedError(outcome.session);
      }
      return { status: 200, body: wifiSessionResponse(outcome.session) };
    });
  }

  private async sessionOfDevice(centerId: string, deviceHash: string | undefined): Promise<string> {
    const claim = deviceHash ? await this.claims.find(deviceClaimId(centerId, deviceHash)) : undefined;
    if (!claim) throw new WifiSessionNotFoundError('No Wi-Fi session in progress for this device at this center.');
    return claim.sessionId;
  }
}
