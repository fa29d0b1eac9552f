import { extrapolate } from './extrapolation';

describe('extrapolate', () => {
  it('follows a straight line when the rate holds (start-up plus a constant rate)', () => {
    const result = extrapolate(
      [
        [10_000, 12],
        [30_000, 32],
        [100_000, 102],
      ],
      1_000_000,
    );
    expect(result.linearSeconds).toBeCloseTo(1002, 6);
    expect(result.exponent).toBeLessThan(1);
    expect(result.seconds).toBeCloseTo(1002, 6);
  });

  it('takes the power law when the time grows faster than the size', () => {
    const sizes = [10_000, 30_000, 100_000];
    const result = extrapolate(
      sizes.map((n) => [n, 0.001 * n ** 1.3]),
      1_000_000,
    );
    expect(result.exponent).toBeCloseTo(1.3, 6);
    expect(result.powerSeconds).toBeCloseTo(0.001 * 1_000_000 ** 1.3, 0);
    expect(result.seconds).toBe(result.powerSeconds);
    expect(result.linearSeconds).toBeLessThan(result.powerSeconds);
  });

  it('gives no figure from fewer than two distinct sizes', () => {
    expect(
      extrapolate(
        [
          [1000, 5],
          [1000, 6],
        ],
        1_000_000,
      ).seconds,
    ).toBeNaN();
    expect(
      extrapolate(
        [
          [1000, NaN],
          [2000, 3],
        ],
        1_000_000,
      ).seconds,
    ).toBeNaN();
  });
});
