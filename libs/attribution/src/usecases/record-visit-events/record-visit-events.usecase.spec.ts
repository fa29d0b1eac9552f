import { EventDefinition, HelpResolvedV1Event, VisitCheckedInV1Event, VisitCheckedOutV1Event, WifiSessionEndedV1Event } from '@crc/contracts';
import type { Coverage } from '@crc/eligibility';
import { ConsumedEvent, MetricsRegistry } from '@crc/platform';
import { AttributionMetrics } from '../../attribution.metrics';
import { DEFAULT_ATTRIBUTION_POLICY } from '../../domain/attribution-policy';
import { visitEventFacts } from '../../domain/visit-event-facts';
import { InMemoryConflicts, InMemoryCoverages, InMemoryLedger, InMemoryServiceUses, InMemoryVisitRecords } from '../attribution-ports.in-memory';
import { AttributeVisitUseCase } from '../attribute-visit/attribute-visit.usecase';
import { DashboardChanges } from '../dashboard/dashboard-changes';
import { RecordVisitEventsUseCase } from './record-visit-events.usecase';

const VISIT = '00000000-0000-4000-8000-000000000001';
const CENTER = 'crc-metro-la';
const SERVICE_DATE = '2025-06-02';
const CHECKED_IN_AT = '2025-06-02T17:00:00.000Z';

let offset = 0;
const consumed = (definition: EventDefinition<object>, id: string, data: object): ConsumedEvent =>
  ({ definition, envelope: { id, data }, partition: 0, offset: String(offset++) }) as unknown as ConsumedEvent;

const checkedIn = (memberId = 'LAC100001') =>
  consumed(VisitCheckedInV1Event, 'evt-in', {
    visitId: VISIT,
    centerId: CENTER,
    serviceDate: SERVICE_DATE,
    occurredAt: CHECKED_IN_AT,
    purposes: ['MEMBERSHIP_HELP'],
    visitor: { memberId, selfReportedPlan: 'NONE' },
  });
const checkedOut = () =>
  consumed(VisitCheckedOutV1Event, 'evt-out', {
    visitId: VISIT,
    centerId: CENTER,
    serviceDate: SERVICE_DATE,
    checkedInAt: CHECKED_IN_AT,
    occurredAt: '2025-06-02T18:00:00.000Z',
  });
const wifiEnded = (minutes: number) =>
  consumed(WifiSessionEndedV1Event, 'evt-wifi', {
    sessionId: 'session-1',
    visitId: VISIT,
    centerId: CENTER,
    serviceDate: SERVICE_DATE,
    startedAt: '2025-06-02T17:05:00.000Z',
    occurredAt: '2025-06-02T17:35:00.000Z',
    durationMinutes: minutes,
    endedBy: 'STAFF',
  });
const helpResolved = () =>
  consumed(HelpResolvedV1Event, 'evt-help', {
    caseId: 'case-1',
    visitId: VISIT,
    centerId: CENTER,
    serviceDate: SERVICE_DATE,
    caseType: 'ID_CARD_REPLACEMENT',
    status: 'RESOLVED',
    outcome: 'RESOLVED',
    minutesSpent: 12,
    openedAt: '2025-06-02T17:10:00.000Z',
    occurredAt: '2025-06-02T17:22:00.000Z',
  });

const laCareMediCal: Coverage = { rosterPlan: 'LA_CARE', memberId: 'LAC100001', productLine: 'MEDI_CAL', coverageStart: '2025-01-01' };

function setUp() {
  const ports = {
    visits: new InMemoryVisitRecords(),
    ledger: new InMemoryLedger(),
    coverages: new InMemoryCoverages().add(laCareMediCal),
    services: new InMemoryServiceUses(),
    conflicts: new InMemoryConflicts(),
  };
  const changes = new DashboardChanges();
  const attribute = new AttributeVisitUseCase(
    ports.visits,
    ports.ledger,
    ports.coverages,
    ports.services,
    ports.conflicts,
    DEFAULT_ATTRIBUTION_POLICY,
    new AttributionMetrics(new MetricsRegistry()),
  );
  return { ...ports, changes, useCase: new RecordVisitEventsUseCase(ports.visits, ports.services, attribute, changes) };
}

/** What the plans' feeds say of the visit, revision by revision. */
const feed = (ledger: InMemoryLedger) =>
  (ledger.revisions.get(VISIT) ?? []).flatMap((revision) =>
    revision.feedEntries.map((entry) => (JSON.parse(entry.value) as { data: Record<string, unknown> }).data),
  );

describe('RecordVisitEventsUseCase', () => {
  it("joins a visit's events from every service and records its first revision, attribution in the same write as the facts", async () => {
    const { useCase, ledger, visits } = setUp();

    await useCase.execute([checkedIn(), wifiEnded(30)]);

    expect(feed(ledger)).toEqual([expect.objectContaining({ revision: 1, plan: 'LA_CARE', basis: 'ELIGIBILITY', telehealthWifiMinutes: 30 })]);
    expect(visits.get(VISIT)!.attribution).toMatchObject({ plan: 'LA_CARE', basis: 'ELIGIBILITY' });
    // No second write of the record for its attribution; no read of the ledger for a visit the batch created.
    expect(visits.attributionCopies).toEqual([]);
    expect(ledger.publishedOfCalls).toEqual([[]]);
  });

  it('changes nothing when a batch is delivered again', async () => {
    const { useCase, ledger, visits } = setUp();
    await useCase.execute([checkedIn(), checkedOut()]);
    const before = structuredClone(visits.get(VISIT));

    await useCase.execute([checkedIn(), checkedOut()]);

    expect(ledger.revisions.get(VISIT)).toHaveLength(1);
    expect(visits.get(VISIT)).toEqual(before);
  });

  it('still attributes a visit whose facts an earlier attempt wrote before it stopped (the redelivery finishes the work)', async () => {
    const { useCase, ledger, visits } = setUp();
    const event = checkedIn();
    // The earlier attempt: the facts are durable, the revision was never recorded.
    await visits.apply([visitEventFacts.checkedIn(event.envelope.id, event.envelope.data as never)]);

    await useCase.execute([event]);

    expect(feed(ledger)).toEqual([expect.objectContaining({ revision: 1, plan: 'LA_CARE' })]);
  });

  it('corrects the feed when a service of the visit arrives later: the help case is in revision 2', async () => {
    const { useCase, ledger } = setUp();
    await useCase.execute([checkedIn()]);

    await useCase.execute([helpResolved()]);

    expect(feed(ledger)).toEqual([
      expect.objectContaining({ revision: 1 }),
      expect.objectContaining({
        revision: 2,
        supersedes: `${VISIT}:1`,
        membershipHelp: [{ caseType: 'ID_CARD_REPLACEMENT', outcome: 'RESOLVED', minutes: 12 }],
      }),
    ]);
  });

  it('waits with a visit whose check-out overtook its check-in: nobody is told until the check-in says who came', async () => {
    const { useCase, ledger, visits } = setUp();

    await useCase.execute([checkedOut()]);
    expect(visits.get(VISIT)).toMatchObject({ checkInSeen: false });
    expect(ledger.revisions.size).toBe(0);

    await useCase.execute([checkedIn()]);
    expect(feed(ledger)).toEqual([expect.objectContaining({ revision: 1, plan: 'LA_CARE', checkedOutAt: '2025-06-02T18:00:00.000Z', memberId: 'LAC100001' })]);
  });

  it('records the facts only when asked not to attribute (a rebuild attributes each visit once, at the end)', async () => {
    const { useCase, ledger, visits, services } = setUp();

    await useCase.execute([checkedIn(), helpResolved()], { attribute: false });

    expect(visits.get(VISIT)).toMatchObject({ checkInSeen: true, memberId: 'LAC100001' });
    expect(visits.get(VISIT)!.attribution).toBeUndefined();
    expect(services.cases.docs.get('case-1')).toMatchObject({ visitId: VISIT, outcome: 'RESOLVED' });
    expect(ledger.revisions.size).toBe(0);
  });

  it('tells the live dashboards that something changed', async () => {
    jest.useFakeTimers();
    try {
      const { useCase, changes } = setUp();
      const heard = jest.fn();
      changes.subscribe(heard);

      await useCase.execute([checkedIn()]);
      jest.advanceTimersByTime(1000);

      expect(heard).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
