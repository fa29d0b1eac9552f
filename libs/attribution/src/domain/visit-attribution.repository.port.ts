import type { OutboxEntry } from '@crc/platform';
import { Attribution } from './attribution-rules';
import { PublishedRevision } from './utilization-revision';

/** The attribution ledger: each visit's last published revision, as the attribution use cases need it. */
export abstract class VisitAttributionRepositoryPort {
  abstract published(visitId: string): Promise<PublishedRevision | undefined>;
  /** The last published revision of each of these visits that has one. */
  abstract publishedOf(visitIds: string[]): Promise<Map<string, PublishedRevision>>;
  /** The attribution the feeds were last told, of each of these visits that has one. */
  abstract attributionsOf(visitIds: string[]): Promise<Map<string, Pick<Attribution, 'plan' | 'basis' | 'flags'>>>;
  /**
   * Records a new revision with its feed entries in one write, unless another writer recorded a
   * revision since `previousRevision` was read: then nothing is written (`conflict`).
   */
  abstract saveRevision(
    visitId: string,
    previousRevision: number | undefined,
    attribution: Attribution,
    published: PublishedRevision,
    feedEntries: OutboxEntry[],
  ): Promise<'created' | 'updated' | 'conflict'>;
}
