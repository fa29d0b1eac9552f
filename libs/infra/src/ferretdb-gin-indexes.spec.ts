import { createGinIndexSql, ginIndexName, ginTargets } from './ferretdb-gin-indexes';

describe('GIN indexes for FerretDB on PostgreSQL', () => {
  it('indexes _id and the top-level fields of declared indexes, once each', () => {
    const targets = ginTargets('crc_checkin', 'visits_12d3123d', [
      { key: { _id: 1 } },
      { key: { center: 1, checkedInAt: -1 } },
      { key: { center: 1, 'member.id': 1 } },
    ]);
    expect(targets.map((t) => t.field)).toEqual(['_id', 'center', 'checkedInAt']);
  });

  it('indexes _id of a collection with no index list', () => {
    expect(ginTargets('s', 't', null).map((t) => t.field)).toEqual(['_id']);
  });

  it('names fit PostgreSQL (63 bytes) and stay apart for long fields sharing a prefix', () => {
    const table = 'a_very_long_collection_name_that_ferretdb_truncated_12345678';
    const one = ginIndexName(table, 'fieldOne');
    const two = ginIndexName(table, 'fieldTwo');
    expect(one.length).toBeLessThanOrEqual(63);
    expect(one).not.toBe(two);
    expect(one.endsWith('_gin')).toBe(true);
  });

  it('quotes names and the field in the statement', () => {
    const [target] = ginTargets('crc"x', "odd'table", []);
    expect(createGinIndexSql(target)).toBe(`CREATE INDEX IF NOT EXISTS "${target.name}" ON "crc""x"."odd'table" USING gin ((_jsonb -> '_id') jsonb_path_ops)`);
  });
});
