import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { WIFI_POLICY, WifiPolicy } from '../../domain/wifi-policy';
import { TimeOutIdleSessionsUseCase } from './time-out-idle-sessions.usecase';

/**
 * Runs the idle time-out periodically (FerretDB has no TTL indexes, and a TTL would not publish
 * the event anyway). Rounds never overlap; shutdown waits for the one in progress.
 */
@Injectable()
export class IdleSessionSweep implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;

  constructor(
    private readonly timeOutIdleSessions: TimeOutIdleSessionsUseCase,
    @Inject(WIFI_POLICY) private readonly policy: WifiPolicy,
    private readonly log: PinoLogger,
  ) {
    log.setContext('IdleSessionSweep');
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.round) return;
      this.round = this.timeOutIdleSessions
        .execute()
        .then(
          (ended) => {
            if (ended > 0) this.log.info({ ended }, 'idle Wi-Fi sessions timed out');
          },
          (error: unknown) => this.log.warn({ err: error }, 'idle session sweep failed; will retry'),
        )
        .finally(() => {
          this.round = undefined;
        });
    }, this.policy.sweepIntervalSeconds * 1000);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.round;
  }
}
