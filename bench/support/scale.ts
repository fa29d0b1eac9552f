/**
 * Sizes of a benchmark run. `full` is the sizes and the default; `small` is a smoke run of a
 * few minutes that exercises every scenario; `medium` sits between (the day at its real size, the
 * replay and the read side a size lower). Any single size can still be set by its own flag.
 */
export const SCALES = ['small', 'medium', 'full'] as const;
export type ScaleName = (typeof SCALES)[number];

export interface DaySettings {
  /** Visits per center over the day (about 300 in a real day). */
  visitsPerCenter: number;
  /** How much faster than real time the day is replayed (60: a 10-hour day in 10 minutes). */
  speed: number;
  /** Kiosks that go offline for part of the day and sync their queue in one batch when back. */
  offlineKiosks: number;
}

export interface ScaleSizes {
  runs: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** Three sizes of the replay: the largest is the one judged, all three give the time for 1M. */
  replaySizes: number[];
  /** Visits stored for the read side, one database per size. */
  readSizes: number[];
  rosterMembers: number;
  day: DaySettings;
}

export const SCALE_SIZES: Record<ScaleName, ScaleSizes> = {
  small: {
    runs: 1,
    durationSeconds: 5,
    warmupSeconds: 2,
    replaySizes: [1_000, 2_000, 4_000],
    readSizes: [1_000, 3_000, 10_000],
    rosterMembers: 2_000,
    day: { visitsPerCenter: 30, speed: 600, offlineKiosks: 2 },
  },
  medium: {
    runs: 1,
    durationSeconds: 10,
    warmupSeconds: 3,
    replaySizes: [1_000, 3_000, 10_000],
    readSizes: [10_000, 30_000, 100_000],
    rosterMembers: 20_000,
    day: { visitsPerCenter: 300, speed: 60, offlineKiosks: 3 },
  },
  full: {
    runs: 3,
    durationSeconds: 20,
    warmupSeconds: 5,
    replaySizes: [10_000, 30_000, 100_000],
    readSizes: [10_000, 100_000, 300_000],
    rosterMembers: 20_000,
    day: { visitsPerCenter: 300, speed: 60, offlineKiosks: 3 },
  },
};
