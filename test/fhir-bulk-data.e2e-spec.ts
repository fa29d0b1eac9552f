import { readFileSync } from 'node:fs';
import { aCheckIn, ApiResponse, devTokens, eventually, fhirR4Problems, seedFile } from '@crc/testing';
import { DEFAULT_FHIR_CANONICAL_BASE } from '@crc/attribution';
import type { PartnerPlan } from '@crc/contracts';
import { validateWithHapi } from './support/hapi-fhir-validator';
import { StoreAccess } from './support/store-access';
import { startTestSystem, TestSystem } from './support/test-system';

/** Where partners reach reporting in this test: every absolute URL of the FHIR endpoint uses it. */
const PUBLIC_BASE = 'https://partners.crc.test';
/** This deployment's own canonical base (FHIR_CANONICAL_BASE): every definition, coding and extension names it, never the placeholder. */
const CANONICAL_BASE = 'https://fhir.partners.crc.test/canonical';
const FHIR_JSON = /^application\/fhir\+json\b/;

type Resource = Record<string, any>;

/**
 * The FHIR Bulk Data endpoint as a plan's FHIR team meets it with its own tools: the
 * CapabilityStatement and the network's definitions, kick-off, status, files and cancel, every
 * error an OperationOutcome, and all of it accepted by HAPI FHIR's validator with the definitions
 * the service publishes.
 */
describe('FHIR Bulk Data endpoint', () => {
  const center = 'crc-inglewood';
  let system: TestSystem;
  /** Every OperationOutcome the tests below receive, for the validator at the end. */
  const outcomes: Resource[] = [];

  beforeAll(async () => {
    system = await startTestSystem(['checkin', 'reporting'], { PUBLIC_BASE_URL: PUBLIC_BASE, FHIR_CANONICAL_BASE: CANONICAL_BASE });
    for (const [plan, file] of [
      ['LA_CARE', 'la-care.ndjson'],
      ['BLUE_SHIELD_PROMISE', 'blue-shield-promise.ndjson'],
    ] as const) {
      await system
        .api('reporting', devTokens.partner(plan))
        .put(`/v1/partners/${plan}/eligibility`, readFileSync(seedFile('rosters', file), 'utf8'), { 'content-type': 'application/x-ndjson' });
    }
    const kiosk = system.api('checkin', devTokens.kiosk(center));
    const visits: string[] = [];
    for (const body of [
      aCheckIn({ memberId: 'LAC100001', purposes: ['EXERCISE_CLASS', 'HEALTH_SCREENING'] }),
      aCheckIn({ memberId: 'LAC100002', purposes: ['TELEHEALTH_WIFI'] }),
      aCheckIn({ memberId: 'LAC900009', selfReportedPlan: 'LA_CARE', purposes: ['MEMBERSHIP_HELP'] }),
      aCheckIn({ memberId: 'BSP200002', purposes: ['NUTRITION_CLASS'] }),
    ]) {
      const checkIn = await kiosk.post(`/v1/centers/${center}/check-ins`, body);
      expect(checkIn.status).toBe(201);
      visits.push(checkIn.body.visitId);
    }
    // A finished visit beside open ones: the Encounter has a period end, and a revision 2.
    expect((await kiosk.post(`/v1/centers/${center}/check-ins/${visits[0]}/check-out`, {})).status).toBe(200);
    const feed = async (plan: PartnerPlan) => (await partner(plan).get(`/v1/partners/${plan}/utilization?limit=1000`)).body.items as Resource[];
    await eventually(
      () => feed('LA_CARE'),
      (items) => new Set(items.map((r) => r.visitId)).size === 3 && items.some((r) => r.checkedOutAt),
      {
        what: "L.A. Care's three visits, one checked out",
      },
    );
    await eventually(
      () => feed('BLUE_SHIELD_PROMISE'),
      (items) => items.length === 1,
      { what: "Blue Shield Promise's visit" },
    );
  });

  afterAll(async () => {
    await system?.close();
  });

  const partner = (plan: PartnerPlan) => system.api('reporting', devTokens.partner(plan));
  const anonymous = () => system.api('reporting');
  const fhir = (plan: string) => `/v1/partners/${plan}/fhir`;
  const pathOf = (url: string) => new URL(url).pathname;

  /** An error answer: the status, an OperationOutcome in FHIR's media type, and the code where a client looks for it. */
  function expectOutcome(response: ApiResponse, status: number, code: string): Resource {
    expect([response.status, response.headers.get('content-type')]).toEqual([status, expect.stringMatching(FHIR_JSON)]);
    const outcome = response.body as Resource;
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0].details.coding).toEqual([{ system: `${CANONICAL_BASE}/CodeSystem/api-error`, code, display: expect.any(String) }]);
    expect(outcome.issue[0].diagnostics).toMatch(new RegExp(`^${code.replace('.', '\\.')}\\b`));
    expect(fhirR4Problems(outcome)).toEqual([]);
    outcomes.push(outcome);
    return outcome;
  }

  async function kickOff(plan: PartnerPlan): Promise<string> {
    const response = await partner(plan).get(`${fhir(plan)}/$export`, { accept: 'application/fhir+json', prefer: 'respond-async' });
    expect(response.status).toBe(202);
    return response.headers.get('content-location')!;
  }

  async function definitionsServed(plan: PartnerPlan): Promise<Resource[]> {
    const definitions: Resource[] = [];
    for (const type of ['CodeSystem', 'ValueSet', 'StructureDefinition']) {
      const bundle = await anonymous().get(`${fhir(plan)}/${type}`);
      expect([bundle.status, bundle.headers.get('content-type'), bundle.body.resourceType, bundle.body.type]).toEqual([
        200,
        expect.stringMatching(FHIR_JSON),
        'Bundle',
        'searchset',
      ]);
      for (const entry of bundle.body.entry as Resource[]) {
        expect(entry.fullUrl).toBe(`${PUBLIC_BASE}${fhir(plan)}/${type}/${entry.resource.id}`);
        const read = await anonymous().get(pathOf(entry.fullUrl));
        expect([read.status, read.body]).toEqual([200, entry.resource]);
        expect(read.body.url).toBe(`${CANONICAL_BASE}/${type}/${entry.resource.id}`);
        definitions.push(read.body);
      }
    }
    return definitions;
  }

  it('publishes its CapabilityStatement and the definitions of its codes and extensions, without a token', async () => {
    const metadata = await anonymous().get(`${fhir('LA_CARE')}/metadata`);
    expect([metadata.status, metadata.headers.get('content-type'), metadata.headers.get('cache-control')]).toEqual([
      200,
      expect.stringMatching(FHIR_JSON),
      'public, max-age=3600',
    ]);
    expect(metadata.body).toMatchObject({
      resourceType: 'CapabilityStatement',
      kind: 'instance',
      fhirVersion: '4.0.1',
      instantiates: ['http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data'],
      implementation: { url: `${PUBLIC_BASE}${fhir('LA_CARE')}` },
      url: `${CANONICAL_BASE}/CapabilityStatement/bulk-data`,
      rest: [{ mode: 'server', operation: [{ name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' }] }],
    });
    expect(metadata.body.rest[0].security.description).toMatch(/Bearer/);
    expect((await anonymous().get(`${fhir('BLUE_SHIELD_PROMISE')}/metadata`)).body.implementation.url).toBe(`${PUBLIC_BASE}${fhir('BLUE_SHIELD_PROMISE')}`);

    const definitions = await definitionsServed('LA_CARE');
    expect(definitions.map((d) => `${d.resourceType}/${d.id}`)).toEqual(
      expect.arrayContaining([
        'CodeSystem/visit-purpose',
        'CodeSystem/api-error',
        'ValueSet/plan',
        'StructureDefinition/attribution',
        'StructureDefinition/encounter-coverage',
      ]),
    );
    const byCanonical = await anonymous().get(`${fhir('LA_CARE')}/CodeSystem?url=${encodeURIComponent(`${CANONICAL_BASE}/CodeSystem/attribution-basis`)}`);
    expect(byCanonical.body.entry.map((e: Resource) => e.resource.id)).toEqual(['attribution-basis']);

    // Every code system and extension an exported Encounter names is one of them.
    const manifest = await partner('LA_CARE').get(pathOf(await kickOff('LA_CARE')));
    const encounters = await fileOf(manifest.body, 'Encounter');
    const published = new Set(definitions.map((d) => d.url));
    for (const encounter of encounters) {
      for (const extension of encounter.extension) expect(published).toContain(extension.url);
      for (const type of encounter.type) expect(published).toContain(type.coding[0].system);
    }
    // Under the configured base: the export's extensions and codings, and the definitions' own references.
    expect(encounters.flatMap((e) => e.extension.map((x: Resource) => x.url))).toEqual(
      expect.arrayContaining([`${CANONICAL_BASE}/StructureDefinition/attribution`, `${CANONICAL_BASE}/StructureDefinition/encounter-coverage`]),
    );
    expect(encounters.flatMap((e) => e.type.map((t: Resource) => t.coding[0].system))).toContain(`${CANONICAL_BASE}/CodeSystem/visit-purpose`);
    const attribution = definitions.find((d) => d.url === `${CANONICAL_BASE}/StructureDefinition/attribution`)!;
    expect(attribution.differential.element.find((e: Resource) => e.id === 'Extension.url').fixedUri).toBe(attribution.url);
    expect(JSON.stringify([metadata.body, definitions, encounters])).not.toContain(DEFAULT_FHIR_CANONICAL_BASE);
  });

  async function fileOf(manifest: Resource, type: string, plan: PartnerPlan = 'LA_CARE'): Promise<Resource[]> {
    const url = (manifest.output as Resource[]).find((o) => o.type === type)!.url as string;
    const file = await partner(plan).get(pathOf(url));
    expect([file.status, file.headers.get('content-type')]).toEqual([200, expect.stringContaining('application/fhir+ndjson')]);
    return (file.body as string)
      .split('\n')
      .filter((line) => line)
      .map((line) => JSON.parse(line) as Resource);
  }

  it("cancels an export with DELETE on its status URL: 202, then it is gone; no plan can see or cancel another plan's", async () => {
    const statusUrl = await kickOff('LA_CARE');
    const exportId = pathOf(statusUrl).split('/').pop()!;
    const manifest = (await partner('LA_CARE').get(pathOf(statusUrl))).body as Resource;
    const fileUrl = pathOf(manifest.output[0].url);

    // The other plan: refused on L.A. Care's path, and on its own path the export does not exist.
    const blueShield = partner('BLUE_SHIELD_PROMISE');
    expectOutcome(await blueShield.request('DELETE', pathOf(statusUrl)), 403, 'AUTH.WRONG_PLAN');
    expectOutcome(await blueShield.request('DELETE', `${fhir('BLUE_SHIELD_PROMISE')}/exports/${exportId}`), 404, 'FHIR.EXPORT_NOT_FOUND');
    expectOutcome(await blueShield.get(`${fhir('BLUE_SHIELD_PROMISE')}/exports/${exportId}`), 404, 'FHIR.EXPORT_NOT_FOUND');
    expectOutcome(await blueShield.get(`${fhir('BLUE_SHIELD_PROMISE')}/exports/${exportId}/Encounter.ndjson`), 404, 'FHIR.EXPORT_NOT_FOUND');
    expectOutcome(await anonymous().request('DELETE', pathOf(statusUrl)), 401, 'AUTH.UNAUTHENTICATED');
    expect((await partner('LA_CARE').get(pathOf(statusUrl))).status).toBe(200);

    const cancelled = await partner('LA_CARE').request('DELETE', pathOf(statusUrl));
    expect([cancelled.status, cancelled.headers.get('content-type'), cancelled.body.resourceType, cancelled.body.issue[0].severity]).toEqual([
      202,
      expect.stringMatching(FHIR_JSON),
      'OperationOutcome',
      'information',
    ]);
    outcomes.push(cancelled.body);
    expectOutcome(await partner('LA_CARE').get(pathOf(statusUrl)), 404, 'FHIR.EXPORT_NOT_FOUND');
    expectOutcome(await partner('LA_CARE').get(fileUrl), 404, 'FHIR.EXPORT_NOT_FOUND');
    expectOutcome(await partner('LA_CARE').request('DELETE', pathOf(statusUrl)), 404, 'FHIR.EXPORT_NOT_FOUND');
    expectOutcome(await partner('LA_CARE').request('DELETE', `${fhir('LA_CARE')}/exports/6f1c0c1e-0000-4000-8000-000000000000`), 404, 'FHIR.EXPORT_NOT_FOUND');

    // Kept for audit: who cancelled it, and when.
    const store = await StoreAccess.open(system, 'reporting');
    try {
      const stored = await store.collection('fhir_exports').findOne({ _id: exportId as never });
      expect(stored).toMatchObject({ plan: 'LA_CARE', cancelledBy: 'partner:LA_CARE:0', cancelledAt: expect.any(Date) });
    } finally {
      await store.close();
    }

    // Cancels at once: exactly one wins (on FerretDB, whose updates are not atomic, two could match).
    const another = pathOf(await kickOff('LA_CARE'));
    const statuses = (await Promise.all(Array.from({ length: 8 }, () => partner('LA_CARE').request('DELETE', another)))).map((r) => r.status).sort();
    expect(statuses).toEqual([202, 404, 404, 404, 404, 404, 404, 404]);
  });

  it('answers every error of its routes as an OperationOutcome, with the status and code of the service, echoing nothing sent', async () => {
    const laCare = partner('LA_CARE');
    expectOutcome(await anonymous().get(`${fhir('LA_CARE')}/$export`), 401, 'AUTH.UNAUTHENTICATED');
    expectOutcome(await partner('BLUE_SHIELD_PROMISE').get(`${fhir('LA_CARE')}/$export`), 403, 'AUTH.WRONG_PLAN');
    expectOutcome(await system.api('reporting', devTokens.ops()).get(`${fhir('LA_CARE')}/$export`), 403, 'AUTH.ROLE_NOT_ALLOWED');
    expectOutcome(await laCare.get(`${fhir('LA_CARE')}/$export?_type=Observation`), 400, 'FHIR.UNSUPPORTED_TYPE');
    const since = expectOutcome(await laCare.get(`${fhir('LA_CARE')}/$export?_since=LAC100001`), 400, 'REQUEST.VALIDATION_FAILED');
    expect(since.issue[0].diagnostics).toMatch(/^REQUEST\.VALIDATION_FAILED _since: /);
    expect(JSON.stringify(since)).not.toContain('LAC100001');
    expectOutcome(await laCare.get(`${fhir('LA_CARE')}/exports/nope`), 404, 'FHIR.EXPORT_NOT_FOUND');
    expectOutcome(await laCare.get(`${fhir('LA_CARE')}/exports/nope/Encounter.ndjson`), 404, 'FHIR.EXPORT_NOT_FOUND');
    expectOutcome(await anonymous().get(`${fhir('NOPE')}/metadata`), 404, 'PLAN.NOT_FOUND');
    expectOutcome(await anonymous().get(`${fhir('LA_CARE')}/CodeSystem/nope`), 404, 'FHIR.DEFINITION_NOT_FOUND');
    expectOutcome(await anonymous().get(`${fhir('LA_CARE')}/Patient`), 404, 'FHIR.DEFINITION_NOT_FOUND');
    // Failures raised before any of our code runs: no route, a body Fastify cannot read.
    expectOutcome(await laCare.unchecked().post(`${fhir('LA_CARE')}/$export`, {}), 404, 'ROUTE.NOT_FOUND');
    expectOutcome(await laCare.unchecked().get(`${fhir('LA_CARE')}/exports/a/b/c`), 404, 'ROUTE.NOT_FOUND');
    expectOutcome(
      await laCare.unchecked().request('DELETE', `${fhir('LA_CARE')}/exports/nope`, '{"not json', { 'content-type': 'application/json' }),
      400,
      'REQUEST.INVALID_JSON',
    );
    // Everywhere else, the service's own error shape is unchanged.
    const elsewhere = await anonymous().get('/v1/partners/LA_CARE/utilization');
    expect([elsewhere.status, elsewhere.headers.get('content-type'), elsewhere.body.error?.code]).toEqual([
      401,
      expect.stringContaining('application/json'),
      'AUTH.UNAUTHENTICATED',
    ]);
  });

  it("is accepted by HAPI FHIR's validator with the definitions the service publishes: no error, no warning, nothing unknown", async () => {
    const definitions = await definitionsServed('BLUE_SHIELD_PROMISE');
    const exported: Resource[] = [];
    for (const plan of ['LA_CARE', 'BLUE_SHIELD_PROMISE'] as const) {
      const manifest = (await partner(plan).get(pathOf(await kickOff(plan)))).body as Resource;
      for (const type of ['Encounter', 'Patient', 'Coverage']) exported.push(...(await fileOf(manifest, type, plan)));
    }
    const types = exported.map((r) => r.resourceType);
    expect(types.filter((t) => t === 'Encounter')).toHaveLength(4);
    expect(types).toEqual(expect.arrayContaining(['Patient', 'Coverage']));
    expect(outcomes.length).toBeGreaterThan(15);
    const served = [
      (await anonymous().get(`${fhir('LA_CARE')}/metadata`)).body,
      (await anonymous().get(`${fhir('LA_CARE')}/StructureDefinition`)).body,
      ...definitions,
    ];
    // Controls: the validator must catch what the definitions forbid, or its silence proves nothing.
    const encounter = exported.find((r) => r.resourceType === 'Encounter')!;
    const wrongFlag = structuredClone(encounter);
    wrongFlag.extension[0].extension.push({ url: 'flag', valueCode: 'NOT_A_FLAG' });
    const unknownExtension = {
      ...structuredClone(encounter),
      extension: [...encounter.extension, { url: `${CANONICAL_BASE}/StructureDefinition/unpublished`, valueString: 'x' }],
    };
    const wrongPurpose = structuredClone(encounter);
    wrongPurpose.type[0].coding[0].code = 'KARAOKE';

    const checked = [...exported, ...outcomes, ...served];
    // The placeholder base appears nowhere: not in an export, an error or a definition.
    expect(JSON.stringify(checked)).not.toContain(DEFAULT_FHIR_CANONICAL_BASE);
    const findings = await validateWithHapi(definitions, [...checked, wrongFlag, unknownExtension, wrongPurpose], (line) =>
      process.stderr.write(`[fhir] ${line}\n`),
    );
    const problems = checked.flatMap((resource, i) =>
      findings[i].map((f) => `${resource.resourceType}/${resource.id ?? i} ${f.severity} ${f.location}: ${f.message}`),
    );
    expect(problems).toEqual([]);
    const [flagFindings, extensionFindings, purposeFindings] = findings.slice(checked.length);
    expect(
      flagFindings
        .filter((f) => f.severity === 'ERROR')
        .map((f) => f.message)
        .join('\n'),
    ).toMatch(/NOT_A_FLAG/);
    expect(
      extensionFindings
        .filter((f) => f.severity === 'ERROR')
        .map((f) => f.message)
        .join('\n'),
    ).toMatch(/unpublished/);
    expect(
      purposeFindings
        .filter((f) => f.severity === 'ERROR')
        .map((f) => f.message)
        .join('\n'),
    ).toMatch(/KARAOKE/);
  }, 600_000);
});
