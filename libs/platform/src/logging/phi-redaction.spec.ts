import { Writable } from 'node:stream';
import { runInNewContext } from 'node:vm';
import pinoHttp from 'pino-http';
import { PHI_LOG_REDACTIONS, serializeError } from './phi-redaction';

/** A logger built as the services build theirs (pino-http wraps the error serializer), into memory. */
function capturingLogger() {
  const lines: Array<Record<string, any>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const { logger } = pinoHttp({ redact: { paths: PHI_LOG_REDACTIONS, censor: '[REDACTED]' }, serializers: { err: serializeError } }, sink);
  return { logger, lines };
}

class VisitProjectionError extends Error {}

describe("serializeError, through the services' logger", () => {
  it('logs an error id with the error class, message and stack (not "[object Object]")', () => {
    const { logger, lines } = capturingLogger();
    logger.error({ errorId: 'e-1', err: new VisitProjectionError('the projection is behind') }, 'unhandled error e-1');
    expect(lines[0]).toMatchObject({ errorId: 'e-1', msg: 'unhandled error e-1', err: { type: 'VisitProjectionError', message: 'the projection is behind' } });
    expect(lines[0].err.stack).toMatch(/VisitProjectionError|Error: the projection is behind\n\s+at /);
  });

  it('reads errors of another realm, and says what a thrown non-Error was', () => {
    const { logger, lines } = capturingLogger();
    logger.error({ err: runInNewContext('new RangeError("Invalid time value")') }, 'x');
    logger.error({ err: { some: 'object' } }, 'y');
    expect(lines[0].err).toMatchObject({ type: 'RangeError', message: 'Invalid time value' });
    expect(lines[0].err.stack).toMatch(/RangeError: Invalid time value/);
    expect(lines[1].err).toEqual({ type: 'Object', message: 'a non-Error Object was thrown' });
  });

  it('keeps PHI out: a database error loses its text and fields, CINs and MAC addresses are masked', () => {
    const { logger, lines } = capturingLogger();
    const duplicate = Object.assign(new Error('E11000 duplicate key { memberId: "LAC100001" }'), {
      name: 'MongoServerError',
      code: 11000,
      keyValue: { memberId: 'LAC100001' },
    });
    logger.error({ err: duplicate }, 'a');
    logger.error({ err: new Error('no coverage for 12345678A on device aa:bb:cc:dd:ee:ff') }, 'b');
    expect(JSON.stringify(lines)).not.toMatch(/LAC100001|12345678A|aa:bb:cc:dd:ee:ff/);
    expect(lines[0].err).toMatchObject({ type: 'Error', code: 11000, message: 'MongoServerError (code 11000)' });
    expect(lines[1].err.message).toBe('no coverage for [REDACTED] on device [REDACTED]');
  });

  it('follows the cause', () => {
    expect(serializeError(new Error('outer', { cause: new TypeError('inner') }))).toMatchObject({
      message: 'outer',
      cause: { type: 'TypeError', message: 'inner' },
    });
  });
});
