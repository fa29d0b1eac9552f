/**
 * Each service's V8 old-space limit, in MB: the same wherever it runs (`npm start`, the benchmark,
 * docker compose, Kubernetes; a deployment test holds the manifests to it). Without a limit V8
 * sizes its heap from the machine's memory and, at a few hundred check-ins a second, let the
 * check-in service grow to 285 MB resident (measured); with these, every service stays under
 * 200 MB. Reporting gets more for roster uploads and rebuilds.
 */
export const SERVICE_HEAP_MB = {
  checkin: 128,
  membership: 128,
  telehealth: 128,
  reporting: 160,
} as const;

export type HeapLimitedService = keyof typeof SERVICE_HEAP_MB;

/** The `NODE_OPTIONS` a service runs with. */
export function serviceNodeOptions(service: HeapLimitedService): string {
  return `--max-old-space-size=${SERVICE_HEAP_MB[service]}`;
}
