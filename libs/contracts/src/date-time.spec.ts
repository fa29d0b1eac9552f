import { isCalendarDate, isDateTime } from './date-time';

describe('isDateTime: the one date-time format (RFC 3339 with a zone)', () => {
  it('takes UTC and offset instants, with or without a fraction', () => {
    for (const value of [
      '2026-12-01T10:15:00Z',
      '2026-12-01T10:15:00.123Z',
      '2026-12-01T10:15:00.123456789Z',
      '2026-12-01T02:15:00-08:00',
      '2024-02-29T23:59:59+14:00',
      '0001-01-01T00:00:00Z',
    ]) {
      expect([value, isDateTime(value)]).toEqual([value, true]);
    }
  });

  it('refuses what ISO 8601 allows but we do not read: ordinal, week, no zone, no seconds, lower case, a space', () => {
    for (const value of [
      '2026-335',
      '2026-W49-2',
      '2026-W49-2T10:00:00Z',
      '2026-335T10:00:00Z',
      '2026-12-01',
      '2026-12-01T10:15:00',
      '2026-12-01T10:15Z',
      '2026-12-01t10:15:00z',
      '2026-12-01 10:15:00Z',
      '20261201T101500Z',
      '+002026-12-01T10:15:00Z',
      '2026-12-01T10:15:00.Z',
      '2026-12-01T10:15:00.1234567890Z',
      '2026-12-01T10:15:00+0800',
    ]) {
      expect([value, isDateTime(value)]).toEqual([value, false]);
    }
  });

  it('refuses what the calendar or the clock does not have', () => {
    for (const value of [
      '2026-02-29T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-12-01T24:00:00Z',
      '2026-12-01T23:60:00Z',
      '2026-12-31T23:59:60Z',
      '2026-12-01T10:00:00+24:00',
      '2026-12-01T10:00:00+05:60',
    ]) {
      expect([value, isDateTime(value)]).toEqual([value, false]);
    }
  });

  it('refuses anything but a string', () => {
    for (const value of [1764583200000, null, undefined, {}, ['2026-12-01T10:15:00Z']]) expect(isDateTime(value)).toBe(false);
  });
});

describe('isCalendarDate: the one date format (YYYY-MM-DD)', () => {
  it('takes real days, leap days of leap years included', () => {
    for (const value of ['2026-12-01', '2024-02-29', '2000-02-29', '0000-01-01', '9999-12-31']) expect([value, isCalendarDate(value)]).toEqual([value, true]);
  });

  it('refuses days the calendar does not have, and other shapes', () => {
    for (const value of [
      '2026-99-99',
      '0000-00-00',
      '9999-99-99',
      '2026-02-29',
      '1900-02-29',
      '2026-06-31',
      '2026-12-1',
      '2026-335',
      '2026-W49-2',
      '2026-12-01T00:00:00Z',
      ' 2026-12-01',
      '2026-12-01\n',
    ]) {
      expect([value, isCalendarDate(value)]).toEqual([value, false]);
    }
  });
});
