import { wholeMinutesBetween } from './minutes';

describe('wholeMinutesBetween', () => {
  const t0 = new Date('2026-11-28T10:00:00Z');
  const after = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

  it.each([
    [0, 0],
    [29, 0],
    [29.999, 0],
    [30, 1],
    [89, 1],
    [90, 2],
    [3600, 60],
    [-120, 0],
  ])('%s s is %s min', (seconds, minutes) => {
    expect(wholeMinutesBetween(t0, after(seconds))).toBe(minutes);
  });
});
