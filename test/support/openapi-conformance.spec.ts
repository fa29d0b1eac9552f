import { OpenApiConformance, OpenApiDocument } from './openapi-conformance';

const json = { 'content-type': 'application/json; charset=utf-8' };

const document: OpenApiDocument = {
  paths: {
    '/v1/things/{id}': {
      get: {
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          '404': {
            description: 'no',
            content: { 'application/json': { schema: { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] } } },
          },
        },
      },
    },
    '/v1/things/special': {
      get: {
        responses: {
          '200': { description: 'ok', headers: { 'X-Next-Cursor': {} }, content: { 'text/csv': { schema: { type: 'string', 'x-csv-columns': ['a', 'b'] } } } },
        },
      },
    },
    '/v1/things': {
      post: {
        responses: {
          '202': { description: 'accepted', headers: { 'Content-Location': {} } },
          '200': {
            description: 'lines',
            content: { 'application/x-ndjson': { schema: { type: 'string' }, 'x-line-schema': { $ref: '#/components/schemas/Thing' } } },
          },
        },
      },
    },
    '/v1/things/live': {
      get: {
        responses: {
          '200': {
            description: 'events',
            content: {
              'text/event-stream': {
                schema: { type: 'string' },
                'x-event-schema': {
                  type: 'object',
                  required: ['event', 'data'],
                  properties: { event: { type: 'string', enum: ['thing'] }, data: { $ref: '#/components/schemas/Thing' } },
                },
              },
            },
          },
        },
      },
    },
    '/v1/things/live-undescribed': {
      get: { responses: { '200': { description: 'events', content: { 'text/event-stream': { schema: { type: 'string' } } } } } },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id', 'tags'],
        properties: { id: { type: 'string', format: 'uuid' }, tags: { type: 'array', items: { type: 'string' } }, size: { type: 'integer', nullable: true } },
      },
    },
  },
};

const ID = '0b6c8a52-3f0e-4d35-9a51-3c1a5b8f2e10';
const problemOf = (exchange: { method: string; path: string; status: number; headers?: Record<string, string>; text?: string }) => {
  const contract = new OpenApiConformance('things', document);
  try {
    contract.check({ ...exchange, headers: new Headers(exchange.headers ?? {}), text: exchange.text ?? '' });
    return '';
  } catch (error) {
    expect(contract.violations).toHaveLength(1);
    return (error as Error).message;
  }
};

const stream = {
  method: 'GET',
  path: '/v1/things/live?from=x',
  status: 200,
  headers: new Headers({ 'content-type': 'text/event-stream; charset=utf-8' }),
  text: '',
};
const eventProblemOf = (event: { event: string; data: string; id?: string }) => {
  const contract = new OpenApiConformance('things', document);
  try {
    contract.checkEvent(stream, event);
    return '';
  } catch (error) {
    expect(contract.violations).toHaveLength(1);
    return (error as Error).message;
  }
};

describe('OpenApiConformance: every answer as the document says', () => {
  it('accepts answers as documented', () => {
    expect(
      problemOf({ method: 'GET', path: `/v1/things/${ID}?x=1`, status: 200, headers: json, text: JSON.stringify({ id: ID, tags: ['a'], size: null }) }),
    ).toBe('');
    expect(problemOf({ method: 'GET', path: '/v1/things/nope', status: 404, headers: json, text: '{"error":"NOT_FOUND"}' })).toBe('');
    expect(
      problemOf({
        method: 'GET',
        path: '/v1/things/special',
        status: 200,
        headers: { 'content-type': 'text/csv', 'x-next-cursor': '9' },
        text: 'a,b\r\n1,2\r\n',
      }),
    ).toBe('');
    expect(problemOf({ method: 'POST', path: '/v1/things', status: 202, headers: { 'content-location': 'http://x/y' } })).toBe('');
    expect(
      problemOf({ method: 'POST', path: '/v1/things', status: 200, headers: { 'content-type': 'application/x-ndjson' }, text: `{"id":"${ID}","tags":[]}\n` }),
    ).toBe('');
    expect(problemOf({ method: 'GET', path: '/health/ready', status: 200 })).toBe('');
  });

  it('refuses a route, a method or a status the document does not list', () => {
    expect(problemOf({ method: 'GET', path: '/v1/other', status: 404, headers: json, text: '{}' })).toMatch(/no documented operation GET matches \/v1\/other/);
    expect(problemOf({ method: 'DELETE', path: `/v1/things/${ID}`, status: 404, headers: json, text: '{}' })).toMatch(/no documented operation DELETE/);
    expect(problemOf({ method: 'GET', path: `/v1/things/${ID}`, status: 409, headers: json, text: '{}' })).toMatch(/status 409 is not documented/);
  });

  it('refuses a body off its schema: a wrong type, a missing or an undocumented property, a bad format', () => {
    expect(problemOf({ method: 'GET', path: `/v1/things/${ID}`, status: 200, headers: json, text: JSON.stringify({ id: ID, tags: [{ a: 1 }] }) })).toMatch(
      /body\/tags\/0 must be string/,
    );
    expect(problemOf({ method: 'GET', path: `/v1/things/${ID}`, status: 200, headers: json, text: JSON.stringify({ id: ID }) })).toMatch(
      /must have required property 'tags'/,
    );
    expect(problemOf({ method: 'GET', path: `/v1/things/${ID}`, status: 200, headers: json, text: JSON.stringify({ id: ID, tags: [], extra: 1 }) })).toMatch(
      /additional properties \(extra\)/,
    );
    expect(problemOf({ method: 'GET', path: `/v1/things/${ID}`, status: 200, headers: json, text: JSON.stringify({ id: 'x', tags: [] }) })).toMatch(
      /body\/id must match format "uuid"/,
    );
  });

  it('refuses an undocumented content type, API header, CSV header row or NDJSON line', () => {
    expect(problemOf({ method: 'GET', path: `/v1/things/${ID}`, status: 200, headers: { 'content-type': 'text/plain' }, text: 'hi' })).toMatch(
      /content type text\/plain is not documented/,
    );
    expect(
      problemOf({ method: 'GET', path: `/v1/things/${ID}`, status: 200, headers: { ...json, location: '/x' }, text: JSON.stringify({ id: ID, tags: [] }) }),
    ).toMatch(/header location is sent but not documented/);
    expect(problemOf({ method: 'GET', path: '/v1/things/special', status: 200, headers: { 'content-type': 'text/csv' }, text: 'b,a\r\n' })).toMatch(
      /CSV header row "b,a" is not the documented columns "a,b"/,
    );
    expect(
      problemOf({
        method: 'POST',
        path: '/v1/things',
        status: 200,
        headers: { 'content-type': 'application/x-ndjson' },
        text: `{"id":"${ID}","tags":[]}\n{"id":"${ID}"}\n`,
      }),
    ).toMatch(/line 2: body must have required property 'tags'/);
    expect(problemOf({ method: 'POST', path: '/v1/things', status: 202, headers: json, text: '{}' })).toMatch(
      /a body \(application\/json\) is sent where the document declares none/,
    );
  });

  it('holds each event of a stream to the x-event-schema of its media type, its data read as JSON', () => {
    expect(problemOf({ ...stream, headers: { 'content-type': 'text/event-stream' } })).toBe('');
    expect(eventProblemOf({ event: 'thing', data: JSON.stringify({ id: ID, tags: [] }) })).toBe('');
    expect(eventProblemOf({ event: 'other', data: JSON.stringify({ id: ID, tags: [] }) })).toMatch(
      /event other: body\/event must be equal to one of the allowed values/,
    );
    expect(eventProblemOf({ event: 'thing', data: JSON.stringify({ id: ID }) })).toMatch(/body\/data must have required property 'tags'/);
    expect(eventProblemOf({ event: 'thing', data: 'not json' })).toMatch(/body\/data must have required property 'id'/);
    expect(eventProblemOf({ event: 'thing', data: JSON.stringify({ id: ID, tags: [] }), id: '7' })).toMatch(/additional properties \(id\)/);
    expect(problemOf({ method: 'GET', path: '/v1/things/live-undescribed', status: 200, headers: { 'content-type': 'text/event-stream' } })).toMatch(
      /events have no documented schema \(x-event-schema\)/,
    );
  });
});
