import { readFileSync } from 'node:fs';
import { get as httpGet, IncomingHttpHeaders } from 'node:http';
import { serviceDateOf } from '@crc/contracts';
import { aCheckIn, devTokens, eventually, fhirR4Problems, idsAndReferences, seedFile } from '@crc/testing';
import { StoreAccess } from './support/store-access';
import { startTestSystem, TestSystem } from './support/test-system';

/** Where partners reach reporting in this test: the FHIR export's absolute URLs must use it, whatever Host a request names. */
const PUBLIC_BASE = 'https://partners.crc.test';

/** A GET with a Host header of our choosing (fetch would not send one). */
function getWithHost(url: string, host: string, token: string): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const request = httpGet(
      url,
      { headers: { host, authorization: `Bearer ${token}`, prefer: 'respond-async', accept: 'application/fhir+json' } },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
      },
    );
    request.on('error', reject);
  });
}

/** What a plan pulls: the same feed as JSON, NDJSON or CSV, a monthly summary, and the ledger of it all. */
describe('partner utilization feed', () => {
  const center = 'crc-inglewood';
  let system: TestSystem;
  const today = serviceDateOf(new Date());

  beforeAll(async () => {
    system = await startTestSystem(['checkin', 'reporting'], { PUBLIC_BASE_URL: PUBLIC_BASE });
    for (const [plan, file] of [
      ['LA_CARE', 'la-care.ndjson'],
      ['BLUE_SHIELD_PROMISE', 'blue-shield-promise.ndjson'],
    ] as const) {
      await system
        .api('reporting', devTokens.partner(plan))
        .put(`/v1/partners/${plan}/eligibility`, readFileSync(seedFile('rosters', file), 'utf8'), { 'content-type': 'application/x-ndjson' });
    }
    const kiosk = system.api('checkin', devTokens.kiosk(center));
    const visits = [
      ...Array.from({ length: 12 }, () => aCheckIn({ memberId: 'LAC100001', purposes: ['EXERCISE_CLASS'] })),
      ...Array.from({ length: 3 }, () => aCheckIn({ memberId: 'LAC100002', purposes: ['HEALTH_SCREENING'] })),
      ...Array.from({ length: 12 }, () => aCheckIn({ purposes: ['TELEHEALTH_WIFI'] })),
      aCheckIn({ memberId: 'BSP200002' }),
    ];
    for (const body of visits) expect((await kiosk.post(`/v1/centers/${center}/check-ins`, body)).status).toBe(201);
    await eventually(
      async () => (await system.api('reporting', devTokens.partner('LA_CARE')).get('/v1/partners/LA_CARE/utilization?limit=1000')).body.items.length,
      (n) => n === 15,
      { what: '15 L.A. Care records' },
    );
  });

  afterAll(async () => {
    await system?.close();
  });

  const laCare = () => system.api('reporting', devTokens.partner('LA_CARE'));

  it('serves the same records as JSON, NDJSON and CSV, with the cursor in a header for the line formats', async () => {
    const json = await laCare().get('/v1/partners/LA_CARE/utilization?limit=1000');
    const ndjson = await laCare().get('/v1/partners/LA_CARE/utilization?limit=1000', { accept: 'application/x-ndjson' });
    const csv = await laCare().get('/v1/partners/LA_CARE/utilization?limit=1000&format=csv');

    expect(ndjson.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (ndjson.body as string)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual(json.body.items);
    expect(ndjson.headers.get('x-next-cursor')).toBe(json.body.nextCursor);
    expect(ndjson.headers.get('x-has-more')).toBe('false');

    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = (csv.body as string).trimEnd().split('\r\n');
    expect(rows[0].split(',')).toEqual(expect.arrayContaining(['recordId', 'memberId', 'productLine', 'ruleVersion']));
    expect(rows).toHaveLength(16);
    const header = rows[0].split(',');
    const firstRow = rows[1].split(',');
    expect(firstRow[header.indexOf('recordId')]).toBe(json.body.items[0].recordId);
    expect(firstRow[header.indexOf('memberId')]).toBe(json.body.items[0].memberId);
  });

  it('pages with the cursor and reads from a date', async () => {
    const first = await laCare().get('/v1/partners/LA_CARE/utilization?limit=10');
    const second = await laCare().get(`/v1/partners/LA_CARE/utilization?limit=10&since=${first.body.nextCursor}`);
    expect(first.body.hasMore).toBe(true);
    expect(second.body.items).toHaveLength(5);
    expect(second.body.hasMore).toBe(false);
    expect(new Set([...first.body.items, ...second.body.items].map((r: { recordId: string }) => r.recordId)).size).toBe(15);

    expect((await laCare().get(`/v1/partners/LA_CARE/utilization?since=${today}`)).body.items).toHaveLength(15);
    const tomorrow = serviceDateOf(new Date(Date.now() + 36 * 3600_000));
    const none = await laCare().get(`/v1/partners/LA_CARE/utilization?since=${tomorrow}`);
    expect(none.body.items).toEqual([]);

    const bad = await laCare().get('/v1/partners/LA_CARE/utilization?since=not-a-cursor');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('FEED.INVALID_CURSOR');
    expect((await laCare().get('/v1/partners/LA_CARE/utilization?format=xml')).status).toBe(400);
  });

  it('summarises the month over the whole grid of centers, product lines and services, hiding small cells and the totals over them', async () => {
    // Community visits have no feed record to wait for: wait until reporting has counted them all.
    const summary = await eventually(
      () => laCare().get(`/v1/partners/LA_CARE/utilization/summary?month=${today.slice(0, 7)}`),
      (r) => r.body.community?.find((c: { centerId: string }) => c.centerId === center)?.visits === 12,
      { what: 'all community visits counted' },
    );
    expect(summary.status).toBe(200);
    const row = (productLine: string, service: string) =>
      summary.body.rows.find(
        (r: { centerId: string; productLine: string; service: string }) => r.centerId === center && r.productLine === productLine && r.service === service,
      );
    expect(row('MEDI_CAL', 'EXERCISE_CLASS')).toEqual({ centerId: center, productLine: 'MEDI_CAL', service: 'EXERCISE_CLASS', visits: 12, suppressed: false });
    expect(row('MEDI_CAL', 'HEALTH_SCREENING')).toEqual({
      centerId: center,
      productLine: 'MEDI_CAL',
      service: 'HEALTH_SCREENING',
      visits: null,
      suppressed: true,
    });
    // Every center × L.A. Care's four product lines and UNVERIFIED × six services, visited or not; an empty cell looks like a small one.
    expect(summary.body.rows).toHaveLength(14 * 5 * 6);
    expect(row('PASC_SEIU', 'OTHER')).toMatchObject({ visits: null, suppressed: true });
    expect(summary.body.rows.filter((r: { suppressed: boolean }) => !r.suppressed)).toHaveLength(1);
    expect(summary.body.community).toHaveLength(14);
    expect(summary.body.community.find((c: { centerId: string }) => c.centerId === center)).toEqual({
      centerId: center,
      visits: 12,
      suppressed: false,
      planShare: 6,
    });
    // A total over hidden cells would give them away by subtraction: hidden too.
    expect(summary.body.totalVisits).toBeNull();
    expect(summary.body.communityTotal).toEqual({ visits: null, suppressed: true, planShare: null });
    expect(JSON.stringify(summary.body)).not.toContain('LAC1000');

    const bad = await laCare().get('/v1/partners/LA_CARE/utilization/summary?month=2026-13');
    expect(bad.body.error.code).toBe('SUMMARY.INVALID_MONTH');
  });

  it('exports the feed the FHIR Bulk Data way: kick-off, manifest, NDJSON files of valid R4 resources', async () => {
    // A forged Host and a token in the query string: neither may reach an absolute URL or the stored request.
    const kickOff = await getWithHost(
      `${laCare().baseUrl}/v1/partners/LA_CARE/fhir/$export?_type=Encounter,Patient,Coverage&access_token=leaked-secret`,
      'attacker.example',
      devTokens.partner('LA_CARE'),
    );
    expect(kickOff.status).toBe(202);
    const statusUrl = kickOff.headers['content-location'] as string;
    expect(statusUrl).toMatch(new RegExp(`^${PUBLIC_BASE}/v1/partners/LA_CARE/fhir/exports/[0-9a-f-]{36}$`));
    const manifest = await laCare().get(new URL(statusUrl).pathname, { host: 'attacker.example' });
    expect(manifest.status).toBe(200);
    expect(manifest.body).toMatchObject({ requiresAccessToken: true, error: [], request: `${PUBLIC_BASE}/v1/partners/LA_CARE/fhir/$export` });
    expect(manifest.body.output.map((o: { type: string }) => o.type)).toEqual(['Encounter', 'Patient', 'Coverage']);
    for (const { url } of manifest.body.output as Array<{ url: string }>) expect(url.startsWith(`${PUBLIC_BASE}/v1/partners/LA_CARE/fhir/exports/`)).toBe(true);
    const store = await StoreAccess.open(system, 'reporting');
    try {
      const stored = await store.collection('fhir_exports').findOne({ _id: new URL(statusUrl).pathname.split('/').pop()! });
      expect(stored?.request).toBe(`${PUBLIC_BASE}/v1/partners/LA_CARE/fhir/$export`);
    } finally {
      await store.close();
    }

    const fetchFile = async (type: string) => {
      const url = manifest.body.output.find((o: { type: string }) => o.type === type).url as string;
      const file = await laCare().get(new URL(url).pathname);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toContain('application/fhir+ndjson');
      return (file.body as string)
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
    };
    const encounters = await fetchFile('Encounter');
    const patients = await fetchFile('Patient');
    const coverages = await fetchFile('Coverage');
    expect(encounters).toHaveLength(15);
    expect(patients.map((p) => p.identifier[0].value).sort()).toEqual(['LAC100001', 'LAC100002']);
    // Member ids are in Patient.identifier only: ids and references are pseudonymous.
    for (const resource of [...encounters, ...patients, ...coverages]) for (const value of idsAndReferences(resource)) expect(value).not.toMatch(/LAC1000/);
    expect(coverages).toHaveLength(2);
    for (const resource of [...encounters, ...patients, ...coverages]) expect(fhirR4Problems(resource)).toEqual([]);
    // Every reference resolves within the export.
    const patientIds = new Set(patients.map((p) => `Patient/${p.id}`));
    expect(encounters.every((e) => patientIds.has(e.subject.reference))).toBe(true);
    expect(coverages.every((c) => patientIds.has(c.beneficiary.reference))).toBe(true);

    const other = await system.api('reporting', devTokens.partner('BLUE_SHIELD_PROMISE')).get(new URL(statusUrl).pathname);
    expect(other.status).toBe(403);
    expect((await laCare().get('/v1/partners/LA_CARE/fhir/exports/nope/Encounter.ndjson')).status).toBe(404);
  });

  it("records every disclosure in the plan's ledger, readable by that plan only", async () => {
    const ledger = await eventually(
      async () => (await laCare().get('/v1/partners/LA_CARE/disclosures?limit=1000')).body.items as Array<Record<string, any>>,
      (items) => ['FEED_JSON', 'FEED_NDJSON', 'FEED_CSV', 'SUMMARY', 'KAFKA_TOPIC', 'FHIR_EXPORT'].every((c) => items.some((i) => i.channel === c)),
      { what: 'every channel in the ledger' },
    );
    const csv = ledger.find((i) => i.channel === 'FEED_CSV')!;
    expect(csv).toMatchObject({ plan: 'LA_CARE', recipient: 'partner:LA_CARE:0', containsPhi: true, records: 15 });
    expect(csv.fields).toEqual(expect.arrayContaining(['memberId', 'visitId', 'serviceDate']));
    expect(ledger.find((i) => i.channel === 'SUMMARY')).toMatchObject({ containsPhi: false, range: { month: today.slice(0, 7) } });
    expect(ledger.filter((i) => i.channel === 'KAFKA_TOPIC').reduce((n, i) => n + i.records, 0)).toBe(15);

    const other = await system.api('reporting', devTokens.partner('BLUE_SHIELD_PROMISE')).get('/v1/partners/LA_CARE/disclosures');
    expect(other.status).toBe(403);
  });
});
