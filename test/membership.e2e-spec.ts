import { randomUUID } from 'node:crypto';
import { HelpRequestedV1Event, HelpResolvedV1Event, HelpStatusChangedV1Event, serviceDateOf } from '@crc/contracts';
import { aHelpCase, ApiClient, devTokens } from '@crc/testing';
import { StoreAccess } from './support/store-access';
import { startTestSystem, TestSystem } from './support/test-system';
import { ProbedMessage, TopicProbe } from './support/topic-probe';

/**
 * The front desk's help queue: a case from the kiosk to its resolution, every step on Kafka once
 * and in order, nothing of the notes anywhere but the staff's screen, whatever is retried or raced.
 */
describe('membership-help service', () => {
  const center = 'crc-el-monte';
  const cases = `/v1/centers/${center}/help-cases`;
  let system: TestSystem;
  let kiosk: ApiClient;
  let staff: ApiClient;
  let probe: TopicProbe;
  let store: StoreAccess;

  beforeAll(async () => {
    system = await startTestSystem(['membership']);
    kiosk = system.api('membership', devTokens.kiosk(center));
    staff = system.api('membership', devTokens.staff(center));
    probe = await TopicProbe.start(
      system.kafkaBrokers,
      [HelpRequestedV1Event, HelpStatusChangedV1Event, HelpResolvedV1Event].map((d) => `${system.prefix}.${d.topic}`),
    );
    store = await StoreAccess.open(system, 'membership');
  });

  afterAll(async () => {
    await store?.close();
    await probe?.stop();
    await system?.close();
  });

  const settle = () => new Promise((resolve) => setTimeout(resolve, 1000));
  /**
   * A probe reading several topics may receive them in any order; the timestamps give the
   * publishing order (the relay sends each event only after the one before was acknowledged).
   * Within one millisecond they say nothing, so ties fall back to the lifecycle's order.
   */
  const LIFECYCLE = [HelpRequestedV1Event.topic, HelpStatusChangedV1Event.topic, HelpResolvedV1Event.topic];
  const inPublishingOrder = (messages: ProbedMessage[]) =>
    [...messages].sort((a, b) => a.timestamp - b.timestamp || LIFECYCLE.indexOf(a.envelope.type) - LIFECYCLE.indexOf(b.envelope.type) || a.offset - b.offset);
  const ofType = (messages: ProbedMessage[], type: string) => messages.filter((m) => m.envelope.type === type);
  const resolvedEventsOf = (caseId: string) => ofType(probe.about(caseId), HelpResolvedV1Event.topic);
  const openCase = async (client: ApiClient, body = aHelpCase(), path = cases) => {
    const response = await client.post(path, body);
    expect(response.status).toBe(201);
    return response.body as { caseId: string; openedAt: string };
  };
  const takeUp = async (caseId: string, client = staff, path = cases) => {
    const response = await client.post(`${path}/${caseId}/assign`, {});
    expect(response.status).toBe(200);
    return response.body;
  };

  describe('a case from the kiosk to its resolution', () => {
    it('moves through its statuses, publishing each step in order, keyed by the visit, with the minutes spent', async () => {
      const visitId = randomUUID();
      const opened = await kiosk.post(cases, aHelpCase({ caseType: 'PCP_CHANGE', visitId }));
      expect(opened.status).toBe(201);
      expect(opened.body).toMatchObject({ centerId: center, visitId, caseType: 'PCP_CHANGE', status: 'OPEN', requestedVia: 'KIOSK', noteCount: 0 });
      expect(opened.body.serviceDate).toBe(serviceDateOf(new Date(opened.body.openedAt)));
      const { caseId } = opened.body;
      expect(opened.headers.get('location')).toBe(`${cases}/${caseId}`);

      const assigned = await staff.post(`${cases}/${caseId}/assign`, { assignee: 'maria.g' });
      expect(assigned.status).toBe(200);
      expect(assigned.body).toMatchObject({ status: 'IN_PROGRESS', assignee: 'maria.g' });
      expect(assigned.body.startedAt).toBeDefined();

      const secret = `Member said her new address is 1234 Elm St, apt ${randomUUID().slice(0, 4)}`;
      const noted = await staff.post(`${cases}/${caseId}/notes`, { note: secret });
      expect(noted.status).toBe(201);
      expect(noted.body).toMatchObject({ caseId, noteCount: 1 });
      expect(JSON.stringify(noted.body)).not.toContain(secret);

      const closingNote = `PCP changed to Dr. ${randomUUID().slice(0, 6)}`;
      const resolved = await staff.post(`${cases}/${caseId}/resolve`, { outcome: 'SUBMITTED', note: closingNote });
      expect(resolved.status).toBe(200);
      expect(resolved.body).toMatchObject({ status: 'RESOLVED', outcome: 'SUBMITTED', minutesSpent: 0, noteCount: 2 });
      expect(resolved.body.closedAt).toBeDefined();
      expect(JSON.stringify(resolved.body)).not.toContain(closingNote);

      // Staff read the notes; the kiosk does not.
      const asStaff = await staff.get(`${cases}/${caseId}`);
      expect(asStaff.body.notes.map((n: { note: string }) => n.note)).toEqual([secret, closingNote]);
      expect(asStaff.body.notes[0].addedBy).toMatch(/^staff:crc-el-monte:/);
      const asKiosk = await kiosk.get(`${cases}/${caseId}`);
      expect(asKiosk.status).toBe(200);
      expect(asKiosk.body).toMatchObject({ caseId, status: 'RESOLVED' });
      expect(asKiosk.body).not.toHaveProperty('notes');
      expect(JSON.stringify(asKiosk.body)).not.toContain(secret);

      await probe.waitFor(() => probe.about(caseId).length >= 4, 'the four events of the case');
      await settle();
      // In the order they happened (the relay publishes each only after the one before was acknowledged).
      const events = inPublishingOrder(probe.about(caseId));
      expect(events.map((m) => [m.envelope.type, m.envelope.data.fromStatus, m.envelope.data.toStatus])).toEqual([
        [HelpRequestedV1Event.topic, undefined, undefined],
        [HelpStatusChangedV1Event.topic, 'OPEN', 'IN_PROGRESS'],
        [HelpStatusChangedV1Event.topic, 'IN_PROGRESS', 'RESOLVED'],
        [HelpResolvedV1Event.topic, undefined, undefined],
      ]);
      // One partition key for the visit's events.
      expect(new Set(events.map((m) => m.key))).toEqual(new Set([visitId]));
      for (const m of events) {
        expect(m.envelope).toMatchObject({ specversion: '1.0', source: '/crc/membership', subject: caseId, datacontenttype: 'application/json' });
        expect(m.headers['ce-id']).toBe(m.envelope.id);
        expect(m.envelope.data).toMatchObject({ caseId, visitId, centerId: center, serviceDate: opened.body.serviceDate });
      }
      expect(events[0].envelope.data).toMatchObject({ caseType: 'PCP_CHANGE', requestedVia: 'KIOSK', occurredAt: opened.body.openedAt });
      expect(events[3].envelope.data).toEqual({
        caseId,
        visitId,
        centerId: center,
        serviceDate: opened.body.serviceDate,
        caseType: 'PCP_CHANGE',
        status: 'RESOLVED',
        outcome: 'SUBMITTED',
        openedAt: opened.body.openedAt,
        startedAt: assigned.body.startedAt,
        minutesSpent: 0,
        occurredAt: resolved.body.closedAt,
        recordedAt: resolved.body.closedAt,
      });
      // Notes may hold PHI: never on Kafka.
      const onTheWire = JSON.stringify(probe.messages);
      expect(onTheWire).not.toContain(secret);
      expect(onTheWire).not.toContain(closingNote);
    });

    it("keys a walk-in's events by the case, and closes a case nobody took up with no minutes", async () => {
      const { caseId } = await openCase(staff, aHelpCase({ caseType: 'BENEFITS_QUESTION' }));
      const abandoned = await staff.post(`${cases}/${caseId}/abandon`, {});
      expect(abandoned.status).toBe(200);
      expect(abandoned.body).toMatchObject({ status: 'ABANDONED', outcome: 'ABANDONED', minutesSpent: 0, requestedVia: 'STAFF' });
      expect(abandoned.body).not.toHaveProperty('visitId');

      // Three topics, so three partitions: the resolution may reach the probe before the status change.
      await probe.waitFor(() => probe.about(caseId).length >= 3, 'the three events of the walk-in');
      const events = inPublishingOrder(probe.about(caseId));
      expect(events.map((m) => m.envelope.type)).toEqual([HelpRequestedV1Event.topic, HelpStatusChangedV1Event.topic, HelpResolvedV1Event.topic]);
      expect(new Set(events.map((m) => m.key))).toEqual(new Set([caseId]));
      expect(events[2].envelope.data).toMatchObject({ status: 'ABANDONED', outcome: 'ABANDONED', minutesSpent: 0 });
      expect(events[2].envelope.data).not.toHaveProperty('startedAt');
      expect(events[2].envelope.data).not.toHaveProperty('visitId');
    });

    it("escalates to the member's plan", async () => {
      const { caseId } = await openCase(kiosk, aHelpCase({ caseType: 'GRIEVANCE_INTAKE', visitId: randomUUID() }));
      // No body at all: the caller takes the case up.
      const assigned = await staff.post(`${cases}/${caseId}/assign`);
      expect(assigned.status).toBe(200);
      expect(assigned.body.assignee).toMatch(/^staff:crc-el-monte:/);
      const escalated = await staff.post(`${cases}/${caseId}/escalate`, { plan: 'BLUE_SHIELD_PROMISE' });
      expect(escalated.status).toBe(200);
      expect(escalated.body).toMatchObject({ status: 'ESCALATED', outcome: 'ESCALATED_TO_PLAN', escalatedTo: 'BLUE_SHIELD_PROMISE' });
      const [event] = await probe.waitFor(() => resolvedEventsOf(caseId).length >= 1, 'help-resolved').then(() => resolvedEventsOf(caseId));
      expect(event.envelope.data).toMatchObject({
        status: 'ESCALATED',
        outcome: 'ESCALATED_TO_PLAN',
        escalatedTo: 'BLUE_SHIELD_PROMISE',
        caseType: 'GRIEVANCE_INTAKE',
      });
    });
  });

  describe('impossible transitions', () => {
    it('are conflicts with a stable code, and publish nothing', async () => {
      const { caseId } = await openCase(kiosk, aHelpCase({ visitId: randomUUID() }));
      const early = await staff.post(`${cases}/${caseId}/resolve`, { outcome: 'RESOLVED' });
      expect(early.status).toBe(409);
      expect(early.body.error).toMatchObject({
        code: 'CASE.INVALID_TRANSITION',
        details: { status: 'OPEN', action: 'resolve', allowedFrom: ['IN_PROGRESS'] },
      });
      expect((await staff.post(`${cases}/${caseId}/escalate`, { plan: 'LA_CARE' })).status).toBe(409);

      await takeUp(caseId);
      expect((await staff.post(`${cases}/${caseId}/resolve`, { outcome: 'INFORMATION_PROVIDED' })).status).toBe(200);
      for (const [action, body] of [
        ['resolve', { outcome: 'RESOLVED' }],
        ['escalate', { plan: 'LA_CARE' }],
        ['abandon', {}],
        ['assign', {}],
      ] as const) {
        const again = await staff.post(`${cases}/${caseId}/${action}`, body);
        expect(again.status).toBe(409);
        expect(again.body.error).toMatchObject({ code: 'CASE.INVALID_TRANSITION', details: { status: 'RESOLVED', action } });
        expect(again.body.error.message).toContain('RESOLVED');
      }
      // A closed case still takes notes.
      expect((await staff.post(`${cases}/${caseId}/notes`, { note: 'called back, all good' })).status).toBe(201);

      await probe.waitFor(() => resolvedEventsOf(caseId).length >= 1, 'help-resolved');
      await settle();
      expect(resolvedEventsOf(caseId)).toHaveLength(1);
      expect(ofType(probe.about(caseId), HelpStatusChangedV1Event.topic)).toHaveLength(2);
    });

    it('answers an unknown or malformed case with 404, and bad bodies with the failing fields', async () => {
      for (const id of [randomUUID(), 'not-a-uuid']) {
        const response = await staff.post(`${cases}/${id}/assign`, {});
        expect(response.status).toBe(404);
        expect(response.body.error.code).toBe('CASE.NOT_FOUND');
        expect((await staff.get(`${cases}/${id}`)).body.error.code).toBe('CASE.NOT_FOUND');
      }
      const { caseId } = await openCase(kiosk);
      await takeUp(caseId);
      const badOutcome = await staff.post(`${cases}/${caseId}/resolve`, { outcome: 'DONE' });
      expect(badOutcome.status).toBe(400);
      expect(badOutcome.body.error.code).toBe('REQUEST.VALIDATION_FAILED');
      expect(badOutcome.body.error.details).toEqual([{ field: 'outcome', problems: [expect.stringContaining('outcome must be one of')] }]);
      const unknownField = await kiosk.post(cases, { ...aHelpCase(), memberId: 'LAC100001' });
      expect(unknownField.status).toBe(400);
      expect(unknownField.body.error.details).toEqual([{ field: 'memberId', problems: [expect.stringContaining('should not exist')] }]);
      const badType = await kiosk.post(cases, { caseType: 'TAXES' });
      expect(badType.status).toBe(400);
      const emptyNote = await staff.post(`${cases}/${caseId}/notes`, { note: '' });
      expect(emptyNote.status).toBe(400);
    });
  });

  describe('retries and races', () => {
    it('opens one case for a retried key, and publishes it once', async () => {
      const key = randomUUID();
      const body = aHelpCase({ caseType: 'ID_CARD_REPLACEMENT', visitId: randomUUID() });
      const taps = await Promise.all(Array.from({ length: 5 }, () => kiosk.post(cases, body, { 'idempotency-key': key })));
      expect(taps.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(taps.map((r) => r.body.caseId)).size).toBe(1);
      const later = await kiosk.post(cases, body, { 'idempotency-key': key });
      expect(later.status).toBe(201);
      expect(later.body).toEqual(taps[0].body);
      expect(later.headers.get('idempotent-replayed')).toBe('true');

      const reused = await kiosk.post(cases, aHelpCase({ caseType: 'OTHER' }), { 'idempotency-key': key });
      expect(reused.status).toBe(422);
      expect(reused.body.error.code).toBe('IDEMPOTENCY.KEY_REUSED');

      const { caseId } = taps[0].body;
      await probe.waitFor(() => probe.about(caseId).length >= 1, 'help-requested');
      await settle();
      expect(probe.about(caseId)).toHaveLength(1);
    });

    it('resolves once for a retried key', async () => {
      const { caseId } = await openCase(kiosk, aHelpCase({ visitId: randomUUID() }));
      await takeUp(caseId);
      const key = randomUUID();
      const first = await staff.post(`${cases}/${caseId}/resolve`, { outcome: 'REFERRED' }, { 'idempotency-key': key });
      const retry = await staff.post(`${cases}/${caseId}/resolve`, { outcome: 'REFERRED' }, { 'idempotency-key': key });
      expect(first.status).toBe(200);
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      await probe.waitFor(() => resolvedEventsOf(caseId).length >= 1, 'help-resolved');
      await settle();
      expect(resolvedEventsOf(caseId)).toHaveLength(1);
    });

    it('lets exactly one of many simultaneous resolutions through, and loses none of many simultaneous notes', async () => {
      const { caseId } = await openCase(kiosk);
      await takeUp(caseId);
      const notes = await Promise.all(Array.from({ length: 20 }, (_, i) => staff.post(`${cases}/${caseId}/notes`, { note: `note ${i}` })));
      expect(notes.every((r) => r.status === 201)).toBe(true);
      expect((await staff.get(`${cases}/${caseId}`)).body.notes).toHaveLength(20);

      const outcomes = ['RESOLVED', 'SUBMITTED', 'REFERRED', 'INFORMATION_PROVIDED'] as const;
      const racing = await Promise.all(Array.from({ length: 10 }, (_, i) => staff.post(`${cases}/${caseId}/resolve`, { outcome: outcomes[i % 4] })));
      expect(racing.filter((r) => r.status === 200)).toHaveLength(1);
      expect(racing.filter((r) => r.status === 409)).toHaveLength(9);
      const winner = racing.find((r) => r.status === 200)!.body;
      await probe.waitFor(() => resolvedEventsOf(caseId).length >= 1, 'help-resolved');
      await settle();
      expect(resolvedEventsOf(caseId)).toHaveLength(1);
      expect(resolvedEventsOf(caseId)[0].envelope.data.outcome).toBe(winner.outcome);
    });
  });

  describe('the queue', () => {
    const pomona = '/v1/centers/crc-pomona/help-cases';

    it("lists the center's open and in-progress cases, oldest first, with how long each has waited", async () => {
      const pomonaKiosk = system.api('membership', devTokens.kiosk('crc-pomona'));
      const pomonaStaff = system.api('membership', devTokens.staff('crc-pomona'));
      const a = await openCase(pomonaKiosk, aHelpCase(), pomona);
      const b = await openCase(pomonaKiosk, aHelpCase({ caseType: 'CONTACT_UPDATE' }), pomona);
      const c = await openCase(pomonaKiosk, aHelpCase(), pomona);
      await takeUp(b.caseId, pomonaStaff, pomona);
      expect((await pomonaStaff.post(`${pomona}/${c.caseId}/abandon`, {})).status).toBe(200);
      expect((await pomonaStaff.post(`${pomona}/${b.caseId}/notes`, { note: 'queue must not show this' })).status).toBe(201);
      // The first visitor has been waiting for 50 minutes.
      await store.backdate('help_cases', a.caseId, { openedAt: new Date(Date.now() - 50 * 60_000) });

      const queue = await pomonaStaff.get(pomona);
      expect(queue.status).toBe(200);
      expect(queue.body.centerId).toBe('crc-pomona');
      expect(queue.body.items.map((i: { caseId: string }) => i.caseId)).toEqual([a.caseId, b.caseId]);
      const [first, second] = queue.body.items;
      expect(first).toMatchObject({ status: 'OPEN', caseType: 'ENROLMENT_OR_RENEWAL' });
      expect(second).toMatchObject({ status: 'IN_PROGRESS', caseType: 'CONTACT_UPDATE' });
      expect(first.waitingSeconds).toBeGreaterThanOrEqual(50 * 60);
      expect(first.waitingSeconds).toBeLessThan(52 * 60);
      expect(second.waitingSeconds).toBeGreaterThanOrEqual(0);
      expect(second.waitingSeconds).toBeLessThan(60);
      expect(JSON.stringify(queue.body)).not.toContain('queue must not show this');

      const fromKiosk = await pomonaKiosk.get(pomona);
      expect(fromKiosk.status).toBe(403);
      expect(fromKiosk.body.error.code).toBe('AUTH.ROLE_NOT_ALLOWED');
    });
  });

  describe('minutes of help', () => {
    it('reach Kafka exactly once per case of a visit, as spent', async () => {
      const compton = '/v1/centers/crc-compton/help-cases';
      const comptonKiosk = system.api('membership', devTokens.kiosk('crc-compton'));
      const comptonStaff = system.api('membership', devTokens.staff('crc-compton'));
      const visitId = randomUUID();
      const renewal = await openCase(comptonKiosk, aHelpCase({ caseType: 'ENROLMENT_OR_RENEWAL', visitId }), compton);
      const card = await openCase(comptonKiosk, aHelpCase({ caseType: 'ID_CARD_REPLACEMENT', visitId }), compton);
      const question = await openCase(comptonKiosk, aHelpCase({ caseType: 'BENEFITS_QUESTION', visitId }), compton);
      for (const { caseId } of [renewal, card, question]) await takeUp(caseId, comptonStaff, compton);
      // Staff took the renewal up 25 minutes ago and the card 12 minutes ago.
      await store.backdate('help_cases', renewal.caseId, { startedAt: new Date(Date.now() - 25 * 60_000) });
      await store.backdate('help_cases', card.caseId, { startedAt: new Date(Date.now() - 12 * 60_000) });

      // Double taps, retries and a race between two staff members.
      const resolveKey = randomUUID();
      const resolving = await Promise.all([
        ...Array.from({ length: 3 }, () =>
          comptonStaff.post(`${compton}/${renewal.caseId}/resolve`, { outcome: 'SUBMITTED' }, { 'idempotency-key': resolveKey }),
        ),
        comptonStaff.post(`${compton}/${renewal.caseId}/abandon`, {}),
      ]);
      expect(resolving.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
      const escalateKey = randomUUID();
      for (let i = 0; i < 2; i++) {
        expect((await comptonStaff.post(`${compton}/${card.caseId}/escalate`, { plan: 'LA_CARE' }, { 'idempotency-key': escalateKey })).status).toBe(200);
      }
      expect((await comptonStaff.post(`${compton}/${question.caseId}/resolve`, { outcome: 'INFORMATION_PROVIDED' })).status).toBe(200);

      const ofVisit = () => probe.messages.filter((m) => m.key === visitId && m.envelope.type === HelpResolvedV1Event.topic);
      await probe.waitFor(() => ofVisit().length >= 3, 'help-resolved of the three cases');
      await settle();
      const closed = ofVisit();
      expect(closed).toHaveLength(3);
      expect(new Set(closed.map((m) => m.envelope.id)).size).toBe(3);
      const minutes = Object.fromEntries(closed.map((m) => [m.envelope.data.caseId, m.envelope.data.minutesSpent]));
      expect(minutes).toEqual({ [renewal.caseId]: 25, [card.caseId]: 12, [question.caseId]: 0 });
      // What the service shows is what was published.
      for (const { caseId } of [renewal, card, question]) {
        expect((await comptonStaff.get(`${compton}/${caseId}`)).body.minutesSpent).toBe(minutes[caseId]);
      }
    });
  });

  describe('who may do what', () => {
    it("refuses another center's token, staff routes to the kiosk, and no token at all", async () => {
      const { caseId } = await openCase(kiosk);
      const pomonaKiosk = system.api('membership', devTokens.kiosk('crc-pomona'));
      const pomonaStaff = system.api('membership', devTokens.staff('crc-pomona'));

      const wrongCenter = await pomonaKiosk.post(cases, aHelpCase());
      expect(wrongCenter.status).toBe(403);
      expect(wrongCenter.body.error.code).toBe('AUTH.WRONG_CENTER');
      const wrongStaff = await pomonaStaff.post(`${cases}/${caseId}/assign`, {});
      expect(wrongStaff.status).toBe(403);
      expect(wrongStaff.body.error.code).toBe('AUTH.WRONG_CENTER');
      // Through its own center's route, another center's case does not exist.
      expect((await pomonaStaff.get(`/v1/centers/crc-pomona/help-cases/${caseId}`)).status).toBe(404);
      expect((await pomonaStaff.post(`/v1/centers/crc-pomona/help-cases/${caseId}/assign`, {})).status).toBe(404);

      const kioskAssigns = await kiosk.post(`${cases}/${caseId}/assign`, {});
      expect(kioskAssigns.status).toBe(403);
      expect(kioskAssigns.body.error.code).toBe('AUTH.ROLE_NOT_ALLOWED');
      const anonymous = await system.api('membership').post(cases, aHelpCase());
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe('AUTH.UNAUTHENTICATED');
      const partner = await system.api('membership', devTokens.partner('LA_CARE')).get(`${cases}/${caseId}`);
      expect(partner.status).toBe(403);
      expect((await staff.get(`${cases}/${caseId}`)).body.status).toBe('OPEN');
    });
  });

  describe('the OpenAPI document', () => {
    it('describes every route, the idempotency header, the error responses and the schemas', async () => {
      const doc = (await system.api('membership').get('/docs-json')).body;
      expect(Object.keys(doc.paths).sort()).toEqual(
        [
          '/health',
          '/v1/centers/{centerId}/help-cases',
          '/v1/centers/{centerId}/help-cases/{caseId}',
          '/v1/centers/{centerId}/help-cases/{caseId}/abandon',
          '/v1/centers/{centerId}/help-cases/{caseId}/assign',
          '/v1/centers/{centerId}/help-cases/{caseId}/escalate',
          '/v1/centers/{centerId}/help-cases/{caseId}/notes',
          '/v1/centers/{centerId}/help-cases/{caseId}/resolve',
        ].sort(),
      );
      const open = doc.paths['/v1/centers/{centerId}/help-cases'].post;
      expect(open.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['centerId', 'Idempotency-Key']));
      expect(Object.keys(open.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '404', '422']));
      expect(open.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/OpenHelpCaseRequest');
      const resolve = doc.paths['/v1/centers/{centerId}/help-cases/{caseId}/resolve'].post;
      expect(Object.keys(resolve.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '409', '422']));
      expect(resolve.responses['409'].description).toContain('CASE.INVALID_TRANSITION');
      expect(resolve.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['centerId', 'caseId', 'Idempotency-Key']));
      for (const action of ['assign', 'notes', 'escalate', 'abandon']) {
        const op = doc.paths[`/v1/centers/{centerId}/help-cases/{caseId}/${action}`].post;
        expect(op.parameters.map((p: { name: string }) => p.name)).toContain('Idempotency-Key');
        expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '401', '403', '404', '422']));
      }
      expect(doc.components.schemas.ResolveHelpCaseRequest.properties.outcome.enum).toEqual(['RESOLVED', 'SUBMITTED', 'REFERRED', 'INFORMATION_PROVIDED']);
      expect(doc.components.schemas.ResolveHelpCaseRequest.properties.note).toBeDefined();
      expect(doc.components.schemas.HelpQueueItem.properties.waitingSeconds).toBeDefined();
      expect(doc.components.schemas.ApiErrorResponse).toBeDefined();
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    });
  });
});
