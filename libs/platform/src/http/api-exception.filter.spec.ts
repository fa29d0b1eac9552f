import { ArgumentsHost, NotFoundException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError } from '@crc/contracts';
import { StoreBusyError } from '../mongo/insert-batcher';
import { ApiExceptionFilter, ErrorFormat, ErrorReply } from './api-exception.filter';

/** A reply that records what the filter wrote. */
function fakeHttp(url: string) {
  const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header(name: string, value: string) {
      sent.headers[name] = value;
      return reply;
    },
    send(body: unknown) {
      sent.body = body;
      return reply;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply, getRequest: () => ({ url }) }) } as unknown as ArgumentsHost;
  return { host, sent };
}

describe('ApiExceptionFilter', () => {
  const written: ErrorReply[] = [];
  const special: ErrorFormat = {
    appliesTo: (path) => path.startsWith('/special/'),
    write: (reply: FastifyReply, error) => {
      written.push(error);
      void reply.header('content-type', 'application/special+json').send({ special: error.body.error.code });
    },
  };
  const filter = new ApiExceptionFilter([special]);

  it('lets a format write the errors of its paths, with the status and code of the one error shape', () => {
    const { host, sent } = fakeHttp('/special/thing?token=secret');
    filter.catch(new DomainError('THING.NOT_FOUND', 'No such thing.', 'NOT_FOUND'), host);
    expect(sent).toEqual({ status: 404, headers: { 'content-type': 'application/special+json' }, body: { special: 'THING.NOT_FOUND' } });
    expect(written.at(-1)).toEqual({ status: 404, body: { error: { code: 'THING.NOT_FOUND', message: 'No such thing.', details: undefined } } });
  });

  it('keeps the one JSON error shape everywhere else, framework errors included', () => {
    const { host, sent } = fakeHttp('/other/special/thing');
    filter.catch(new NotFoundException(), host);
    expect(sent).toEqual({
      status: 404,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: { error: { code: 'ROUTE.NOT_FOUND', message: 'No such route.' } },
    });
  });

  it('answers 503 with Retry-After when the store cannot be reached or the outcome of a write is unknown, and 500 for anything else', () => {
    const outages = [
      Object.assign(new Error('connection 3 to 127.0.0.1:27017 closed'), { name: 'MongoNetworkError' }),
      Object.assign(new Error('Server selection timed out'), { name: 'MongoServerSelectionError' }),
      // A connection dropped during insertMany: the driver names no document (the outcome is unknown).
      Object.assign(new Error('MongoBulkWriteError'), { name: 'MongoBulkWriteError', writeErrors: [] }),
      Object.assign(new Error('wrapped'), { cause: Object.assign(new Error('pool cleared'), { name: 'MongoPoolClearedError' }) }),
    ];
    for (const outage of outages) {
      const { host, sent } = fakeHttp('/v1/centers/crc-el-monte/check-ins');
      filter.catch(outage, host);
      expect([outage.message, sent.status, sent.headers['retry-after'], (sent.body as { error: { code: string } }).error.code]).toEqual([
        outage.message,
        503,
        '2',
        'SERVER.STORE_UNAVAILABLE',
      ]);
    }
    const bugs = [
      new TypeError('x is undefined'),
      // A duplicate key the store did report is an answer, not an outage.
      Object.assign(new Error('E11000'), { name: 'MongoBulkWriteError', writeErrors: [{ index: 0, code: 11000 }] }),
      Object.assign(new Error('E11000'), { name: 'MongoServerError', code: 11000 }),
    ];
    for (const bug of bugs) {
      const { host, sent } = fakeHttp('/v1/centers/crc-el-monte/check-ins');
      filter.catch(bug, host);
      expect([bug.message, sent.status, (sent.body as { error: { code: string } }).error.code]).toEqual([bug.message, 500, 'INTERNAL']);
    }
  });

  it('answers 503 SERVER.BUSY with Retry-After when a write was refused for waiting too long for the store (nothing written)', () => {
    const { host, sent } = fakeHttp('/v1/centers/crc-el-monte/check-ins');
    filter.catch(new StoreBusyError('visits', 'waited 5001 ms for its turn'), host);
    expect(sent.status).toBe(503);
    expect(sent.headers['retry-after']).toBe('2');
    expect(sent.body).toMatchObject({ error: { code: 'SERVER.BUSY', details: { retryAfterSeconds: 2 } } });
    // The error names the collection and the wait; neither is for the client.
    expect(JSON.stringify(sent.body)).not.toContain('visits');
  });
});
