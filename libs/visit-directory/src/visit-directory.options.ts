/** How long the producing services remember visits, and how often they forget old ones. */
export interface VisitDirectoryOptions {
  /** The service keeping the directory (`membership`, `telehealth`): names its consumer group and dead-letter topic. */
  service: string;
  /** Check-ins of service dates this many days back or newer are remembered. */
  retentionDays: number;
  sweepIntervalSeconds: number;
  /** Ready once the directory's consumer is at most this many check-ins behind (READY_MAX_CONSUMER_LAG). */
  readyMaxConsumerLag: number;
}

export const VISIT_DIRECTORY_OPTIONS = Symbol('VISIT_DIRECTORY_OPTIONS');
