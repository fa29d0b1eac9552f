import { createHash } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { aCheckIn, ApiClient, devTokens, eventually, seedFile } from '@crc/testing';
import { startTestSystem, TestSystem } from './support/test-system';

/** Bad input gets a clear error in the one shape and stores nothing; limits, headers and credentials hold. */
describe('hostile input and security', () => {
  const center = 'crc-boyle-heights';
  let system: TestSystem;
  let kiosk: ApiClient;
  let client: MongoClient;
  let credentialsFile: string;

  beforeAll(async () => {
    credentialsFile = join(mkdtempSync(join(tmpdir(), 'crc-credentials-')), 'credentials.json');
    copyFileSync(seedFile('credentials.json'), credentialsFile);
    system = await startTestSystem(['checkin', 'reporting'], {
      CREDENTIALS_FILE: credentialsFile,
      CREDENTIALS_RELOAD_SECONDS: '1',
      CORS_ORIGINS: 'https://dashboard.example',
    });
    kiosk = system.api('checkin', devTokens.kiosk(center));
    client = await MongoClient.connect(system.mongoUri);
  });

  afterAll(async () => {
    await client?.close();
    await system?.close();
  });

  const storedVisits = () => client.db(`${system.prefix}-checkin`).collection('visits').countDocuments({});
  /** A body sent as it is (no JSON encoding); the answer is still held to the OpenAPI document. */
  const raw = async (body: string | Buffer, headers: Record<string, string>) => {
    const response = await kiosk.request('POST', `/v1/centers/${center}/check-ins`, body, headers);
    return { status: response.status, json: async () => response.body as unknown };
  };

  it('refuses each malformed body with the standard error shape and stores nothing', async () => {
    const before = await storedVisits();
    const json = { 'content-type': 'application/json' };
    const cases: Array<[string, ReturnType<typeof raw>, number, string]> = [
      ['oversized body', raw(JSON.stringify({ purposes: ['OTHER'], pad: 'x'.repeat(2 * 1024 * 1024) }), json), 413, 'REQUEST.TOO_LARGE'],
      ['deeply nested JSON', raw('{"purposes":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}', json), 400, 'REQUEST.TOO_DEEP'],
      [
        'invalid UTF-8',
        raw(Buffer.concat([Buffer.from('{"visitor":{"memberId":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"},"purposes":["OTHER"]}')]), json),
        400,
        'REQUEST.INVALID_UTF8',
      ],
      ['not JSON', raw('{"purposes":', json), 400, 'REQUEST.INVALID_JSON'],
      ['empty body', raw('', json), 400, 'REQUEST.EMPTY_BODY'],
      ['text/plain', raw('hello', { 'content-type': 'text/plain' }), 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE'],
      ['XML', raw('<checkIn/>', { 'content-type': 'application/xml' }), 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE'],
      ['an array instead of an object', raw('[1,2,3]', json), 400, 'REQUEST.VALIDATION_FAILED'],
      ['unknown fields', raw(JSON.stringify({ purposes: ['OTHER'], __proto__: { admin: true }, extra: 1 }), json), 400, 'REQUEST.VALIDATION_FAILED'],
      [
        'a member id with control characters',
        raw(JSON.stringify({ visitor: { memberId: 'LAC\u0000100001' }, purposes: ['OTHER'] }), json),
        400,
        'REQUEST.VALIDATION_FAILED',
      ],
      [
        'an over-long language tag',
        raw(JSON.stringify({ visitor: { preferredLanguage: 'x'.repeat(5000) }, purposes: ['OTHER'] }), json),
        400,
        'REQUEST.VALIDATION_FAILED',
      ],
    ];
    for (const [name, pending, status, code] of cases) {
      const response = await pending;
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect({ name, status: response.status, code: body.error?.code }).toEqual({ name, status, code });
      expect(typeof body.error.message).toBe('string');
    }
    const huge = await kiosk.post(`/v1/centers/${center}/check-ins:batch`, { items: Array.from({ length: 5000 }, () => ({ type: 'CHECK_IN' })) });
    expect([huge.status, huge.body.error.code]).toEqual([400, 'REQUEST.VALIDATION_FAILED']);
    expect(await storedVisits()).toBe(before);
  });

  it('reads dates, date-times, integers and keys strictly: a 400 naming the field, never a 500, and a batch item REJECTED for good', async () => {
    const before = await storedVisits();
    const fieldOf = (body: { error: { details?: Array<{ field: string }> } }) => body.error.details?.[0]?.field;
    const refused = async (pending: Promise<{ status: number; body: any }>) => {
      const { status, body } = await pending;
      // The FHIR endpoint answers the same code and field as an OperationOutcome (code in details.coding, `<code> <field>: <rule>` in diagnostics).
      if (body.resourceType === 'OperationOutcome') {
        return { status, code: body.issue[0].details.coding[0].code, field: /^\S+ ([^:]+):/.exec(body.issue[0].diagnostics)?.[1] };
      }
      return { status, code: body.error?.code, field: fieldOf(body) };
    };
    for (const occurredAt of ['2026-335', '2026-W49-2', '2026-02-29T10:00:00Z', '2026-12-01T10:00:00', '2026-12-01t10:00:00z']) {
      expect({ occurredAt, ...(await refused(kiosk.post(`/v1/centers/${center}/check-ins`, { ...aCheckIn(), occurredAt }))) }).toEqual({
        occurredAt,
        status: 400,
        code: 'REQUEST.VALIDATION_FAILED',
        field: 'occurredAt',
      });
    }
    const visitId = '6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b';
    expect(await refused(kiosk.post(`/v1/centers/${center}/check-ins/${visitId}/check-out`, { occurredAt: '2026-W49-2' }))).toEqual({
      status: 400,
      code: 'REQUEST.VALIDATION_FAILED',
      field: 'occurredAt',
    });
    const batch = await kiosk.post(`/v1/centers/${center}/check-ins:batch`, {
      items: [
        { type: 'CHECK_IN', idempotencyKey: 'hostile-ordinal-date-1', occurredAt: '2026-335', purposes: ['OTHER'] },
        { type: 'CHECK_OUT', idempotencyKey: 'hostile-week-date-2', occurredAt: '2026-W49-2', checkInIdempotencyKey: 'hostile-ordinal-date-1' },
      ],
    });
    expect(batch.status).toBe(200);
    expect(
      batch.body.results.map((r: { outcome: string; retryable?: boolean; error: { code: string; details: Array<{ field: string }> } }) => [
        r.outcome,
        r.retryable,
        r.error.code,
        r.error.details[0].field,
      ]),
    ).toEqual([
      ['REJECTED', false, 'REQUEST.VALIDATION_FAILED', 'occurredAt'],
      ['REJECTED', false, 'REQUEST.VALIDATION_FAILED', 'occurredAt'],
    ]);
    expect(await refused(kiosk.get(`/v1/centers/${center}/check-ins?serviceDate=2026-99-99`))).toEqual({
      status: 400,
      code: 'REQUEST.VALIDATION_FAILED',
      field: 'serviceDate',
    });
    expect(await refused(kiosk.get(`/v1/centers/${center}/check-ins?serviceDate=2026-02-29`))).toEqual({
      status: 400,
      code: 'REQUEST.VALIDATION_FAILED',
      field: 'serviceDate',
    });
    expect(await refused(kiosk.post(`/v1/centers/${center}/check-ins`, { ...aCheckIn(), occurredAt: 1764583200000 }))).toEqual({
      status: 400,
      code: 'REQUEST.VALIDATION_FAILED',
      field: 'occurredAt',
    });

    const json = { 'content-type': 'application/json' };
    const rawRefusal = async (body: string, headers: Record<string, string>) => {
      const response = await raw(body, headers);
      const parsed = (await response.json()) as { error: { code: string; details?: Array<{ field: string }> } };
      return { status: response.status, code: parsed.error.code, field: fieldOf(parsed) };
    };
    expect(await rawRefusal('{"__proto__":{"admin":true},"purposes":["OTHER"]}', json)).toEqual({
      status: 400,
      code: 'REQUEST.FORBIDDEN_KEY',
      field: '__proto__',
    });
    expect(await rawRefusal('{"visitor":{"constructor":{"prototype":{}}},"purposes":["OTHER"]}', json)).toEqual({
      status: 400,
      code: 'REQUEST.FORBIDDEN_KEY',
      field: 'visitor.constructor',
    });
    const latin1Body = Buffer.from('{"visitor":{"preferredLanguage":"fr"},"purposes":["OTHER"]}', 'latin1');
    const latin1 = await raw(latin1Body, { 'content-type': 'application/json; charset=latin1' });
    expect([latin1.status, ((await latin1.json()) as { error: { code: string } }).error.code]).toEqual([415, 'REQUEST.UNSUPPORTED_CHARSET']);
    expect(await storedVisits()).toBe(before);
    // A roster (NDJSON or CSV) declared in another charset is refused too, before any line is read.
    const uploads = () => client.db(`${system.prefix}-reporting`).collection('roster_uploads').countDocuments({});
    const uploadsBefore = await uploads();
    for (const contentType of ['application/x-ndjson; charset=latin1', 'text/csv; charset=iso-8859-1']) {
      const roster = await system
        .api('reporting', devTokens.partner('LA_CARE'))
        .request(
          'PUT',
          '/v1/partners/LA_CARE/eligibility',
          Buffer.from('{"memberId":"LAC1000\u00e9","productLine":"MEDI_CAL","coverageStart":"2026-01-01"}\n', 'latin1'),
          {
            'content-type': contentType,
          },
        );
      expect([contentType, roster.status, (roster.body as { error: { code: string } }).error.code]).toEqual([contentType, 415, 'REQUEST.UNSUPPORTED_CHARSET']);
    }
    expect(await uploads()).toBe(uploadsBefore);

    const ops = system.api('reporting', devTokens.ops());
    const partner = system.api('reporting', devTokens.partner('LA_CARE'));
    const queries: Array<[string, ReturnType<typeof ops.get>, number, string, string | undefined]> = [
      ['an impossible from', ops.get('/v1/operations/dashboard?from=2026-99-99'), 400, 'REQUEST.VALIDATION_FAILED', 'from'],
      ['a range cap bypass', ops.get('/v1/operations/dashboard?from=0000-00-00&to=9999-99-99'), 400, 'REQUEST.VALIDATION_FAILED', 'from'],
      ['a range over the cap', ops.get('/v1/operations/dashboard?from=0000-01-01&to=9999-12-31'), 400, 'DASHBOARD.INVALID_RANGE', 'from/to'],
      ['an impossible stream from', ops.get('/v1/operations/dashboard/stream?from=2026-02-30'), 400, 'REQUEST.VALIDATION_FAILED', 'from'],
      ['limit in exponent form', partner.get('/v1/partners/LA_CARE/utilization?limit=1e3'), 400, 'REQUEST.VALIDATION_FAILED', 'limit'],
      ['limit in hexadecimal', partner.get('/v1/partners/LA_CARE/utilization?limit=0x10'), 400, 'REQUEST.VALIDATION_FAILED', 'limit'],
      ['limit with a space', partner.get('/v1/partners/LA_CARE/utilization?limit=%2010'), 400, 'REQUEST.VALIDATION_FAILED', 'limit'],
      ['a fractional limit', partner.get('/v1/partners/LA_CARE/utilization?limit=1.5'), 400, 'REQUEST.VALIDATION_FAILED', 'limit'],
      ['an impossible since', partner.get('/v1/partners/LA_CARE/utilization?since=2026-99-99'), 400, 'FEED.INVALID_CURSOR', 'since'],
      ['an impossible disclosures from', partner.get('/v1/partners/LA_CARE/disclosures?from=2026-99-99'), 400, 'REQUEST.VALIDATION_FAILED', 'from'],
      ['an ordinal FHIR _since', partner.get('/v1/partners/LA_CARE/fhir/$export?_since=2026-335'), 400, 'REQUEST.VALIDATION_FAILED', '_since'],
      ['a roster audit limit in hexadecimal', ops.get('/v1/operations/roster-uploads?limit=0x10'), 400, 'REQUEST.VALIDATION_FAILED', 'limit'],
      ['a roster audit before that is no instant', ops.get('/v1/operations/roster-uploads?before=1'), 400, 'REQUEST.VALIDATION_FAILED', 'before'],
      ['a conflicts limit with a sign', ops.get('/v1/operations/attribution-conflicts?limit=%2B10'), 400, 'REQUEST.VALIDATION_FAILED', 'limit'],
    ];
    for (const [name, pending, status, code, field] of queries) {
      expect({ name, ...(await refused(pending)) }).toEqual({ name, status, code, field });
    }
  });

  it('refuses odd headers cleanly', async () => {
    const badKey = await kiosk.post(`/v1/centers/${center}/check-ins`, aCheckIn(), { 'idempotency-key': 'a b\tc<script>' });
    expect([badKey.status, badKey.body.error.code]).toEqual([400, 'IDEMPOTENCY.INVALID_KEY']);
    const basic = await system.api('checkin').get(`/v1/centers/${center}/check-ins`, { authorization: 'Basic dXNlcjpwYXNz' });
    expect([basic.status, basic.body.error.code]).toEqual([401, 'AUTH.UNAUTHENTICATED']);
    const long = await system.api('checkin').get(`/v1/centers/${center}/check-ins`, { authorization: `Bearer ${'x'.repeat(4000)}` });
    expect(long.status).toBe(401);
    const injected = await kiosk.get(`/v1/centers/${center}/check-ins`, { 'x-request-id': '../../etc/passwd' });
    expect(injected.status).toBe(200);
  });

  it('sends secure headers, and allows only the configured browser origin', async () => {
    const response = await kiosk.get(`/v1/centers/${center}/check-ins`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const preflight = (origin: string) =>
      fetch(`${kiosk.baseUrl}/v1/centers/${center}/check-ins`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
    expect((await preflight('https://dashboard.example')).headers.get('access-control-allow-origin')).toBe('https://dashboard.example');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('rotates credentials without a restart: a new token works, a removed one stops working', async () => {
    const file = JSON.parse(readFileSync(credentialsFile, 'utf8'));
    const newToken = 'rotated-kiosk-token-boyle-heights-2026';
    file.kiosks.push({ centerId: center, tokenSha256: createHash('sha256').update(newToken).digest('hex') });
    writeFileSync(credentialsFile, JSON.stringify(file));
    await eventually(
      () => system.api('checkin', newToken).get(`/v1/centers/${center}/check-ins`),
      (r) => r.status === 200,
      { what: 'the new token to work' },
    );

    file.kiosks = file.kiosks.filter((k: { token?: string }) => k.token !== devTokens.kiosk(center));
    writeFileSync(credentialsFile, JSON.stringify(file));
    await eventually(
      () => kiosk.get(`/v1/centers/${center}/check-ins`),
      (r) => r.status === 401,
      { what: 'the old token to stop working' },
    );
    // A broken file keeps the last good credentials.
    writeFileSync(credentialsFile, '{ not json');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await system.api('checkin', newToken).get(`/v1/centers/${center}/check-ins`)).status).toBe(200);
    copyFileSync(seedFile('credentials.json'), credentialsFile);
  });
});

describe('rate limits', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem(['checkin'], { RATE_LIMIT_PER_MINUTE: '5', FAILED_AUTH_PER_MINUTE: '3' });
  });

  afterAll(async () => {
    await system?.close();
  });

  it('limits each credential, and failed authentications per address, with Retry-After', async () => {
    const kiosk = system.api('checkin', devTokens.kiosk('crc-compton'));
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await kiosk.get('/v1/centers/crc-compton/check-ins')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await kiosk.get('/v1/centers/crc-compton/check-ins');
    expect(limited.body.error.code).toBe('REQUEST.RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another credential is not affected.
    expect((await system.api('checkin', devTokens.kiosk('crc-pomona')).get('/v1/centers/crc-pomona/check-ins')).status).toBe(200);

    const guesses = [];
    for (let i = 0; i < 5; i++) guesses.push((await system.api('checkin', `guess-${i}-xxxxxxxxxxxxxxxx`).get('/v1/centers/crc-compton/check-ins')).status);
    expect(guesses).toEqual([401, 401, 401, 429, 429]);
  });
});

describe('slow clients', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem(['checkin'], { HTTP_REQUEST_TIMEOUT_SECONDS: '3', HTTP_HEADERS_TIMEOUT_SECONDS: '2' });
  });

  afterAll(async () => {
    await system?.close();
  });

  /** Opens a connection, sends `head` at once, then one byte every 500 ms; resolves with what came back and when the server closed it. */
  function trickle(head: string, trickled: string): Promise<{ answer: string; closedAfterMs: number }> {
    const { port } = new URL(system.api('checkin').baseUrl);
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const socket = connect(Number(port), '127.0.0.1');
      let answer = '';
      let sent = 0;
      const timer = setInterval(() => {
        if (sent < trickled.length && !socket.destroyed) socket.write(trickled[sent++]);
      }, 500);
      socket.on('connect', () => socket.write(head));
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(timer);
        clearTimeout(giveUp);
        resolve({ answer, closedAfterMs: Date.now() - started });
      });
      const giveUp = setTimeout(() => {
        clearInterval(timer);
        socket.destroy();
        reject(new Error(`the server kept a trickling connection open for 20 s (received: ${JSON.stringify(answer)})`));
      }, 20_000);
    });
  }

  it('cuts off a body that trickles in (slow-loris) with 408 once the request timeout is up', async () => {
    const center = 'crc-el-monte';
    const body = JSON.stringify({ purposes: ['OTHER'], visitor: { preferredLanguage: 'en' } });
    const head = [
      `POST /v1/centers/${center}/check-ins HTTP/1.1`,
      'Host: 127.0.0.1',
      `Authorization: Bearer ${devTokens.kiosk(center)}`,
      'Content-Type: application/json',
      `Content-Length: ${body.length}`,
      '',
      '',
    ].join('\r\n');
    const { answer, closedAfterMs } = await trickle(head, body);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    // 3 s allowed, checked every second: closed well before the 30 s the body would take.
    expect(closedAfterMs).toBeGreaterThanOrEqual(2_900);
    expect(closedAfterMs).toBeLessThan(6_000);
  });

  it('cuts off headers that trickle in once the headers timeout is up', async () => {
    const { answer, closedAfterMs } = await trickle('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: ' + 'a'.repeat(60));
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeGreaterThanOrEqual(1_900);
    expect(closedAfterMs).toBeLessThan(5_000);
  });
});
