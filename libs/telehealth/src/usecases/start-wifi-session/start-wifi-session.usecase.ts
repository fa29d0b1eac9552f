import { Inject, Injectable } from '@nestjs/common';
import { createEvent, WifiSessionResponse, WifiSessionStartedV1Event } from '@crc/contracts';
import { CenterDirectory, IdempotencyKeyReusedError, IdempotencyStore, IdempotentOutcome, outboxEntry, requestFingerprint } from '@crc/platform';
import { EnsureVisitOfCenterUseCase } from '@crc/visit-directory';
import { deviceClaimId, hashDeviceId } from '../../domain/device-id';
import { WIFI_POLICY, WifiPolicy } from '../../domain/wifi-policy';
import { isIdle, startSession } from '../../domain/wifi-session';
import { DeviceBusyError } from '../../domain/wifi-session.errors';
import { DeviceClaimRepositoryPort, WifiSessionRepositoryPort } from '../../domain/wifi-session.repository.port';
import { SessionEndings, TELEHEALTH_EVENT_SOURCE } from '../session-endings';
import { wifiSessionResponse } from '../wifi-session-response';
import { StartWifiSessionCommand } from './start-wifi-session.command';

/** A claim with no session behind it this long after it was taken belongs to a start that crashed. */
const ORPHAN_CLAIM_MS = 60_000;

/**
 * Starts a session and records `wifi-session-started` in the same write. A device first claims
 * its place at the center (an atomic unique insert), so two starts of one device never both
 * succeed, whichever instance or request runs them. A visit known to be of another center is
 * refused (VISIT.NOT_AT_THIS_CENTER).
 */
@Injectable()
export class StartWifiSessionUseCase {
  constructor(
    private readonly centers: CenterDirectory,
    private readonly sessions: WifiSessionRepositoryPort,
    private readonly claims: DeviceClaimRepositoryPort,
    private readonly endings: SessionEndings,
    private readonly idempotency: IdempotencyStore,
    private readonly ensureVisitOfCenter: EnsureVisitOfCenterUseCase,
    @Inject(WIFI_POLICY) private readonly policy: WifiPolicy,
  ) {}

  async execute(command: StartWifiSessionCommand): Promise<IdempotentOutcome<WifiSessionResponse>> {
    this.centers.get(command.centerId);
    const deviceHash = command.deviceId === undefined ? undefined : hashDeviceId(command.deviceId, this.policy.deviceIdHashKey);
    const fingerprint = requestFingerprint({
      operation: 'start-wifi-session',
      centerId: command.centerId,
      visitId: command.visitId,
      room: command.room,
      deviceHash,
    });
    return this.idempotency.execute({ scope: command.kioskCredentialId, key: command.idempotencyKey, fingerprint }, async (sessionId) => {
      const earlier = await this.sessions.findAtCenter(command.centerId, sessionId);
      if (earlier) {
        // An earlier attempt with this key stored the session (and its event).
        if (earlier.requestFingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
        return { status: 201, body: wifiSessionResponse(earlier.session), alreadyDone: true };
      }
      // Before the device is claimed: a refused start holds nothing. An unknown visit may be early: taken.
      await this.ensureVisitOfCenter.execute(command.centerId, command.visitId);
      if (deviceHash) await this.claimDevice(command.centerId, deviceHash, sessionId);

      const at = new Date();
      const { session, event } = startSession({ sessionId, centerId: command.centerId, visitId: command.visitId, room: command.room, deviceHash, at });
      const envelope = createEvent(WifiSessionStartedV1Event, event, { source: TELEHEALTH_EVENT_SOURCE, time: at });
      let written: 'inserted' | 'exists';
      try {
        written = await this.sessions.insert(session, [outboxEntry(WifiSessionStartedV1Event, envelope)], {
          startedBy: command.kioskCredentialId,
          requestFingerprint: fingerprint,
        });
      } catch (error) {
        if (deviceHash) await this.claims.release(deviceClaimId(command.centerId, deviceHash), sessionId).catch(() => undefined);
        throw error;
      }
      if (written === 'exists') {
        const stored = await this.sessions.findAtCenter(command.centerId, sessionId);
        if (!stored || stored.requestFingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
        return { status: 201, body: wifiSessionResponse(stored.session), alreadyDone: true };
      }
      return { status: 201, body: wifiSessionResponse(session) };
    });
  }

  /**
   * Takes the device for this session, or refuses with SESSION.DEVICE_BUSY. A claim left behind
   * (its session ended or timed out, or its start crashed before storing the session) is cleared
   * and the claim tried again.
   */
  private async claimDevice(centerId: string, deviceHash: string, sessionId: string): Promise<void> {
    const claimId = deviceClaimId(centerId, deviceHash);
    for (let attempt = 0; attempt < 3; attempt++) {
      const holder = await this.claims.claim(claimId, sessionId, new Date());
      if (holder.sessionId === sessionId) return;

      const held = await this.sessions.findAtCenter(centerId, holder.sessionId);
      if (held?.session.status === 'ACTIVE') {
        if (!isIdle(held.session, new Date(), this.policy.idleTimeoutSeconds)) throw new DeviceBusyError();
        // Idle too long: it has ended by the time-out rule, the sweep just has not got to it.
        await this.endings.closeIfIdle(centerId, held.session.sessionId);
        continue;
      }
      const orphaned = !held && Date.now() - holder.claimedAt.getTime() > ORPHAN_CLAIM_MS;
      if (!held && !orphaned) throw new DeviceBusyError(); // another start is storing its session right now
      await this.claims.release(claimId, holder.sessionId);
    }
    throw new DeviceBusyError();
  }
}
