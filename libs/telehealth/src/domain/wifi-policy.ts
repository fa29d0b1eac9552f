/** What the app configures for the telehealth context. */
export interface WifiPolicy {
  /** A session without a heartbeat for this long has ended, at its last heartbeat. */
  idleTimeoutSeconds: number;
  /** How often the sweep looks for such sessions. */
  sweepIntervalSeconds: number;
  /** Secret of the keyed device hash. */
  deviceIdHashKey: string;
}

/** Injection token of the WifiPolicy. */
export const WIFI_POLICY = Symbol('WIFI_POLICY');
