import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PartnerPlan } from '@crc/contracts';
import { seedRosterAs834 } from '@crc/testing';
import { readRosterRow } from '../domain/coverage';
import { Enrollment834Mappings } from './enrollment-834-mapping';
import { Interchange834Reader } from './interchange-834-reader';
import { mapMemberLoop } from './member-loop';
import { x12SegmentsOf } from './x12-segments';

const SEED = join(__dirname, '..', '..', '..', '..', 'deploy', 'local', 'seed');
const productLines = JSON.parse(readFileSync(join(SEED, 'product-lines.json'), 'utf8')) as Record<PartnerPlan, string[]>;
const linesOf = (plan: PartnerPlan) => new Set(productLines[plan]);

/**
 * The seed rosters ship as NDJSON and as the 834 a plan would have. The 834s are generated from the
 * NDJSON (`WRITE_SEED_834=1` writes them again) and must read back to the very same records.
 */
describe.each([
  ['LA_CARE', 'la-care'],
  ['BLUE_SHIELD_PROMISE', 'blue-shield-promise'],
] as const)('the %s seed roster as an 834', (plan, name) => {
  const ndjson = readFileSync(join(SEED, 'rosters', `${name}.ndjson`), 'utf8');
  const mappingJson = readFileSync(join(SEED, 'x12-834-mapping.json'), 'utf8');
  const path = join(SEED, 'rosters', `${name}.834.x12`);
  if (process.env.WRITE_SEED_834 === '1') writeFileSync(path, seedRosterAs834(plan, ndjson, mappingJson));

  it('is what the generator makes of the NDJSON', () => {
    expect(readFileSync(path, 'utf8')).toBe(seedRosterAs834(plan, ndjson, mappingJson));
  });

  it('reads back, through the default mapping, to the NDJSON roster', async () => {
    const mappings = Enrollment834Mappings.fromFile(join(SEED, 'x12-834-mapping.json'), linesOf);
    const reader = new Interchange834Reader();
    const covered: unknown[] = [];
    for await (const segment of x12SegmentsOf([readFileSync(path)])) {
      for (const event of reader.read(segment)) {
        if (event.kind !== 'MEMBER') continue;
        const result = mapMemberLoop(plan, event.member, mappings.of(plan)!, linesOf(plan));
        if ('problems' in result) throw new Error(JSON.stringify(result.problems));
        for (const op of result.operations) covered.push(op.kind === 'COVER' ? op.coverage : op);
      }
    }
    reader.finish();
    expect(reader.problems).toEqual([]);
    expect(reader.action).toBe('REPLACE');
    const expected = ndjson
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => readRosterRow(plan, JSON.parse(l), linesOf(plan)));
    expect(covered).toEqual(expected);
  });
});
