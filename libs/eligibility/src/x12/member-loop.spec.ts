import { join } from 'node:path';
import { enrollment834, Member834 } from '@crc/testing';
import { Enrollment834Mappings } from './enrollment-834-mapping';
import { Interchange834Reader } from './interchange-834-reader';
import { mapMemberLoop, MappedLoop, MemberLoop, readX12Dates } from './member-loop';
import { x12SegmentsOf } from './x12-segments';

const SEED = join(__dirname, '..', '..', '..', '..', 'deploy', 'local', 'seed');
const PRODUCT_LINES = {
  LA_CARE: new Set(['MEDI_CAL', 'LA_CARE_COVERED', 'MEDICARE_PLUS', 'PASC_SEIU']),
  BLUE_SHIELD_PROMISE: new Set(['MEDI_CAL', 'MEDICARE']),
};
const mappings = Enrollment834Mappings.fromFile(join(SEED, 'x12-834-mapping.json'), (plan) => PRODUCT_LINES[plan]);

async function loopsOf(file: string): Promise<MemberLoop[]> {
  const reader = new Interchange834Reader();
  const loops: MemberLoop[] = [];
  for await (const segment of x12SegmentsOf([Buffer.from(file)])) {
    for (const event of reader.read(segment)) if (event.kind === 'MEMBER') loops.push(event.member);
  }
  reader.finish();
  expect(reader.problems).toEqual([]);
  return loops;
}

/** The member loops of an L.A. Care changes file, each read through the default mapping. */
async function mapped(members: Member834[], action: 'RX' | '2' = '2'): Promise<MappedLoop[]> {
  const loops = await loopsOf(enrollment834({ receiver: 'LACARE', action, members }));
  return loops.map((loop) => mapMemberLoop('LA_CARE', loop, mappings.of('LA_CARE')!, PRODUCT_LINES.LA_CARE));
}

describe('an 834 member loop read into roster operations (the default L.A. Care mapping)', () => {
  it('021 addition: a span from DTP*348, open when no DTP*349, with the CIN and the plan partner', async () => {
    expect(await mapped([{ memberId: 'LAC1', cin: '90000006F', productLine: 'MC', planPartner: 'BSP', coverageStart: '2026-03-01' }])).toEqual([
      {
        operations: [
          {
            kind: 'COVER',
            coverage: {
              rosterPlan: 'LA_CARE',
              memberId: 'LAC1',
              cin: '90000006F',
              productLine: 'MEDI_CAL',
              planPartner: 'BLUE_SHIELD_PROMISE',
              coverageStart: '2026-03-01',
            },
          },
        ],
      },
    ]);
  });

  it('021 addition with DTP*349: a closed span; the product line code translated', async () => {
    expect(await mapped([{ memberId: 'LAC2', productLine: 'LACC', coverageStart: '2026-01-01', coverageEnd: '2026-12-31' }])).toEqual([
      {
        operations: [
          {
            kind: 'COVER',
            coverage: { rosterPlan: 'LA_CARE', memberId: 'LAC2', productLine: 'LA_CARE_COVERED', coverageStart: '2026-01-01', coverageEnd: '2026-12-31' },
          },
        ],
      },
    ]);
  });

  it('030 audit (a full file entry) and 025 reinstatement store the span as read', async () => {
    const [audit, reinstated] = await mapped(
      [
        { memberId: 'LAC3', maintenance: '030', productLine: 'MCP', coverageStart: '2023-01-01' },
        { memberId: 'LAC4', maintenance: '025', productLine: 'PASC', coverageStart: '2025-01-01' },
      ],
      'RX',
    );
    expect(audit).toEqual({
      operations: [{ kind: 'COVER', coverage: { rosterPlan: 'LA_CARE', memberId: 'LAC3', productLine: 'MEDICARE_PLUS', coverageStart: '2023-01-01' } }],
    });
    expect(reinstated).toEqual({
      operations: [{ kind: 'COVER', coverage: { rosterPlan: 'LA_CARE', memberId: 'LAC4', productLine: 'PASC_SEIU', coverageStart: '2025-01-01' } }],
    });
  });

  it('024 termination: ends the product line on DTP*349, retroactive dates included', async () => {
    expect(await mapped([{ memberId: 'LAC5', maintenance: '024', productLine: 'MC', coverageStart: '2024-01-01', coverageEnd: '2025-06-30' }])).toEqual([
      { operations: [{ kind: 'END', memberId: 'LAC5', productLine: 'MEDI_CAL', coverageEnd: '2025-06-30' }] },
    ]);
  });

  it('024 cancellation: an end before the start is kept as read (the span is removed when applied)', async () => {
    expect(await mapped([{ memberId: 'LAC6', maintenance: '024', productLine: 'MC', coverageStart: '2026-05-01', coverageEnd: '2026-04-30' }])).toEqual([
      { operations: [{ kind: 'END', memberId: 'LAC6', productLine: 'MEDI_CAL', coverageEnd: '2026-04-30' }] },
    ]);
  });

  it('024 without a coverage loop: DTP*357 ends every product line; without it the loop is refused', async () => {
    const [member, noDate] = await mapped([
      { memberId: 'LAC7', maintenance: '024', withoutCoverage: true, eligibilityEnd: '2026-02-28' },
      { memberId: 'LAC8', maintenance: '024', withoutCoverage: true },
    ]);
    expect(member).toEqual({ operations: [{ kind: 'END', memberId: 'LAC7', coverageEnd: '2026-02-28' }] });
    expect(noDate).toEqual({ problems: [expect.objectContaining({ segmentId: 'INS', loop: '2000', message: expect.stringContaining('DTP*357') })] });
  });

  it('024 on a coverage loop without DTP*349 takes the member-level DTP*357', async () => {
    expect(await mapped([{ memberId: 'LAC9', maintenance: '024', productLine: 'MC', eligibilityEnd: '2026-01-31' }])).toEqual([
      { operations: [{ kind: 'END', memberId: 'LAC9', productLine: 'MEDI_CAL', coverageEnd: '2026-01-31' }] },
    ]);
  });

  it('001 change: with DTP*348 a corrected span; with only an end a new end; with no dates nothing', async () => {
    const [corrected, ended, demographic] = await mapped([
      { memberId: 'LAC10', maintenance: '001', productLine: 'MC', coverageStart: '2025-01-01', coverageEnd: '2026-03-31' },
      { memberId: 'LAC11', maintenance: '001', productLine: 'MC', coverageEnd: '2026-03-31' },
      { memberId: 'LAC12', maintenance: '001', withoutCoverage: true },
    ]);
    expect(corrected).toEqual({
      operations: [
        {
          kind: 'COVER',
          coverage: { rosterPlan: 'LA_CARE', memberId: 'LAC10', productLine: 'MEDI_CAL', coverageStart: '2025-01-01', coverageEnd: '2026-03-31' },
        },
      ],
    });
    expect(ended).toEqual({ operations: [{ kind: 'END', memberId: 'LAC11', productLine: 'MEDI_CAL', coverageEnd: '2026-03-31' }] });
    expect(demographic).toEqual({ operations: [] });
  });

  it('HD01 wins over INS03: a change of the member that terminates one coverage', async () => {
    expect(await mapped([{ memberId: 'LAC13', maintenance: '001', coverageMaintenance: '024', productLine: 'MC', coverageEnd: '2026-04-15' }])).toEqual([
      { operations: [{ kind: 'END', memberId: 'LAC13', productLine: 'MEDI_CAL', coverageEnd: '2026-04-15' }] },
    ]);
  });

  it('an addition without DTP*348 or without a coverage loop is refused, naming the segment and loop', async () => {
    const [noStart, noCoverage] = await mapped([
      { memberId: 'LAC14', productLine: 'MC' },
      { memberId: 'LAC15', withoutCoverage: true },
    ]);
    expect(noStart).toEqual({ problems: [expect.objectContaining({ segmentId: 'HD', loop: '2300', message: expect.stringContaining('DTP*348') })] });
    expect(noCoverage).toEqual({ problems: [expect.objectContaining({ segmentId: 'INS', loop: '2000' })] });
  });

  it.each([
    ['BAD_DATE', 'DTP', '2300', 'not a date'],
    ['NO_MEMBER_ID', 'INS', '2000', 'no member id'],
    ['UNKNOWN_PRODUCT_LINE', 'HD', '2300', 'not one the mapping lists'],
    ['BAD_MAINTENANCE', 'INS', '2000', 'INS03'],
    ['END_BEFORE_START', 'HD', '2300', 'coverageEnd is before coverageStart'],
  ] as const)('a loop with %s is refused at %s in loop %s, without echoing the file', async (defect, segmentId, loop, message) => {
    const member = { memberId: 'SECRET99', cin: '91111111Z', productLine: 'MC', coverageStart: '2026-01-01' };
    const loops = await loopsOf(enrollment834({ receiver: 'LACARE', members: [member], defect }));
    const result = mapMemberLoop('LA_CARE', loops[0], mappings.of('LA_CARE')!, PRODUCT_LINES.LA_CARE);
    expect(result).toEqual({ problems: expect.arrayContaining([expect.objectContaining({ segmentId, loop, message: expect.stringContaining(message) })]) });
    const text = JSON.stringify(result);
    for (const value of ['SECRET99', '91111111Z', '20260230', 'NOSUCHLINE', '999']) expect(text).not.toContain(value);
    // Positions are the segment's in its transaction set (ST = 1) and in the file (ISA = 1).
    const problem = (result as { problems: Array<{ position: number; line: number }> }).problems[0];
    expect(problem.line - problem.position).toBe(2);
  });

  it('reads X12 dates: D8, RD8, and refuses impossible ones', () => {
    expect(readX12Dates('D8', '20240229')).toEqual(['2024-02-29']);
    expect(readX12Dates('D8', '20250229')).toBeUndefined();
    expect(readX12Dates('RD8', '20260101-20261231')).toEqual(['2026-01-01', '2026-12-31']);
    expect(readX12Dates('RD8', '20260101')).toBeUndefined();
    expect(readX12Dates('DT', '202601011200')).toBeUndefined();
  });
});
