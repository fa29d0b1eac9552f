import { randomUUID } from 'node:crypto';
import { devTokens } from '@crc/testing';
import { ServiceName, startTestSystem, TestSystem } from './support/test-system';

/**
 * Every role against every route of every service, taken from the services' own OpenAPI
 * documents, checked against the access rules of the product (written out here, not read from
 * the code): a kiosk and staff act only for their own center, a partner only for its own plan,
 * operations see aggregates only. A route the table does not know fails the test.
 */
type Caller = 'kiosk' | 'kioskElsewhere' | 'staff' | 'staffElsewhere' | 'partner' | 'otherPartner' | 'ops' | 'anonymous';

const CENTER = 'crc-el-monte';
const PLAN = 'LA_CARE';
const tokens: Record<Caller, string | undefined> = {
  kiosk: devTokens.kiosk(CENTER),
  kioskElsewhere: devTokens.kiosk('crc-pomona'),
  staff: devTokens.staff(CENTER),
  staffElsewhere: devTokens.staff('crc-pomona'),
  partner: devTokens.partner(PLAN),
  otherPartner: devTokens.partner('BLUE_SHIELD_PROMISE'),
  ops: devTokens.ops(),
  anonymous: undefined,
};

/** Who may call each route (for its own center or plan). Health is public. */
const POLICY: Record<string, Caller[] | 'public'> = {
  'checkin POST /v1/centers/{centerId}/check-ins': ['kiosk'],
  'checkin GET /v1/centers/{centerId}/check-ins': ['kiosk', 'staff'],
  'checkin POST /v1/centers/{centerId}/check-ins:batch': ['kiosk'],
  'checkin GET /v1/centers/{centerId}/check-ins/{visitId}': ['kiosk', 'staff'],
  'checkin POST /v1/centers/{centerId}/check-ins/{visitId}/check-out': ['kiosk'],
  'membership POST /v1/centers/{centerId}/help-cases': ['kiosk', 'staff'],
  'membership GET /v1/centers/{centerId}/help-cases': ['staff'],
  'membership GET /v1/centers/{centerId}/help-cases/{caseId}': ['kiosk', 'staff'],
  'membership POST /v1/centers/{centerId}/help-cases/{caseId}/assign': ['staff'],
  'membership POST /v1/centers/{centerId}/help-cases/{caseId}/notes': ['staff'],
  'membership POST /v1/centers/{centerId}/help-cases/{caseId}/resolve': ['staff'],
  'membership POST /v1/centers/{centerId}/help-cases/{caseId}/escalate': ['staff'],
  'membership POST /v1/centers/{centerId}/help-cases/{caseId}/abandon': ['staff'],
  'telehealth POST /v1/centers/{centerId}/wifi-sessions': ['kiosk'],
  'telehealth GET /v1/centers/{centerId}/wifi-sessions': ['staff'],
  'telehealth POST /v1/centers/{centerId}/wifi-sessions/heartbeats': ['kiosk'],
  'telehealth GET /v1/centers/{centerId}/wifi-sessions/{sessionId}': ['kiosk', 'staff'],
  'telehealth POST /v1/centers/{centerId}/wifi-sessions/{sessionId}/heartbeats': ['kiosk'],
  'telehealth POST /v1/centers/{centerId}/wifi-sessions/{sessionId}/end': ['kiosk', 'staff'],
  'reporting GET /v1/partners/{plan}/utilization': ['partner'],
  'reporting GET /v1/partners/{plan}/utilization/summary': ['partner'],
  'reporting GET /v1/partners/{plan}/disclosures': ['partner'],
  'reporting PUT /v1/partners/{plan}/eligibility': ['partner'],
  'reporting GET /v1/partners/{plan}/fhir/$export': ['partner'],
  'reporting GET /v1/partners/{plan}/fhir/exports/{exportId}': ['partner'],
  'reporting GET /v1/partners/{plan}/fhir/exports/{exportId}/{file}': ['partner'],
  'reporting DELETE /v1/partners/{plan}/fhir/exports/{exportId}': ['partner'],
  // FHIR conformance resources: they describe the export and nobody in it.
  'reporting GET /v1/partners/{plan}/fhir/metadata': 'public',
  'reporting GET /v1/partners/{plan}/fhir/{definitionType}': 'public',
  'reporting GET /v1/partners/{plan}/fhir/{definitionType}/{id}': 'public',
  'reporting GET /v1/operations/dashboard': ['ops'],
  'reporting GET /v1/operations/dashboard/stream': ['ops'],
  'reporting GET /v1/operations/attribution-conflicts': ['ops'],
  'reporting POST /v1/operations/attribution-conflicts/{visitId}/resolution': ['ops'],
  'reporting GET /v1/operations/roster-uploads': ['ops'],
  'reporting GET /v1/operations/quarantined-services': ['ops'],
  'checkin GET /health': 'public',
  'membership GET /health': 'public',
  'telehealth GET /health': 'public',
  'reporting GET /health': 'public',
};

describe('authorization matrix', () => {
  let system: TestSystem;
  const services: ServiceName[] = ['checkin', 'membership', 'telehealth', 'reporting'];

  beforeAll(async () => {
    system = await startTestSystem(services);
  });

  afterAll(async () => {
    await system?.close();
  });

  /** The status of one call, through the test system's client: answers (and a stream's opening) held to the document. */
  const statusOf = async (service: ServiceName, method: string, url: string, headers: Record<string, string>): Promise<number> => {
    if (url.startsWith('/v1/operations/dashboard/stream')) {
      const stream = await system.api(service).events(url, headers);
      stream.close(); // the dashboard stream never ends on its own
      return stream.status;
    }
    return (await system.api(service).request(method, url, method === 'GET' ? undefined : '{}', headers)).status;
  };

  it('lets each role call exactly the routes it may, for its own center or plan only', async () => {
    const seen: string[] = [];
    const failures: string[] = [];
    for (const service of services) {
      const doc = (await system.api(service).get('/docs-json')).body as { paths: Record<string, Record<string, { security?: unknown[] }>> };
      for (const [path, operations] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          const route = `${service} ${method.toUpperCase()} ${path}`;
          seen.push(route);
          const policy = POLICY[route];
          if (!policy) {
            failures.push(`${route}: no access rule in this test's table`);
            continue;
          }
          // The document says the same: no credential (`security: []`) exactly where none is needed, the bearer token elsewhere.
          const documented = JSON.stringify(operation.security);
          const expected = JSON.stringify(policy === 'public' ? [] : [{ bearer: [] }]);
          if (documented !== expected) failures.push(`${route}: documented security ${documented}, expected ${expected}`);
          const url = path
            .replace('{centerId}', CENTER)
            .replace('{plan}', PLAN)
            .replace(/\{(visitId|caseId|sessionId|exportId)\}/g, () => randomUUID())
            .replace('{file}', 'Encounter.ndjson')
            .replace('{definitionType}', 'CodeSystem')
            .replace('{id}', 'visit-purpose');
          for (const caller of Object.keys(tokens) as Caller[]) {
            const headers: Record<string, string> = { 'content-type': 'application/json' };
            if (tokens[caller]) headers.authorization = `Bearer ${tokens[caller]}`;
            const status = await statusOf(service, method.toUpperCase(), url, headers);
            const allowed = policy === 'public' || policy.includes(caller);
            const denied = status === 401 || status === 403;
            if (allowed === denied) failures.push(`${route} as ${caller}: got ${status}, expected ${allowed ? 'access' : 'refusal'}`);
            if (caller === 'anonymous' && !allowed && status !== 401) failures.push(`${route} as anonymous: got ${status}, expected 401`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    // The table has no stale rules either: every rule names a route that exists.
    expect(Object.keys(POLICY).filter((route) => !seen.includes(route))).toEqual([]);
  });
});
