import { Inject, Injectable } from '@nestjs/common';
import { serviceDateOf, WifiCenterViewResponse } from '@crc/contracts';
import { CenterDirectory } from '@crc/platform';
import { WIFI_POLICY, WifiPolicy } from '../../domain/wifi-policy';
import { minutesSoFar } from '../../domain/wifi-session';
import { WifiSessionRepositoryPort } from '../../domain/wifi-session.repository.port';
import { wifiSessionResponse } from '../wifi-session-response';

const MAX_SESSIONS = 5000;

/** Staff's view of a center's Wi-Fi: sessions in progress, and the minutes used today (America/Los_Angeles). */
@Injectable()
export class CenterWifiViewUseCase {
  constructor(
    private readonly centers: CenterDirectory,
    private readonly sessions: WifiSessionRepositoryPort,
    @Inject(WIFI_POLICY) private readonly policy: WifiPolicy,
  ) {}

  async execute(centerId: string, now = new Date()): Promise<WifiCenterViewResponse> {
    this.centers.get(centerId);
    const serviceDate = serviceDateOf(now);
    const [active, today] = await Promise.all([this.sessions.listActive(centerId, MAX_SESSIONS), this.sessions.listOfDay(centerId, serviceDate, MAX_SESSIONS)]);
    const timeout = this.policy.idleTimeoutSeconds;
    return {
      centerId,
      serviceDate,
      asOf: now.toISOString(),
      inProgress: active.map((session) => ({ ...wifiSessionResponse(session), minutesSoFar: minutesSoFar(session, now, timeout) })),
      sessionsToday: today.length,
      minutesUsedToday: today.reduce((sum, session) => sum + minutesSoFar(session, now, timeout), 0),
    };
  }
}
