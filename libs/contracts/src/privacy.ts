/** Counts below this never leave operations as numbers (docs/domain.md, Privacy): they are shown as suppressed, not as zero. */
export const SMALL_CELL_THRESHOLD = 11;

/** A count that leaves operations: the number, or null with `suppressed: true`. */
export interface PublishedCount {
  count: number | null;
  suppressed: boolean;
}

/**
 * One cell of a published table, on its own: every count below 11 is suppressed, zero included.
 * Zero is suppressed too because the cells of a published table are a fixed grid: if an empty cell
 * read 0, the first visit into it would read as "suppressed", and anyone who knows that one visit
 * happened in between knows the cell is 1. Whether the totals of a table may be published as well
 * is decided by the table as a whole (`publishTable` in the attribution context), never cell by cell.
 */
export function publishCount(count: number): PublishedCount {
  return count < SMALL_CELL_THRESHOLD ? { count: null, suppressed: true } : { count, suppressed: false };
}
