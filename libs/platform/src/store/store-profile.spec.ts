import { StoreProfile, storeKindOf } from './store-profile';

describe('StoreProfile', () => {
  it("tells FerretDB from MongoDB by buildInfo's ferretdb fields", () => {
    expect(storeKindOf({ version: '7.0.42', ferretdbVersion: 'v1.24.0', ferretdbFeatures: {} })).toBe('ferretdb');
    expect(storeKindOf({ version: '7.0.42', ferretdb: { version: 'v2.0.0' } })).toBe('ferretdb');
    expect(storeKindOf({ version: '7.0.14', gitVersion: 'ce59cfc6a3c5e5c067dca0d30697edd68d4f5188', modules: [] })).toBe('mongodb');
  });

  it('runs MongoDB with its own pool and retryable writes, FerretDB with a smaller pool and none', () => {
    expect(new StoreProfile('mongodb').connectionOptions()).toEqual({ retryWrites: true });
    expect(new StoreProfile('ferretdb').connectionOptions()).toEqual({ maxPoolSize: 32, retryWrites: false });
  });

  it('serialises writes of one document in this process on FerretDB only', async () => {
    const overlap = async (profile: StoreProfile) => {
      let running = 0;
      let most = 0;
      const work = async () => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
      };
      await Promise.all([profile.exclusive('db.c:1', work), profile.exclusive('db.c:1', work)]);
      return most;
    };
    expect(await overlap(new StoreProfile('ferretdb'))).toBe(1);
    expect(await overlap(new StoreProfile('mongodb'))).toBe(2);
  });
});
