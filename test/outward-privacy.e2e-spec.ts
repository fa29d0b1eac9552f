import { readFileSync } from 'node:fs';
import type { PartnerPlan, UtilizationRecord } from '@crc/contracts';
import { serviceDateOf } from '@crc/contracts';
import {
  aCheckIn,
  devTokens,
  eventually,
  fhirR4Problems,
  idsAndReferences,
  PublishedSummary,
  seedFile,
  solveSummary,
  solveTwoReads,
  summaryCellOf,
} from '@crc/testing';
import { uploadRosterRows } from './support/partner-calls';
import { startTestSystem, TestSystem } from './support/test-system';

/**
 * What leaves operations, attacked as a reader would: a plan's summary must not give away a
 * suppressed count (solved for from the totals, or from the change between two reads), and the
 * FHIR export must be one Encounter per visit with no member id in any id or reference.
 */
describe('privacy of what leaves operations', () => {
  let system: TestSystem;
  const month = serviceDateOf(new Date()).slice(0, 7);
  const centers: string[] = JSON.parse(readFileSync(seedFile('centers.json'), 'utf8')).centers.map((c: { centerId: string }) => c.centerId);
  const almost = 'crc-pomona';
  const few = 'crc-lancaster';
  const planCenter = 'crc-compton';

  beforeAll(async () => {
    system = await startTestSystem(['checkin', 'reporting']);
  });

  afterAll(async () => {
    await system?.close();
  });

  const api = (plan: PartnerPlan) => system.api('reporting', devTokens.partner(plan));
  const checkIn = async (center: string, body = aCheckIn({ purposes: ['OTHER'] })): Promise<string> => {
    const response = await system.api('checkin', devTokens.kiosk(center)).post(`/v1/centers/${center}/check-ins`, body);
    expect(response.status).toBe(201);
    return response.body.visitId as string;
  };
  const checkOut = async (center: string, visitId: string) =>
    expect((await system.api('checkin', devTokens.kiosk(center)).post(`/v1/centers/${center}/check-ins/${visitId}/check-out`, {})).status).toBe(200);
  const upload = (plan: PartnerPlan, rows: object[]) => uploadRosterRows(system, plan, rows);
  const summaryOf = (plan: PartnerPlan) => api(plan).get(`/v1/partners/${plan}/utilization/summary?month=${month}`);
  const community = (summary: PublishedSummary, centerId: string) => summary.community.find((c) => c.centerId === centerId)!;

  describe('the monthly summary', () => {
    it('hides a small community count so that no total and no second read gives it away', async () => {
      expect((await upload('LA_CARE', [{ memberId: 'LAC300009', productLine: 'MEDI_CAL', coverageStart: '2020-01-01' }])).status).toBe(200);
      // Community visits: 11 at every center but two, 10 at one, 5 at another; the plan's own: 12 and 2.
      for (const centerId of centers) {
        const n = centerId === almost ? 10 : centerId === few ? 5 : 11;
        for (let i = 0; i < n; i++) await checkIn(centerId);
      }
      for (let i = 0; i < 12; i++) await checkIn(planCenter, aCheckIn({ memberId: 'LAC300009', purposes: ['EXERCISE_CLASS'] }));
      for (let i = 0; i < 2; i++) await checkIn(planCenter, aCheckIn({ memberId: 'LAC300009', purposes: ['HEALTH_SCREENING'] }));
      const expected = centers.length * 11 - 1 - 6;
      // Reporting counts asynchronously: wait for its own operations view (exact counts) to have them all.
      await eventually(
        () => system.api('reporting', devTokens.ops()).get('/v1/operations/dashboard'),
        (r) => r.body.network?.visitsPerPlan?.COMMUNITY === expected && r.body.network.visitsPerPlan.LA_CARE === 14,
        { what: `${expected} community and 14 L.A. Care visits counted`, timeoutMs: 60_000 },
      );

      // The dashboard's tallies are written just before the visit records the summary reads (see
      // VisitRecordRepository.apply): wait for the summary's own visible cells too.
      const first = (
        await eventually(
          () => summaryOf('LA_CARE'),
          (r) => {
            const body = r.body as PublishedSummary;
            const exercise = body.rows?.find((row) => row.centerId === planCenter && row.productLine === 'MEDI_CAL' && row.service === 'EXERCISE_CLASS');
            return exercise?.visits === 12 && community(body, planCenter)?.visits === 11;
          },
          { what: "the summary's visible cells counted" },
        )
      ).body as PublishedSummary;
      expect(community(first, planCenter)).toMatchObject({ visits: 11, suppressed: false });
      expect(community(first, almost)).toEqual({ centerId: almost, visits: null, suppressed: true, planShare: null });
      expect(community(first, few)).toMatchObject({ visits: null, suppressed: true });
      expect(first.totalVisits).toBeNull();
      expect(first.communityTotal).toEqual({ visits: null, suppressed: true, planShare: null });
      const plan = (service: string) => first.rows.find((r) => r.centerId === planCenter && r.productLine === 'MEDI_CAL' && r.service === service)!;
      expect(plan('EXERCISE_CLASS')).toMatchObject({ visits: 12, suppressed: false });
      expect(plan('HEALTH_SCREENING')).toMatchObject({ visits: null, suppressed: true });
      // The same grid for the other plan: its rows are all hidden, the community counts are the same.
      const other = (await summaryOf('BLUE_SHIELD_PROMISE')).body as PublishedSummary;
      expect(other.community.map((c) => c.visits)).toEqual(first.community.map((c) => c.visits));

      // Solve for every suppressed cell from everything in the response.
      const solved = solveSummary(first);
      expect(solved.get(summaryCellOf.community(almost))).toContain(10);
      expect(solved.get(summaryCellOf.community(few))).toContain(5);
      expect(solved.get(summaryCellOf.plan(planCenter, 'MEDI_CAL', 'HEALTH_SCREENING'))).toContain(2);
      for (const [cell, values] of solved) expect([cell, values.length > 1]).toEqual([cell, true]);

      // One more community visit where there were 10: that cell shows now; the 5 must stay hidden.
      await checkIn(almost);
      const second = (
        await eventually(
          () => summaryOf('LA_CARE'),
          (r) => community(r.body, almost)?.visits === 11,
          { what: 'the eleventh community visit counted' },
        )
      ).body as PublishedSummary;
      expect(community(second, few)).toMatchObject({ visits: null, suppressed: true });
      expect(second.communityTotal?.suppressed).toBe(true);
      const twoReads = solveTwoReads(first, second, new Map([[summaryCellOf.community(almost), 1]]));
      expect(twoReads.second.get(summaryCellOf.community(few))).toContain(5);
      for (const [cell, values] of twoReads.second) expect([cell, values.length > 1]).toEqual([cell, true]);
      for (const [cell, values] of twoReads.firstOfStillSuppressed) expect([cell, values.length > 1]).toEqual([cell, true]);

      // Once the 5 reaches 11 too, every community cell shows, and so does their total.
      for (let i = 0; i < 6; i++) await checkIn(few);
      const third = (
        await eventually(
          () => summaryOf('LA_CARE'),
          (r) => r.body.communityTotal?.visits != null,
          { what: 'the community total shown' },
        )
      ).body;
      expect(third.communityTotal).toEqual({ visits: centers.length * 11, suppressed: false, planShare: (centers.length * 11) / 2 });
    });
  });

  describe('the FHIR export', () => {
    const center = 'crc-inglewood';
    const members = ['LAC300001', '91000001A', 'LAC300002', 'LAC300003'];

    const exportOf = async (plan: PartnerPlan) => {
      const kickOff = await api(plan).get(`/v1/partners/${plan}/fhir/$export`);
      expect(kickOff.status).toBe(202);
      const manifest = await api(plan).get(new URL(kickOff.headers.get('content-location')!).pathname);
      const file = async (type: string) => {
        const url = manifest.body.output.find((o: { type: string }) => o.type === type).url as string;
        const body = (await api(plan).get(new URL(url).pathname)).body as string;
        return body.trim() === ''
          ? []
          : body
              .trimEnd()
              .split('\n')
              .map((line) => JSON.parse(line) as Record<string, any>);
      };
      return { encounters: await file('Encounter'), patients: await file('Patient'), coverages: await file('Coverage') };
    };

    it('exports one Encounter per visit at its current revision, pseudonymous Patients, and valid R4 resources', async () => {
      expect((await upload('LA_CARE', [{ memberId: 'LAC300001', cin: '91000001A', productLine: 'MEDI_CAL', coverageStart: '2020-01-01' }])).status).toBe(200);
      // Checked out: a correction (revision 2), finished.
      const checkedOut = await checkIn(center, aCheckIn({ memberId: 'LAC300001' }));
      // By CIN, still open: revision 1, in progress.
      const byCin = await checkIn(center, aCheckIn({ memberId: '91000001A' }));
      // Self-reported L.A. Care, then found on Blue Shield Promise's roster: voided for L.A. Care.
      const moved = await checkIn(center, aCheckIn({ memberId: 'LAC300002', selfReportedPlan: 'LA_CARE' }));
      // Self-reported, then on L.A. Care's roster, then checked out: revision 3.
      const confirmed = await checkIn(center, aCheckIn({ memberId: 'LAC300003', selfReportedPlan: 'LA_CARE' }));
      const feed = async () => (await api('LA_CARE').get('/v1/partners/LA_CARE/utilization?limit=1000')).body.items as UtilizationRecord[];
      await eventually(feed, (items) => [checkedOut, byCin, moved, confirmed].every((id) => items.some((r) => r.visitId === id)), {
        what: 'the four visits in the feed',
      });

      await checkOut(center, checkedOut);
      expect((await upload('BLUE_SHIELD_PROMISE', [{ memberId: 'LAC300002', productLine: 'MEDICARE', coverageStart: '2020-01-01' }])).status).toBe(200);
      expect((await upload('LA_CARE', [{ memberId: 'LAC300003', productLine: 'LA_CARE_COVERED', coverageStart: '2020-01-01' }])).status).toBe(200);
      const latestOf = (items: UtilizationRecord[], visitId: string) => items.filter((r) => r.visitId === visitId).sort((a, b) => b.revision - a.revision)[0];
      // Uploads re-attribute after their answer: the check-out comes once the roster's correction is out.
      await eventually(feed, (all) => latestOf(all, confirmed)?.basis === 'ELIGIBILITY', { what: "the roster's correction of the self-reported visit" });
      await checkOut(center, confirmed);
      const items = await eventually(
        feed,
        (all) =>
          latestOf(all, checkedOut)?.checkedOutAt !== undefined &&
          latestOf(all, moved)?.status === 'VOIDED' &&
          latestOf(all, confirmed)?.basis === 'ELIGIBILITY' &&
          latestOf(all, confirmed)?.checkedOutAt !== undefined,
        { what: 'the corrections in the feed', timeoutMs: 30_000 },
      );
      const visitIds = [...new Set(items.map((r) => r.visitId))];
      expect(items.length).toBeGreaterThan(visitIds.length);

      const { encounters, patients, coverages } = await exportOf('LA_CARE');
      // Exactly one Encounter per visit, at its latest revision.
      expect(encounters.map((e) => e.id).sort()).toEqual([...visitIds].sort());
      for (const encounter of encounters) {
        const latest = latestOf(items, encounter.id);
        expect(encounter.meta.versionId).toBe(String(latest.revision));
        expect(encounter.status).toBe(latest.status === 'VOIDED' ? 'entered-in-error' : latest.checkedOutAt ? 'finished' : 'in-progress');
      }
      const encounterOf = (visitId: string) => encounters.find((e) => e.id === visitId)!;
      expect(encounterOf(checkedOut)).toMatchObject({ status: 'finished', meta: { versionId: '2' } });
      expect(encounterOf(byCin)).toMatchObject({ status: 'in-progress', meta: { versionId: '1' } });
      expect(encounterOf(moved)).toMatchObject({ status: 'entered-in-error', meta: { versionId: '2' } });
      expect(encounterOf(moved).subject).toBeUndefined();
      expect(encounterOf(confirmed)).toMatchObject({ status: 'finished', meta: { versionId: '3' } });

      // Every resource is valid R4; member ids and CINs are in Patient.identifier and nowhere else.
      for (const resource of [...encounters, ...patients, ...coverages]) {
        expect([resource.resourceType, resource.id, fhirR4Problems(resource)]).toEqual([resource.resourceType, resource.id, []]);
        for (const value of idsAndReferences(resource)) for (const member of [...members, 'LAC300009']) expect(value).not.toContain(member);
        const { identifier, ...rest } = resource;
        const outsideIdentifier = JSON.stringify(resource.resourceType === 'Patient' ? rest : { identifier, ...rest });
        for (const member of [...members, 'LAC300009']) expect(outsideIdentifier).not.toContain(member);
      }
      expect(patients.map((p) => p.identifier[0].value).sort()).toEqual(['91000001A', 'LAC300001', 'LAC300003', 'LAC300009']);
      expect(patients.find((p) => p.identifier[0].value === '91000001A')!.identifier[0].system).toBe('urn:crc-network:medi-cal-cin');
      // References resolve within the export, by the pseudonymous ids.
      const patientRefs = new Set(patients.map((p) => `Patient/${p.id}`));
      expect(encounters.filter((e) => e.subject).every((e) => patientRefs.has(e.subject.reference))).toBe(true);
      expect(coverages.every((c) => patientRefs.has(c.beneficiary.reference))).toBe(true);
      const coverageRefs = new Set(coverages.map((c) => `Coverage/${c.id}`));
      const referencedCoverages = encounters.flatMap((e) =>
        (e.extension ?? [])
          .filter((x: { valueReference?: unknown }) => x.valueReference)
          .map((x: { valueReference: { reference: string } }) => x.valueReference.reference),
      );
      expect(referencedCoverages.every((r: string) => coverageRefs.has(r))).toBe(true);

      // Stable: a second export names the same members with the same ids.
      const again = await exportOf('LA_CARE');
      expect(again.patients.map((p) => p.id).sort()).toEqual(patients.map((p) => p.id).sort());
      // The plan that gained the visit has it as its own Encounter, its member under an id unrelated to anything above.
      const blueShield = await exportOf('BLUE_SHIELD_PROMISE');
      expect(blueShield.encounters.find((e) => e.id === moved)).toMatchObject({ status: 'in-progress', meta: { versionId: '2' } });
      expect(blueShield.patients).toHaveLength(1);
      expect(patientRefs.has(`Patient/${blueShield.patients[0].id}`)).toBe(false);
    });
  });
});
