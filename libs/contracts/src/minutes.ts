/**
 * How every event that carries minutes counts them: whole minutes between two instants, to the
 * nearest minute (half a minute rounds up), never negative. One rule, so that the help minutes
 * and the Wi-Fi minutes of a visit add up the same way in every consumer.
 */
export function wholeMinutesBetween(start: Date, end: Date): number {
  return Math.max(0, Math.round((end.getTime() - start.getTime()) / 60_000));
}
