import { publishCount, PublishedCount, SMALL_CELL_THRESHOLD } from '@crc/contracts';

/**
 * Complementary suppression for every table of counts that leaves operations (a plan's summary,
 * any exported report). docs/domain.md (Privacy) asks for more than hiding the small cells: no hidden value may
 * be worked out from what is shown, in one read or by comparing two reads.
 *
 * The scheme:
 * 1. The cells are a fixed grid, decided by reference data (centers, the plan's product lines,
 *    the services), never by which cells happen to have visits. A cell that is not in the data
 *    is a zero in the grid.
 * 2. A cell is shown only when it counts 11 or more; every other cell, zero included, is
 *    suppressed (see `publishCount`).
 * 3. A total (a margin: any figure that sums or bounds cells: the grand total, a per-center sum)
 *    is shown only when every cell it covers is shown; otherwise it is suppressed too. This is
 *    the complementary suppression: the total is the complement that would otherwise give away
 *    the hidden cells.
 *
 * Why that is enough:
 * - In one read, a suppressed cell occurs in no published equation: every shown total covers
 *   shown cells only. All a reader knows of a suppressed cell is "0 to 10"; any value in that
 *   range completes the table consistently (the solver in the unit tests checks this).
 * - Between two reads, the reader learns how shown cells and shown totals changed. Those involve
 *   only cells shown in that read, so a cell suppressed in both reads stays "0 to 10" in both;
 *   a cell going from suppressed to shown never reveals a neighbour, because no total that
 *   covers a still-suppressed neighbour is published in either read. Zero being suppressed
 *   means a cell's first visit is not visible either.
 * - What a reader does learn, and no scheme with exact counts can hide: when a cell crosses
 *   the threshold between two reads, that it has just crossed (e.g. it was 10 a visit ago).
 *
 * The price: a total is shown only when all its cells are large. Partners count their own
 * members' visits from their identifiable feed anyway; the totals that matter to them (the
 * community visits per center) are large over a month.
 */

export const SUPPRESSION_THRESHOLD = SMALL_CELL_THRESHOLD;

/** A total and the cells it covers. `value` is given because not every total is the plain sum of its cells (a visit with two services counts in two cells but once in the total). */
export interface Margin<K extends string> {
  name: K;
  covers: readonly string[];
  value: number;
}

export interface PublishedTable<M extends string> {
  cells: Map<string, PublishedCount>;
  margins: Record<M, PublishedCount>;
}

const SUPPRESSED: PublishedCount = { count: null, suppressed: true };

/** Applies the scheme to a fixed grid of cells (every key present, zeros included) and its totals. */
export function publishTable<M extends string>(cells: ReadonlyMap<string, number>, margins: ReadonlyArray<Margin<M>>): PublishedTable<M> {
  const published = new Map<string, PublishedCount>();
  for (const [key, count] of cells) published.set(key, publishCount(count));
  const totals = {} as Record<M, PublishedCount>;
  for (const margin of margins) {
    const unknown = margin.covers.find((key) => !published.has(key));
    if (unknown !== undefined) throw new Error(`margin ${margin.name} covers ${unknown}, which is not a cell of the grid`);
    const allShown = margin.covers.every((key) => !published.get(key)!.suppressed);
    totals[margin.name] = allShown ? publishCount(margin.value) : SUPPRESSED;
  }
  return { cells: published, margins: totals };
}
