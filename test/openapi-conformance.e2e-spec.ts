import { exportOpenApiDocument } from '@crc/platform';
import { aCheckIn, devTokens } from '@crc/testing';
import { SERVICES, ServiceName, startTestSystem, TestSystem } from './support/test-system';

/**
 * The OpenAPI documents are the contract: the document a service serves is the one Spectral
 * checks (test/deploy/openapi.deploy-spec.ts), and every answer an end-to-end test receives
 * through the test system is held to it (support/openapi-conformance.ts).
 */
describe('answers held to the OpenAPI documents', () => {
  let system: TestSystem;
  const services: ServiceName[] = ['checkin', 'reporting'];
  const center = 'crc-el-monte';

  beforeAll(async () => {
    system = await startTestSystem(services);
  });

  afterAll(async () => {
    await system?.close();
  });

  it.each(services)('%s serves the very document the offline checks lint', async (service) => {
    const served = (await system.api(service).get('/docs-json')).body;
    expect(served).toEqual(JSON.parse(JSON.stringify(await exportOpenApiDocument(SERVICES[service]))));
  });

  it('lets documented answers through and fails a call whose answer the document does not describe', async () => {
    const kiosk = system.api('checkin', devTokens.kiosk(center));
    const created = await kiosk.post(`/v1/centers/${center}/check-ins`, aCheckIn());
    expect(created.status).toBe(201);
    expect(system.contractViolations).toEqual([]);

    // A route no document has: the call fails, and the violation is kept for the end of the file.
    await expect(kiosk.get(`/v1/centers/${center}/check-outs`)).rejects.toThrow(/no documented operation GET matches \/v1\/centers\/crc-el-monte\/check-outs/);
    expect(system.contractViolations).toHaveLength(1);
    // Leaving the API on purpose is said explicitly.
    expect((await kiosk.unchecked().get(`/v1/centers/${center}/check-outs`)).status).toBe(404);
    expect(system.contractViolations).toHaveLength(1);
    system.contractViolations.length = 0;
  });

  it('reads each feed format by its own schema: JSON page, NDJSON lines, CSV columns, with the cursor headers', async () => {
    const partner = system.api('reporting', devTokens.partner('LA_CARE'));
    for (const format of ['json', 'ndjson', 'csv']) {
      const page = await partner.get(`/v1/partners/LA_CARE/utilization?format=${format}`);
      expect([format, page.status]).toEqual([format, 200]);
      if (format !== 'json') expect(page.headers.get('x-next-cursor')).toBeTruthy();
    }
    expect(system.contractViolations).toEqual([]);
  });
});
