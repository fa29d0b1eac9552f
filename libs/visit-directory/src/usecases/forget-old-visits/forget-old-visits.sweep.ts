import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { oldestServiceDateKept } from '../../domain/visit-center';
import { KnownVisitRepository } from '../../persistence/known-visit.repository';
import { VISIT_DIRECTORY_OPTIONS, VisitDirectoryOptions } from '../../visit-directory.options';

/**
 * Forgets visits past the retention window, periodically: every read of the directory costs in
 * proportion to its size on FerretDB, and an old visit is not named by new help cases or sessions
 * (should one be, it is accepted as unknown, and reporting still checks its center).
 */
@Injectable()
export class ForgetOldVisitsSweep implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly visits: KnownVisitRepository,
    @Inject(VISIT_DIRECTORY_OPTIONS) private readonly options: VisitDirectoryOptions,
    private readonly log: PinoLogger,
  ) {
    log.setContext('ForgetOldVisitsSweep');
  }

  /** Returns how many visits were forgotten. */
  sweep(now = new Date()): Promise<number> {
    return this.visits.forgetBefore(oldestServiceDateKept(this.options.retentionDays, now));
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweep().then(
        (forgotten) => forgotten > 0 && this.log.info({ forgotten }, 'visits past the retention window forgotten'),
        (error: unknown) => this.log.warn({ err: error }, 'known-visits sweep failed; will retry'),
      );
    }, this.options.sweepIntervalSeconds * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }
}
