export interface Extrapolation {
  /** Seconds at the target size by a straight line through the measured sizes (least squares): start-up plus a constant rate. */
  linearSeconds: number;
  /** Seconds at the target size by a power law `t = c · n^k` fitted on the log scale. */
  powerSeconds: number;
  /** The power law's exponent: 1 when the rate holds as the data grows, above 1 when it falls. */
  exponent: number;
  /** The larger of the two: a rate that falls with size is not hidden by the straight line. */
  seconds: number;
}

function leastSquares(points: Array<[number, number]>): { slope: number; intercept: number } {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const slope = sxx === 0 ? NaN : sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/**
 * The time a job would take at `target` items from its times at (at least two) smaller sizes, by two
 * fits that disagree when the rate changes with size; NaN figures when the sizes do not allow a fit.
 */
export function extrapolate(measured: Array<[size: number, seconds: number]>, target: number): Extrapolation {
  const usable = measured.filter(([size, seconds]) => size > 0 && seconds > 0 && Number.isFinite(seconds));
  if (new Set(usable.map(([size]) => size)).size < 2) return { linearSeconds: NaN, powerSeconds: NaN, exponent: NaN, seconds: NaN };
  const line = leastSquares(usable);
  const power = leastSquares(usable.map(([size, seconds]) => [Math.log(size), Math.log(seconds)]));
  const linearSeconds = line.intercept + line.slope * target;
  const powerSeconds = Math.exp(power.intercept + power.slope * Math.log(target));
  return { linearSeconds, powerSeconds, exponent: power.slope, seconds: Math.max(linearSeconds, powerSeconds) };
}
