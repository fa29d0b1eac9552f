/** How long the producing services remember visits, and how often they forget old ones. */
export interface VisitDirectoryOptions {
  /** Check-ins of service dates this many days back or newer are remembered. */
  retentionDays: number;
  sweepIntervalSeconds: number;
}

export const VISIT_DIRECTORY_OPTIONS = Symbol('VISIT_DIRECTORY_OPTIONS');
