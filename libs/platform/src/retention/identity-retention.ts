import { Provider } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { PinoLogger } from 'nestjs-pino';
import { serviceDateOf } from '@crc/contracts';
import { ServiceEnvironment } from '../config/service-environment';

export interface IdentityRetentionTarget {
  modelName: string;
  /** A YYYY-MM-DD field: documents of service dates older than the retention lose their identity. */
  serviceDateField: string;
  /** Dotted paths of the identifying fields to erase. */
  identityFields: string[];
  /** Only documents done with (published, attributed): a late arrival is processed first, then erased. */
  onlyWhen?: Record<string, unknown>;
}

/**
 * Erases identities once the retention period is over (docs/domain.md, Privacy): the visit facts
 * (center, date, services, plan) stay, the member id goes. A periodic sweep, as FerretDB has no
 * TTL indexes (and a TTL would delete the facts too).
 */
export async function eraseExpiredIdentities(model: Model<unknown>, target: IdentityRetentionTarget, retentionDays: number, now = new Date()): Promise<number> {
  const cutoff = serviceDateOf(new Date(now.getTime() - retentionDays * 24 * 3600 * 1000));
  const result = await model
    .updateMany(
      { [target.serviceDateField]: { $lt: cutoff }, identityErased: { $ne: true }, ...target.onlyWhen },
      { $unset: Object.fromEntries(target.identityFields.map((f) => [f, ''])), $set: { identityErased: true } },
      { strict: false },
    )
    .exec();
  return result.modifiedCount;
}

/** Providers that run the sweep for the given collections every IDENTITY_RETENTION_SWEEP_SECONDS. */
export function provideIdentityRetention(targets: IdentityRetentionTarget[]): Provider[] {
  return [
    {
      provide: `IdentityRetention:${targets.map((t) => t.modelName).join(',')}`,
      inject: [ServiceEnvironment, PinoLogger, ...targets.map((t) => getModelToken(t.modelName))],
      useFactory: (config: ServiceEnvironment, log: PinoLogger, ...models: Array<Model<unknown>>) => {
        log.setContext('IdentityRetention');
        let timer: NodeJS.Timeout | undefined;
        const sweep = async () => {
          for (const [i, target] of targets.entries()) {
            const erased = await eraseExpiredIdentities(models[i], target, config.IDENTITY_RETENTION_DAYS);
            if (erased > 0) log.info({ collection: target.modelName, erased }, 'identities past retention erased');
          }
        };
        // Nest calls these hooks on any provider instance that has them.
        return {
          onApplicationBootstrap: () => {
            timer = setInterval(
              () => void sweep().catch((error: unknown) => log.warn({ err: error }, 'retention sweep failed; will retry')),
              config.IDENTITY_RETENTION_SWEEP_SECONDS * 1000,
            );
            timer.unref();
          },
          onModuleDestroy: () => clearInterval(timer),
        };
      },
    },
  ];
}
