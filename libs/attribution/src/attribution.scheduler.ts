import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { UtilizationFeedRepository } from './persistence/utilization-feed.repository';
import { BackfillDashboardTalliesUseCase } from './usecases/backfill-dashboard-tallies/backfill-dashboard-tallies.usecase';
import { ReattributeAfterUploadUseCase } from './usecases/reattribute-after-upload/reattribute-after-upload.usecase';
import { UpgradeRuleVersionUseCase } from './usecases/upgrade-rule-version/upgrade-rule-version.usecase';

export const ATTRIBUTION_SCHEDULE = Symbol('ATTRIBUTION_SCHEDULE');

export interface AttributionSchedule {
  /** How often pending re-attributions are looked for (0: never, for one-off tools such as the rebuild). */
  sweepSeconds: number;
}

/**
 * Background work of attribution, off the request path: at start, the dashboard's tallies of records
 * stored before them (once per store), then visits attributed under an older
 * rule version; after each roster upload (`kick`), at start and every `sweepSeconds`, the uploads'
 * pending re-attributions. One run at a time per process; a kick during a run runs again after it.
 */
@Injectable()
export class AttributionScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private closed = false;

  constructor(
    private readonly afterUpload: ReattributeAfterUploadUseCase,
    private readonly upgrade: UpgradeRuleVersionUseCase,
    private readonly backfill: BackfillDashboardTalliesUseCase,
    private readonly feed: UtilizationFeedRepository,
    @Inject(ATTRIBUTION_SCHEDULE) private readonly schedule: AttributionSchedule,
    private readonly log: PinoLogger,
  ) {
    log.setContext('AttributionScheduler');
  }

  onApplicationBootstrap(): void {
    if (this.schedule.sweepSeconds <= 0) return;
    this.running = this.backfill
      .execute()
      .then(
        (result) => {
          if (result.records > 0) this.log.info(result, "the dashboard's tallies were written from the records stored before them");
        },
        (err: unknown) => this.log.warn({ err }, "the dashboard's tally backfill failed; it runs again at the next start"),
      )
      .then(() => this.feed.tagBlocks())
      .then(
        (tagged) => {
          if (tagged > 0) this.log.info({ tagged }, 'feed entries stored before position blocks were given theirs');
        },
        (err: unknown) => this.log.warn({ err }, 'tagging feed entries with their blocks failed; it runs again at the next start'),
      )
      .then(() => this.upgrade.execute())
      .then(
        (result) => {
          if (result.visits > 0) this.log.info(result, 'visits attributed under an older rule version were attributed again');
        },
        (err: unknown) => this.log.warn({ err }, 'rule-version upgrade failed; it runs again at the next start'),
      )
      .then(() => this.loop());
    this.timer = setInterval(() => this.kick(), this.schedule.sweepSeconds * 1000);
    this.timer.unref();
  }

  /** Runs the pending re-attributions soon, in the background. */
  kick(): void {
    if (this.closed || this.schedule.sweepSeconds <= 0) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop();
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        try {
          await this.afterUpload.execute();
        } catch (err) {
          this.log.warn({ err }, 're-attribution after an upload failed; the sweep tries again');
        }
      } while (this.again && !this.closed);
    } finally {
      this.running = undefined;
    }
  }

  /** Lets the run in progress finish (its job would otherwise wait for its lease to expire). */
  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
