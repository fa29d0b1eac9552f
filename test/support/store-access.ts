import { MongoClient } from 'mongodb';
import { eventually } from '@crc/testing';
import type { TestSystem } from './test-system';

/**
 * Direct access to a service's database, for what the API cannot do in a test's time: look at
 * what is stored, and move a document's times into the past (a session that started 40 minutes
 * ago). A document is changed only once its outbox is drained, so the test never races the
 * relay's own writes to it (FerretDB would lose one of them).
 */
export class StoreAccess {
  private constructor(
    private readonly client: MongoClient,
    private readonly dbName: string,
  ) {}

  static async open(system: TestSystem, service: string): Promise<StoreAccess> {
    return new StoreAccess(await MongoClient.connect(system.mongoUri, { retryWrites: false }), `${system.prefix}-${service}`);
  }

  /** Our collections are keyed by string ids (UUIDs, claim keys). */
  collection(name: string) {
    return this.client.db(this.dbName).collection<{ _id: string; [field: string]: any }>(name);
  }

  async whenPublished(collection: string, id: string): Promise<void> {
    await eventually(
      () => this.collection(collection).findOne({ _id: id }),
      (doc) => doc !== null && doc.outboxPending === false,
      { what: `the outbox of ${collection}/${id} to be drained`, timeoutMs: 30_000, intervalMs: 100 },
    );
  }

  async backdate(collection: string, id: string, fields: Record<string, Date>): Promise<void> {
    await this.whenPublished(collection, id);
    const result = await this.collection(collection).updateOne({ _id: id }, { $set: fields });
    if (result.modifiedCount !== 1) throw new Error(`could not backdate ${collection}/${id}`);
  }

  /** Every document of every collection, as JSON: to prove something is not stored anywhere. */
  async dump(): Promise<string> {
    const db = this.client.db(this.dbName);
    const names = (await db.listCollections().toArray()).map((c) => c.name);
    const all = await Promise.all(names.map(async (name) => [name, await db.collection(name).find({}).toArray()] as const));
    return JSON.stringify(Object.fromEntries(all));
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
