import { dateQuery, dateTimeQuery, integerQuery } from './query-params';

const refusal = (read: () => unknown) => {
  try {
    read();
    return undefined;
  } catch (error) {
    const { code, details } = error as { code: string; details: Array<{ field: string }> };
    return `${code} ${details[0].field}`;
  }
};

describe('query parameters', () => {
  const limit = (value: string | undefined) => integerQuery('limit', value, { min: 1, max: 1000, fallback: 100 });

  it('reads whole numbers in decimal digits only, within bounds, the fallback when absent', () => {
    expect(limit(undefined)).toBe(100);
    expect(limit('1')).toBe(1);
    expect(limit('1000')).toBe(1000);
    for (const value of ['1e3', '0x10', ' 10', '10 ', '+10', '-1', '10.0', '1_000', '', '0', '1001', '99999999999999999999']) {
      expect([value, refusal(() => limit(value))]).toEqual([value, 'REQUEST.VALIDATION_FAILED limit']);
    }
  });

  it('reads calendar dates, refusing impossible ones by name', () => {
    expect(dateQuery('from', undefined)).toBeUndefined();
    expect(dateQuery('from', '2026-12-01')).toBe('2026-12-01');
    for (const value of ['2026-99-99', '0000-00-00', '9999-99-99', '2026-335', 'today']) {
      expect([value, refusal(() => dateQuery('from', value))]).toEqual([value, 'REQUEST.VALIDATION_FAILED from']);
    }
  });

  it('reads instants as Dates, refusing anything but the one format', () => {
    expect(dateTimeQuery('_since', '2026-12-01T10:00:00-08:00')?.toISOString()).toBe('2026-12-01T18:00:00.000Z');
    for (const value of ['2026-12-01', '1', '2026-W49-2', 'Tue, 01 Dec 2026 10:00:00 GMT']) {
      expect([value, refusal(() => dateTimeQuery('_since', value))]).toEqual([value, 'REQUEST.VALIDATION_FAILED _since']);
    }
  });
});
