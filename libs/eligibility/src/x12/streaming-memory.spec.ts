import { stream834 } from '../../../../bench/x12-834-stream';

/**
 * A 100,000-member 834 (14 MB, 700,000 segments) streams through the read path holding one member
 * loop at a time. Held whole, its segments alone would take several times the bound below; the
 * time is reported by `npm run bench:834`, never asserted here.
 */
describe('a 100,000-member 834', () => {
  it('streams through the read path under a memory bound', async () => {
    const figures = await stream834(100_000);
    expect(figures).toMatchObject({ members: 100_000, segments: 700_009, operations: 100_000 });
    // What survives a full collection: garbage awaiting collection is no measure of what is held.
    expect(figures.peakRetainedHeapMb - figures.baselineHeapUsedMb).toBeLessThan(32);
  }, 300_000);
});
