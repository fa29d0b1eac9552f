import { Provider } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { PinoLogger } from 'nestjs-pino';
import { serviceDateOf } from '@crc/contracts';
import { ServiceEnvironment } from '../config/service-environment';
import { documentKey } from '../concurrency/document-locks';
import { StoreProfile } from '../store/store-profile';

export interface IdentityRetentionTarget {
  modelName: string;
  /** A YYYY-MM-DD field: documents of service dates older than the retention lose their identity. */
  serviceDateField: string;
  /** Dotted paths of the identifying fields to erase. */
  identityFields: string[];
  /** Only documents done with (published, attributed): a late arrival is processed first, then erased. */
  onlyWhen?: Record<string, unknown>;
  /**
   * The model whose document locks its writers take, when not its own (a dashboard day's summary is
   * written under its tally's lock, same id).
   */
  lockedAs?: string;
}

/** Documents erased per statement group on FerretDB, each group under its documents' locks. */
const ERASE_PAGE = 500;

/**
 * Erases identities once the retention period is over (docs/domain.md, Privacy): the visit facts
 * (center, date, services, plan) stay, the member id goes. A periodic sweep, as FerretDB has no
 * TTL indexes (and a TTL would delete the facts too).
 */
export async function eraseExpiredIdentities(
  model: Model<unknown>,
  target: IdentityRetentionTarget,
  retentionDays: number,
  store: StoreProfile,
  options: { now?: Date; lockedAs?: Model<unknown> } = {},
): Promise<number> {
  const cutoff = serviceDateOf(new Date((options.now ?? new Date()).getTime() - retentionDays * 24 * 3600 * 1000));
  const expired = { [target.serviceDateField]: { $lt: cutoff }, identityErased: { $ne: true }, ...target.onlyWhen };
  const erase = { $unset: Object.fromEntries(target.identityFields.map((f) => [f, ''])), $set: { identityErased: true } };
  if (store.atomicUpdates) return (await model.updateMany(expired, erase, { strict: false }).exec()).modifiedCount;
  // FerretDB rewrites each matched document whole, without isolation: an updateMany beside a writer
  // of the same document loses one of the two (the writer's change, or the erasure). So a page of
  // documents at a time, under the locks their writers take.
  const locks = (options.lockedAs ?? model).collection;
  let erased = 0;
  for (;;) {
    const page = await model.find(expired, { _id: 1 }).limit(ERASE_PAGE).lean<Array<{ _id: string }>>().exec();
    const ids = page.map((doc) => doc._id);
    if (ids.length === 0) return erased;
    const { modifiedCount } = await store.exclusive(
      ids.map((id) => documentKey(locks, id)),
      () => store.updateByKeys(model.collection, '_id', ids, erase, expired),
    );
    erased += modifiedCount;
    // None erased: the page changed under us (no longer expired); the next sweep looks again.
    if (ids.length < ERASE_PAGE || modifiedCount === 0) return erased;
  }
}

/** Providers that run the sweep for the given collections every IDENTITY_RETENTION_SWEEP_SECONDS. */
export function provideIdentityRetention(targets: IdentityRetentionTarget[]): Provider[] {
  return [
    {
      provide: `IdentityRetention:${targets.map((t) => t.modelName).join(',')}`,
      inject: [
        ServiceEnvironment,
        PinoLogger,
        StoreProfile,
        ...targets.map((t) => getModelToken(t.modelName)),
        ...targets.map((t) => getModelToken(t.lockedAs ?? t.modelName)),
      ],
      useFactory: (config: ServiceEnvironment, log: PinoLogger, store: StoreProfile, ...models: Array<Model<unknown>>) => {
        log.setContext('IdentityRetention');
        let timer: NodeJS.Timeout | undefined;
        const sweep = async () => {
          for (const [i, target] of targets.entries()) {
            const erased = await eraseExpiredIdentities(models[i], target, config.IDENTITY_RETENTION_DAYS, store, { lockedAs: models[targets.length + i] });
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
