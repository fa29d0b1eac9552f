import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PartnerPlan } from '@crc/contracts';
import { aCheckIn, devTokens, enrollment834, Enrollment834Options, eventually } from '@crc/testing';
import { feedRecords } from './support/partner-calls';
import { StoreAccess } from './support/store-access';
import { startTestSystem, TestSystem } from './support/test-system';

/**
 * A plan uploads the X12 834 it already has. Additions make a visit the plan's on eligibility; a
 * later 834 ending the coverage retroactively corrects the feed; a resend is not applied twice; a
 * file whose envelope does not check out changes nothing; a file for the other plan is refused.
 */
describe('eligibility rosters as X12 834 files', () => {
  const center = 'crc-el-monte';
  let system: TestSystem;
  let store: StoreAccess;

  beforeAll(async () => {
    system = await startTestSystem(['checkin', 'reporting']);
    store = await StoreAccess.open(system, 'reporting');
  });

  afterAll(async () => {
    await store?.close();
    await system?.close();
  });

  const upload834 = (plan: PartnerPlan, file: string, query = '') =>
    system.api('reporting', devTokens.partner(plan)).put(`/v1/partners/${plan}/eligibility${query}`, file, { 'content-type': 'application/edi-x12' });
  const laCare834 = (options: Omit<Enrollment834Options, 'receiver'>) => enrollment834({ receiver: 'LACARE', ...options });
  const reattributed = (uploadId: string) =>
    eventually(
      async () =>
        (await system.api('reporting', devTokens.ops()).get('/v1/operations/roster-uploads?limit=1000')).body.items as Array<{
          uploadId: string;
          status: string;
        }>,
      (items) => items.some((i) => i.uploadId === uploadId && i.status === 'DONE'),
      { what: `upload ${uploadId} to be re-attributed` },
    );
  const audit = async (uploadId: string) =>
    ((await system.api('reporting', devTokens.ops()).get('/v1/operations/roster-uploads?limit=1000')).body.items as Array<Record<string, unknown>>).find(
      (i) => i.uploadId === uploadId,
    );
  const spansOf = (memberId: string) => store.collection('eligibility_coverages').find({ memberId }).toArray();
  const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

  it('additions attribute a visit on eligibility; a later retroactive termination shows as a correction; a resend is not applied again', async () => {
    const additions = await upload834(
      'LA_CARE',
      laCare834({
        controlNumber: 101,
        action: '2',
        members: [
          { memberId: 'X834A001', cin: '71000001A', productLine: 'MC', coverageStart: '2020-01-01' },
          { memberId: 'X834A002', productLine: 'LACC', coverageStart: '2020-01-01' },
        ],
      }),
    );
    expect(additions.status).toBe(200);
    expect(additions.body).toEqual({
      plan: 'LA_CARE',
      mode: 'MERGE',
      accepted: 2,
      rejected: 0,
      rejectedRows: [],
      removed: 0,
      uploadId: expect.any(String),
      acknowledgement: {
        interchangeControlNumber: '000000101',
        functionalGroups: [
          {
            controlNumber: '101',
            version: '005010X220A1',
            status: 'A',
            transactionSetsIncluded: 1,
            transactionSetsReceived: 1,
            transactionSetsAccepted: 1,
            transactionSets: [{ controlNumber: '0001', status: 'A', memberLoops: 2, rejectedLoops: 0 }],
          },
        ],
      },
    });
    await reattributed(additions.body.uploadId);
    expect(await audit(additions.body.uploadId)).toMatchObject({ format: 'x12-834', mode: 'MERGE', accepted: 2, outcome: 'ACCEPTED' });

    // The visitor gives the CIN and names no plan: L.A. Care on eligibility (rule 1).
    const checkIn = await system.api('checkin', devTokens.kiosk(center)).post(`/v1/centers/${center}/check-ins`, aCheckIn({ memberId: '71000001A' }));
    expect(checkIn.status).toBe(201);
    const visitId = checkIn.body.visitId as string;
    const first = await eventually(
      () => feedRecords(system, 'LA_CARE'),
      (items) => items.some((r) => r.visitId === visitId),
      { what: 'the visit in the feed' },
    );
    expect(first.find((r) => r.visitId === visitId)).toMatchObject({ revision: 1, basis: 'ELIGIBILITY', productLine: 'MEDI_CAL', status: 'ACTIVE' });

    // The state ends the coverage two days ago, after the visit happened: a retroactive termination.
    const terminationFile = laCare834({
      controlNumber: 102,
      action: '2',
      members: [{ memberId: 'X834A001', maintenance: '024', productLine: 'MC', coverageStart: '2020-01-01', coverageEnd: daysAgo(2) }],
    });
    const termination = await upload834('LA_CARE', terminationFile);
    expect(termination.status).toBe(200);
    expect(termination.body).toMatchObject({ mode: 'MERGE', accepted: 1, rejected: 0 });
    await reattributed(termination.body.uploadId);
    const corrected = await eventually(
      () => feedRecords(system, 'LA_CARE'),
      (items) => items.filter((r) => r.visitId === visitId).length >= 2,
      {
        what: 'the correction in the feed',
      },
    );
    expect(corrected.filter((r) => r.visitId === visitId).map((r) => [r.revision, r.status, r.supersedes ?? null])).toEqual([
      [1, 'ACTIVE', null],
      [2, 'VOIDED', `${visitId}:1`],
    ]);
    expect((await spansOf('X834A001')).map((s) => [s.coverageStart, s.coverageEnd])).toEqual([['2020-01-01', daysAgo(2)]]);

    // The same file again: a resend, answered and not applied.
    const entries = (await feedRecords(system, 'LA_CARE')).length;
    const resend = await upload834('LA_CARE', terminationFile);
    expect(resend.status).toBe(200);
    expect(resend.body).toMatchObject({ accepted: 0, removed: 0, resendOf: termination.body.uploadId });
    expect(await audit(resend.body.uploadId)).toMatchObject({ status: 'REFUSED', outcome: 'X12.RESEND', accepted: 0 });
    // The same control number on another file is a mistake: refused, nothing applied.
    const reused = await upload834(
      'LA_CARE',
      laCare834({ controlNumber: 102, action: '2', members: [{ memberId: 'X834A002', maintenance: '024', productLine: 'LACC', coverageEnd: '2020-06-30' }] }),
    );
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('X12.CONTROL_NUMBER_REUSED');
    expect((await spansOf('X834A002')).map((s) => s.coverageEnd ?? null)).toEqual([null]);
    expect(await feedRecords(system, 'LA_CARE')).toHaveLength(entries);
  });

  it('applies nothing from a file whose envelope does not check out, and says where', async () => {
    const file = laCare834({
      controlNumber: 201,
      action: '2',
      members: [{ memberId: 'X834B001', productLine: 'MC', coverageStart: '2020-01-01' }],
      defect: 'IEA_CONTROL',
    });
    const response = await upload834('LA_CARE', file);
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({
      code: 'X12.ENVELOPE_INVALID',
      details: [{ code: 'X12.ENVELOPE', line: file.split('\n').length - 1, segmentId: 'IEA', loop: 'IEA', message: 'IEA02 does not match ISA13' }],
    });
    expect(await spansOf('X834B001')).toEqual([]);
    expect(await store.collection('eligibility_x12_staged').countDocuments({})).toBe(0);
  });

  it('refuses a bad member loop alone, by segment and loop, without echoing the file', async () => {
    const response = await upload834(
      'LA_CARE',
      laCare834({
        controlNumber: 301,
        action: '2',
        defect: 'BAD_DATE',
        members: [
          { memberId: 'X834C001', cin: '71000003C', productLine: 'MC', coverageStart: '2020-01-01' },
          { memberId: 'X834C002', productLine: 'MC', coverageStart: '2020-01-01' },
        ],
      }),
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accepted: 1, rejected: 1 });
    expect(response.body.rejectedRows).toEqual([
      { line: 13, segment: 11, segmentId: 'DTP', loop: '2300', transactionSet: '0001', code: 'X12.INVALID_LOOP', message: expect.stringContaining('DTP*348') },
    ]);
    expect(response.body.acknowledgement.functionalGroups[0]).toMatchObject({
      status: 'E',
      transactionSets: [{ status: 'E', memberLoops: 2, rejectedLoops: 1 }],
    });
    expect(JSON.stringify(response.body)).not.toMatch(/X834C001|71000003C|20260230/);
    expect(await spansOf('X834C001')).toEqual([]);
    expect(await spansOf('X834C002')).toHaveLength(1);
  });

  it("keeps plan boundaries: a file addressed to the other plan, or another plan's route, is refused", async () => {
    const forLaCare = laCare834({ controlNumber: 401, action: '2', members: [{ memberId: 'X834D001', productLine: 'MC', coverageStart: '2020-01-01' }] });
    const byBlueShield = await upload834('BLUE_SHIELD_PROMISE', forLaCare);
    expect(byBlueShield.status).toBe(403);
    expect(byBlueShield.body.error.code).toBe('X12.WRONG_PLAN');
    const otherRoute = await system
      .api('reporting', devTokens.partner('BLUE_SHIELD_PROMISE'))
      .put('/v1/partners/LA_CARE/eligibility', forLaCare, { 'content-type': 'application/edi-x12' });
    expect(otherRoute.status).toBe(403);
    expect(otherRoute.body.error.code).toBe('AUTH.WRONG_PLAN');
    // A mode that contradicts the file's BGN08 is refused rather than guessed.
    const mismatch = await upload834('LA_CARE', forLaCare, '?mode=REPLACE');
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.error.code).toBe('X12.MODE_MISMATCH');
    expect(await spansOf('X834D001')).toEqual([]);
  });

  it("takes the seed roster's 834 unchanged, as a full file replacing the plan's roster", async () => {
    const file = readFileSync(join(__dirname, '..', 'deploy', 'local', 'seed', 'rosters', 'blue-shield-promise.834.x12'), 'utf8');
    const response = await upload834('BLUE_SHIELD_PROMISE', file);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ plan: 'BLUE_SHIELD_PROMISE', mode: 'REPLACE', accepted: 6, rejected: 0 });
    expect((await spansOf('BSP200002')).map((s) => [s.rosterPlan, s.productLine, s.cin])).toEqual([['BLUE_SHIELD_PROMISE', 'MEDICARE', '80000002B']]);
  });
});
