import { Inject, Injectable } from '@nestjs/common';
import { WIFI_POLICY, WifiPolicy } from '../../domain/wifi-policy';
import { WifiSessionRepositoryPort } from '../../domain/wifi-session.repository.port';
import { SessionEndings } from '../session-endings';

const BATCH = 200;

/** One round of the idle sweep: ends every session past the idle timeout, at its last heartbeat. Returns how many. */
@Injectable()
export class TimeOutIdleSessionsUseCase {
  constructor(
    private readonly sessions: WifiSessionRepositoryPort,
    private readonly endings: SessionEndings,
    @Inject(WIFI_POLICY) private readonly policy: WifiPolicy,
  ) {}

  async execute(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.policy.idleTimeoutSeconds * 1000);
    let ended = 0;
    for (;;) {
      const idle = await this.sessions.findIdle(cutoff, BATCH);
      // Each is decided again under its lock: a heartbeat may have arrived since the query.
      for (const { centerId, sessionId } of idle) if (await this.endings.closeIfIdle(centerId, sessionId)) ended++;
      if (idle.length < BATCH) return ended;
    }
  }
}
