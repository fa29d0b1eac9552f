import { UtilizationRecordedV1Events } from '@crc/contracts';
import type { Coverage } from '@crc/eligibility';
import { MetricsRegistry } from '@crc/platform';
import { AttributionMetrics } from '../../attribution.metrics';
import { DEFAULT_ATTRIBUTION_POLICY } from '../../domain/attribution-policy';
import { VisitRecord } from '../../domain/visit-record.repository.port';
import { InMemoryConflicts, InMemoryCoverages, InMemoryLedger, InMemoryServiceUses, InMemoryVisitRecords } from '../attribution-ports.in-memory';
import { AttributeVisitUseCase } from './attribute-visit.usecase';

const SERVICE_DATE = '2025-06-02';
/** Visit ids are UUIDs in the feeds' contract. */
const visit = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const [V1, V2, OVERTAKEN, ERASED, NEW_CONFLICT, KEPT] = [1, 2, 3, 4, 5, 6].map(visit);

const laCare = (memberId: string, productLine = 'MEDI_CAL', extra: Partial<Coverage> = {}): Coverage => ({
  rosterPlan: 'LA_CARE',
  memberId,
  productLine,
  coverageStart: '2025-01-01',
  ...extra,
});
const blueShield = (memberId: string, productLine = 'MEDICARE'): Coverage => ({
  rosterPlan: 'BLUE_SHIELD_PROMISE',
  memberId,
  productLine,
  coverageStart: '2025-01-01',
});

const aVisit = (id: string, overrides: Partial<VisitRecord> = {}): VisitRecord => ({
  _id: id,
  centerId: 'crc-metro-la',
  serviceDate: SERVICE_DATE,
  checkInSeen: true,
  checkedInAt: new Date('2025-06-02T17:00:00Z'),
  purposes: ['EXERCISE_CLASS'],
  ...overrides,
});

function setUp() {
  const ports = {
    visits: new InMemoryVisitRecords(),
    ledger: new InMemoryLedger(),
    coverages: new InMemoryCoverages(),
    services: new InMemoryServiceUses(),
    conflicts: new InMemoryConflicts(),
  };
  const useCase = new AttributeVisitUseCase(
    ports.visits,
    ports.ledger,
    ports.coverages,
    ports.services,
    ports.conflicts,
    DEFAULT_ATTRIBUTION_POLICY,
    new AttributionMetrics(new MetricsRegistry()),
  );
  return { ...ports, useCase };
}

/** The feed entries of a visit's last revision, as the plans will read them. */
const feedOf = (ledger: InMemoryLedger, visitId: string) =>
  ledger
    .last(visitId)!
    .feedEntries.map((entry): Record<string, unknown> => ({ topic: entry.topic, ...(JSON.parse(entry.value) as { data: Record<string, unknown> }).data }));

describe('AttributeVisitUseCase', () => {
  it("attributes a member on one plan's roster to that plan and records the first revision with that plan's feed entry", async () => {
    const { useCase, coverages, ledger, visits } = setUp();
    coverages.add(laCare('LAC100001'));

    expect(await useCase.executeMany([aVisit(V1, { memberId: 'LAC100001' })])).toBe(1);

    expect(ledger.last(V1)!.attribution).toMatchObject({ plan: 'LA_CARE', basis: 'ELIGIBILITY', rule: 1, productLine: 'MEDI_CAL' });
    expect(feedOf(ledger, V1)).toEqual([
      expect.objectContaining({ topic: UtilizationRecordedV1Events.LA_CARE.topic, status: 'ACTIVE', revision: 1, plan: 'LA_CARE', memberId: 'LAC100001' }),
    ]);
    expect(visits.attributionCopies.map((c) => c.visitId)).toEqual([V1]);
  });

  it('records nothing when nothing the feeds say has changed (a re-run, a redelivery)', async () => {
    const { useCase, coverages, ledger, visits } = setUp();
    coverages.add(laCare('LAC100001'));
    const record = aVisit(V1, { memberId: 'LAC100001' });
    await useCase.executeMany([record]);
    const attributed = { ...record, attribution: { ...ledger.last(V1)!.attribution, attributedAt: new Date() } };

    expect(await useCase.executeMany([attributed])).toBe(0);
    expect(ledger.revisions.get(V1)).toHaveLength(1);
    expect(visits.attributionCopies.map((c) => c.visitId)).toEqual([V1]);
  });

  it('corrects the feeds when a roster moves a visit: the former plan gets a void, the new plan the record, as revision 2', async () => {
    const { useCase, coverages, ledger } = setUp();
    const record = aVisit(V1, { memberId: 'LAC100011', selfReportedPlan: 'LA_CARE' });
    await useCase.executeMany([record]);
    expect(ledger.last(V1)!.attribution).toMatchObject({ plan: 'LA_CARE', basis: 'SELF_REPORTED' });

    coverages.add(blueShield('LAC100011'));
    expect(await useCase.executeMany([record])).toBe(1);

    expect(feedOf(ledger, V1)).toEqual([
      expect.objectContaining({ topic: UtilizationRecordedV1Events.LA_CARE.topic, status: 'VOIDED', revision: 2, supersedes: `${V1}:1` }),
      expect.objectContaining({ topic: UtilizationRecordedV1Events.BLUE_SHIELD_PROMISE.topic, status: 'ACTIVE', revision: 2, basis: 'ELIGIBILITY' }),
    ]);
  });

  it('leaves out visits whose check-in has not arrived, and those whose identity retention erased', async () => {
    const { useCase, coverages, ledger } = setUp();
    coverages.add(laCare('LAC100001'));

    const revisions = await useCase.executeMany([
      aVisit(OVERTAKEN, { checkInSeen: false }),
      aVisit(ERASED, {
        identityErased: true,
        attribution: { plan: 'LA_CARE', basis: 'ELIGIBILITY', rule: 1, ruleVersion: 2, flags: [], attributedAt: new Date() },
      }),
    ]);

    expect(revisions).toBe(0);
    expect(ledger.revisions.size).toBe(0);
  });

  it('puts a visit both rosters claim in the review queue, with no plan, and keeps an eligibility plan the feeds already had', async () => {
    const { useCase, coverages, ledger, conflicts } = setUp();
    coverages.add(laCare('LAC100021'), blueShield('LAC100021'));
    await useCase.executeMany([aVisit(NEW_CONFLICT, { memberId: 'LAC100021' })]);
    expect(ledger.last(NEW_CONFLICT)!.attribution).toMatchObject({ plan: 'COMMUNITY', basis: 'NONE', flags: ['DUAL_COVERAGE_CONFLICT'] });
    expect(conflicts.recorded).toEqual([expect.objectContaining({ visitId: NEW_CONFLICT, begins: false })]);

    // A visit the feeds already had on L.A. Care's eligibility, before Blue Shield Promise's roster arrived.
    const { useCase: again, coverages: later, ledger: ledgerAgain, conflicts: queue, visits: recordsAgain } = setUp();
    later.add(laCare('LAC100022'));
    const record = aVisit(KEPT, { memberId: 'LAC100022' });
    await again.executeMany([record]);
    const first = { ...ledgerAgain.last(KEPT)!.attribution, attributedAt: new Date() };
    later.add(blueShield('LAC100022'));
    await again.executeMany([{ ...record, attribution: first }]);

    // The plan keeping it is not told while the conflict waits; operations see it in their queue from now on.
    expect(ledgerAgain.revisions.get(KEPT)).toHaveLength(1);
    expect(recordsAgain.attributionCopies.at(-1)!.attribution).toMatchObject({ plan: 'LA_CARE', basis: 'ELIGIBILITY', flags: ['DUAL_COVERAGE_CONFLICT'] });
    expect(queue.recorded).toEqual([expect.objectContaining({ visitId: KEPT, begins: true })]);
  });

  it('follows operations’ resolution of a conflict', async () => {
    const { useCase, coverages, ledger, conflicts } = setUp();
    coverages.add(laCare('LAC100023'), blueShield('LAC100023'));
    conflicts.resolutions.set(V1, { plan: 'BLUE_SHIELD_PROMISE' });

    await useCase.executeMany([aVisit(V1, { memberId: 'LAC100023' })]);

    expect(ledger.last(V1)!.attribution).toMatchObject({ plan: 'BLUE_SHIELD_PROMISE', basis: 'ELIGIBILITY', flags: ['DUAL_COVERAGE_RESOLVED'] });
  });

  it('carries the services of its own center into the feed, and keeps aside those naming it from another center', async () => {
    const { useCase, ledger, services } = setUp();
    await services.applyWifiSessions([
      { id: 's-own', eventId: 'e1', set: { durationMinutes: 25 }, setOnInsert: { visitId: V1, centerId: 'crc-metro-la', serviceDate: SERVICE_DATE } },
      { id: 's-other', eventId: 'e2', set: { durationMinutes: 40 }, setOnInsert: { visitId: V1, centerId: 'crc-el-monte', serviceDate: SERVICE_DATE } },
    ]);

    await useCase.executeMany([aVisit(V1, { memberId: 'BSP200009', selfReportedPlan: 'BLUE_SHIELD_PROMISE' })]);

    expect(feedOf(ledger, V1)).toEqual([expect.objectContaining({ telehealthWifiMinutes: 25 })]);
    expect([...services.keptAside.keys()]).toEqual(['WIFI_SESSION:s-other']);
  });

  it('compares with what a concurrent writer recorded and writes its own revision on top, giving up after five conflicts', async () => {
    const { useCase, coverages, ledger } = setUp();
    coverages.add(laCare('LAC100001'));
    // Another instance records a self-reported revision just before each of our writes.
    const competitor = (visitId: string) => {
      const revision = (ledger.last(visitId)?.published.revision ?? 0) + 1;
      ledger.revisions.set(visitId, [
        ...(ledger.revisions.get(visitId) ?? []),
        {
          attribution: { plan: 'BLUE_SHIELD_PROMISE', basis: 'SELF_REPORTED', rule: 3, ruleVersion: 2, flags: [] },
          published: { plan: 'BLUE_SHIELD_PROMISE', revision, contentHash: 'theirs' },
          feedEntries: [],
        },
      ]);
    };
    let competing = 1;
    ledger.beforeSave = (visitId) => competing-- > 0 && competitor(visitId);

    expect(await useCase.executeMany([aVisit(V1, { memberId: 'LAC100001' })])).toBe(1);
    expect(ledger.revisions.get(V1)!.map((r) => r.published.revision)).toEqual([1, 2]);
    expect(feedOf(ledger, V1).map((e) => e.status)).toEqual(['VOIDED', 'ACTIVE']);

    ledger.beforeSave = competitor;
    await expect(useCase.executeMany([aVisit(V2, { memberId: 'LAC100001' })])).rejects.toThrow(
      `visit ${V2}: attribution kept conflicting with concurrent writers`,
    );
    expect(ledger.revisions.get(V2)).toHaveLength(5);
  });
});
