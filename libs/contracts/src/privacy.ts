/** Counts below this are never published (DOMAIN.md, Privacy): they are shown as suppressed, not as zero. */
export const SMALL_CELL_THRESHOLD = 11;

/** A published count: the number, or null with `suppressed: true` when it is small enough to identify someone. */
export interface PublishedCount {
  count: number | null;
  suppressed: boolean;
}

export function publishCount(count: number): PublishedCount {
  return count > 0 && count < SMALL_CELL_THRESHOLD ? { count: null, suppressed: true } : { count, suppressed: false };
}
